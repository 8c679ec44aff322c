import { shareText } from './format';
import { outOfRangeLimit, DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { BatchPerformance, DriftReport, FeatureDrift } from './types';
import { performanceDropped, PERFORMANCE_DROP } from './rules';
import { driftCount } from './report';
import type { MetricName } from '../model/results';
import type { Coverage } from '../conformal/coverage';
import { coverageText } from '../conformal/words';

/**
 * Everything a checked batch can raise, as data: the verdict, the studio's alert lists, the CLI's
 * text and JSON all derive from `batchAlerts`, so they cannot disagree; `alertText` words each.
 */
export type DriftAlert =
	/** The batch lacks columns the model reads: its predictions were skipped. */
	| { kind: 'missing-columns'; columns: string[]; predictionsSkipped: boolean }
	/** Inputs present but not one value readable as the model's type: treated as missing. */
	| { kind: 'unreadable-columns'; columns: string[] }
	/** Too few rows for the statistics and the score to mean anything. */
	| { kind: 'small-batch'; rows: number; minimum: number }
	| { kind: 'dataset-drift'; drifted: number; features: number; share: number }
	| { kind: 'missing-rate'; column: string; reference: number; current: number }
	| { kind: 'out-of-range'; column: string; share: number }
	| {
			kind: 'unseen-categories';
			column: string;
			values: string[];
			/** From a warehouse summary: how many there are (their names stay there). */
			count?: number;
			share?: number;
	  }
	| { kind: 'type-change'; column: string; reference: string; current: string }
	| { kind: 'prediction-drift'; test: string; psi: number }
	| { kind: 'unreliable-estimate'; metric: string; reasons: string[] }
	| {
			kind: 'performance-drop';
			metric: string;
			value: number;
			reference: number;
			estimated: boolean;
	  }
	| { kind: 'unknown-labels'; rows: number }
	/** Measured: the conformal bounds covered fewer labelled rows than their level, beyond chance. */
	| { kind: 'coverage-drop'; coverage: Coverage; bound: 'interval' | 'set' }
	/** Measured: no better than always answering the rows' commonest class (or their mean). */
	| { kind: 'below-baseline'; metric: string; value: number; baseline: number };

/** Below this many rows a batch's statistics and score are noise, and the report says so. */
export const MIN_BATCH_ROWS = 30;

/** The kinds of alert, for code that maps them (verdict findings). */
export type DriftAlertKind = DriftAlert['kind'];

/** What the alerts read of a checked batch (a CLI report of two files has no model parts). */
export interface AlertInput {
	report: DriftReport;
	predictionDrift?: Pick<FeatureDrift, 'drifted' | 'test' | 'psi'> | null;
	performance?: BatchPerformance | null;
}

/**
 * Every alert of a batch, most serious first: a schema break, dataset drift, then each feature's
 * findings, type changes, the model's outputs and its score. `thresholds` and `performanceDrop`
 * are the monitor's (the drop rule is `performanceDropped`, the one the verdict uses).
 */
export function batchAlerts(
	check: AlertInput,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	performanceDrop = PERFORMANCE_DROP
): DriftAlert[] {
	const { report } = check;
	const alerts: DriftAlert[] = [];
	const missing = report.schema.missingColumns;
	if (missing.length)
		alerts.push({
			kind: 'missing-columns',
			columns: missing,
			// A check with a model skips predictions without the columns; a two-file report has none.
			predictionsSkipped: check.predictionDrift !== undefined || check.performance !== undefined
		});
	const unreadable = report.schema.unreadableColumns ?? [];
	if (unreadable.length) alerts.push({ kind: 'unreadable-columns', columns: unreadable });
	if (report.currentRows < MIN_BATCH_ROWS)
		alerts.push({ kind: 'small-batch', rows: report.currentRows, minimum: MIN_BATCH_ROWS });
	const { drifted, counted } = driftCount(report);
	if (report.datasetDrift)
		alerts.push({
			kind: 'dataset-drift',
			drifted,
			features: counted,
			share: report.driftShare
		});
	const limit = outOfRangeLimit(thresholds);
	for (const f of report.features) {
		if (Math.abs(f.currentMissing - f.referenceMissing) > thresholds.missingChange)
			alerts.push({
				kind: 'missing-rate',
				column: f.name,
				reference: f.referenceMissing,
				current: f.currentMissing
			});
		if (f.outOfRange !== null && f.outOfRange > limit)
			alerts.push({ kind: 'out-of-range', column: f.name, share: f.outOfRange });
		if (f.unseen.length)
			alerts.push({ kind: 'unseen-categories', column: f.name, values: f.unseen });
		else if (f.unseenCount)
			alerts.push({
				kind: 'unseen-categories',
				column: f.name,
				values: [],
				count: f.unseenCount,
				share: f.unseenShare ?? 0
			});
	}
	for (const change of report.schema.typeChanges)
		alerts.push({ kind: 'type-change', column: change.name, ...change });
	const prediction = check.predictionDrift;
	if (prediction?.drifted)
		alerts.push({ kind: 'prediction-drift', test: prediction.test, psi: prediction.psi });
	const perf = check.performance;
	if (perf?.estimated && perf.reliable === false)
		alerts.push({ kind: 'unreliable-estimate', metric: perf.metric, reasons: perf.reasons ?? [] });
	if (perf && performanceDropped(perf, performanceDrop))
		alerts.push({
			kind: 'performance-drop',
			metric: perf.metric,
			value: perf.value,
			reference: perf.reference,
			estimated: perf.estimated
		});
	const base = perf && !perf.estimated ? perf.baseline?.[perf.metric as MetricName] : undefined;
	if (perf && typeof base === 'number' && perf.value <= base)
		alerts.push({ kind: 'below-baseline', metric: perf.metric, value: perf.value, baseline: base });
	if (perf?.droppedUnknown) alerts.push({ kind: 'unknown-labels', rows: perf.droppedUnknown });
	if (perf?.coverage?.below)
		alerts.push({
			kind: 'coverage-drop',
			coverage: perf.coverage,
			bound: perf.metric === 'r2' ? 'interval' : 'set'
		});
	return alerts;
}

function quoted(names: string[], max: number): string {
	return `${names
		.slice(0, max)
		.map((n) => JSON.stringify(n))
		.join(', ')}${names.length > max ? ', …' : ''}`;
}

/** An alert in words, as the studio lists it and the CLI prints it. */
export function alertText(alert: DriftAlert): string {
	switch (alert.kind) {
		case 'missing-columns':
			return alert.predictionsSkipped
				? `Schema failure: predictions skipped. The batch lacks ${quoted(alert.columns, 10)}, which the model needs.`
				: `Missing columns: ${alert.columns.join(', ')}.`;
		case 'unreadable-columns':
			return `Schema failure: predictions skipped. No value of ${quoted(alert.columns, 5)} can be read as the model's type (a unit or another format in every cell?).`;
		case 'small-batch':
			return `The batch has ${alert.rows} row${alert.rows === 1 ? '' : 's'}: too few for drift statistics or a score to mean anything (at least ${alert.minimum}).`;
		case 'dataset-drift':
			return `Dataset drift: ${alert.drifted} of ${alert.features} features drifted (${shareText(alert.share)}).`;
		case 'missing-rate':
			return `"${alert.column}" is missing in ${shareText(alert.current)} of the batch (reference ${shareText(alert.reference)}).`;
		case 'out-of-range':
			return `${shareText(alert.share)} of "${alert.column}" lies outside the range seen in training.`;
		case 'unseen-categories':
			return alert.values.length
				? `"${alert.column}" has categories never seen in training: ${quoted(alert.values, 5)}.`
				: `"${alert.column}" has ${alert.count} ${alert.count === 1 ? 'category' : 'categories'} never seen in training, in ${shareText(alert.share ?? 0)} of the batch.`;
		case 'type-change':
			return `"${alert.column}" changed type: ${alert.reference} → ${alert.current}.`;
		case 'prediction-drift':
			return `The model's predictions drifted (${alert.test}, PSI ${alert.psi.toFixed(3)}).`;
		case 'unreliable-estimate':
			return `The estimated ${alert.metric} is unreliable: the batch has ${alert.reasons.join('; ')}. Label some of its rows to measure it.`;
		case 'performance-drop':
			return `${alert.estimated ? 'Estimated' : 'Measured'} ${alert.metric} fell to ${alert.value.toFixed(3)} (test score at training: ${alert.reference.toFixed(3)}).`;
		case 'below-baseline':
			return alert.metric === 'r2'
				? `Measured R² ${alert.value.toFixed(3)}: no better than predicting these rows' mean.`
				: `Measured ${alert.metric} ${alert.value.toFixed(3)} is no better than always answering these rows' commonest class (${alert.baseline.toFixed(3)}).`;
		case 'unknown-labels':
			return `${alert.rows} labelled rows have a class the model never saw; they are left out of the score.`;
		case 'coverage-drop':
			return `The bounds promise more than they hold: ${coverageText(alert.coverage, alert.bound)} The model errs more widely than on the rows it was calibrated on.`;
	}
}
