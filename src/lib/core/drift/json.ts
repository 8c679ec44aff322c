import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import { alertText, batchAlerts } from './alerts';
import { PERFORMANCE_DROP } from './rules';
import type { DriftReport, FeatureDrift } from './types';
import type { BatchPerformance } from './types';
import { batchVerdict } from './verdict';

/** A checked batch as the CLI's `--json` and the studio's download write it (snake_case keys). */
export interface BatchCheckInput {
	report: DriftReport;
	predictionDrift?: FeatureDrift | null;
	performance?: BatchPerformance | null;
	targetDrift?: FeatureDrift | null;
}

/** The JSON document of a checked batch, judged with the thresholds and drop rule it was checked with. */
export function batchJson(
	check: BatchCheckInput,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	performanceDrop = PERFORMANCE_DROP
) {
	const { report } = check;
	const performance = check.performance;
	const verdict = batchVerdict(check, thresholds, performanceDrop);
	return {
		verdict: {
			level: verdict.level,
			headline: verdict.headline,
			findings: verdict.findings,
			fails_gate: verdict.failsGate
		},
		missing_columns: report.schema.missingColumns,
		unreadable_columns: report.schema.unreadableColumns ?? [],
		dataset_drift: report.datasetDrift,
		drift_share: report.driftShare,
		reference_rows: report.referenceRows,
		current_rows: report.currentRows,
		features: report.features.map(featureJson),
		...(check.predictionDrift !== undefined
			? { prediction_drift: check.predictionDrift ? featureJson(check.predictionDrift) : null }
			: {}),
		...(check.targetDrift !== undefined
			? { target_drift: check.targetDrift ? featureJson(check.targetDrift) : null }
			: {}),
		...(performance !== undefined
			? {
					performance: performance
						? {
								metric: performance.metric,
								value: performance.value,
								estimated: performance.estimated,
								/** The 95 % band: CBPE's for an estimate, Wilson's (accuracy) or a bootstrap's (R²) for a measurement. */
								band:
									performance.lower !== null && performance.upper !== null
										? [performance.lower, performance.upper]
										: null,
								reliable: performance.reliable ?? !performance.estimated,
								reasons: performance.reasons ?? [],
								test_score_at_training: performance.reference,
								rows: performance.rows,
								unknown_labels: performance.droppedUnknown,
								metrics: performance.metrics,
								/** Measured: the same metrics of a constant answer on the same rows. */
								baseline: performance.baseline ?? null,
								imbalance: performance.imbalance ?? null,
								/** Measured: the 90 % conformal bounds' coverage of the labelled rows. */
								coverage: performance.coverage ?? null
							}
						: null
				}
			: {}),
		schema: report.schema,
		alerts: batchAlerts(check, thresholds, performanceDrop).map(alertText)
	};
}

function featureJson(f: FeatureDrift) {
	return {
		name: f.name,
		test: f.test,
		statistic: f.statistic,
		p_value: f.pValue,
		/** Where the p-value comes from: ks, chi_square or permutation (null: the test's own). */
		p_source: f.pSource ?? null,
		psi: f.psi,
		psi_band: f.psiBand,
		drifted: f.drifted,
		/** A date's calendar position: its test is shown, never counted as drift. */
		calendar: f.calendar === true,
		missing: { reference: f.referenceMissing, current: f.currentMissing },
		out_of_range: f.outOfRange,
		median: f.medians ? { reference: f.medians.reference, current: f.medians.current } : null,
		unseen_categories: f.unseen,
		/** From a warehouse summary: how many unseen categories (their names stay there). */
		unseen_count: f.unseenCount ?? f.unseen.length,
		/**
		 * From a warehouse summary, KS and Wasserstein: the range the statistic and p-value lie in
		 * (statistic and p_value are the ends the verdict used); null when exact.
		 */
		bound: f.bound ? { statistic: f.bound.statistic, p_value: f.bound.pValue } : null
	};
}
