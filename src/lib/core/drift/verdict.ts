import { DEFAULT_THRESHOLDS, outOfRangeLimit, type DriftThresholds } from './thresholds';
import type { DriftReport } from './types';
import type { BatchPerformance } from './types';

/** A score this far below the test score at training raises an alert (a monitor's policy may say otherwise). */
export const PERFORMANCE_DROP = 0.05;

/** What the drop rule reads of a batch's performance. */
export type ScoreSignal = Pick<BatchPerformance, 'value' | 'reference' | 'estimated' | 'upper'> & {
	reliable?: boolean;
};

/**
 * Whether a batch's score fell more than `drop` below the test score at training. An estimate
 * counts only when its whole band is below, and an unreliable estimate never counts: it cannot
 * say either way.
 */
export function performanceDropped(performance: ScoreSignal, drop = PERFORMANCE_DROP): boolean {
	if (!Number.isFinite(performance.reference)) return false;
	if (performance.estimated && performance.reliable === false) return false;
	return (performance.upper ?? performance.value) < performance.reference - drop;
}

/**
 * Why a label-free estimate cannot be trusted on this batch: CBPE assumes the model's calibration
 * on the reference holds on the batch, which fails once the batch leaves the reference's support
 * (values outside the training range, categories never seen, dataset drift).
 */
export function supportReasons(report: DriftReport, thresholds: DriftThresholds): string[] {
	const reasons: string[] = [];
	const limit = outOfRangeLimit(thresholds);
	const outside = report.features.filter((f) => f.outOfRange !== null && f.outOfRange > limit);
	if (outside.length) {
		reasons.push(
			`values outside the training range (${outside
				.slice(0, 3)
				.map((f) => `${Math.round(f.outOfRange! * 100)} % of "${f.name}"`)
				.join(', ')}${outside.length > 3 ? ', …' : ''})`
		);
	}
	// A stray category in a few rows leaves the calibration standing; many rows of new ones do not.
	const unseen = report.features.filter((f) => f.unseen.length > 0 && (f.unseenShare ?? 1) > limit);
	if (unseen.length) {
		reasons.push(
			`categories never seen in training (${unseen
				.slice(0, 3)
				.map((f) => `${Math.round((f.unseenShare ?? 1) * 100)} % of "${f.name}"`)
				.join(', ')}${unseen.length > 3 ? ', …' : ''})`
		);
	}
	if (report.datasetDrift) {
		const drifted = report.features.filter((f) => f.drifted).length;
		reasons.push(`dataset drift (${drifted} of ${report.features.length} features)`);
	}
	return reasons;
}

export type VerdictLevel = 'fail' | 'warn' | 'ok';

/** The one-line answer to "is this batch all right?", from every finding, not the drift share alone. */
export interface BatchVerdict {
	level: VerdictLevel;
	headline: string;
	/** Each finding, short ("prediction drift", "values out of range"). */
	findings: string[];
	/** A schema break or dataset drift: `driftwood drift` exits 1 (a CI gate). */
	failsGate: boolean;
}

/** What `batchVerdict` reads of a checked batch (a CLI report of two files has no model parts). */
export interface VerdictInput {
	report: DriftReport;
	predictionDrift?: { drifted: boolean } | null;
	performance?: BatchPerformance | null;
}

/**
 * The verdict on a batch. Fail: the batch lacks columns the model needs (so its predictions were
 * skipped), or the dataset drifted. Warn: any other finding (prediction drift, values out of
 * range, a performance drop, an unreliable estimate, unseen categories, type or missing-rate
 * changes). OK: nothing found.
 */
export function batchVerdict(
	check: VerdictInput,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	performanceDrop = PERFORMANCE_DROP
): BatchVerdict {
	const { report } = check;
	const drifted = report.features.filter((f) => f.drifted).length;
	const driftLine = `${drifted} of ${report.features.length} features drifted`;
	const findings: string[] = [];
	if (report.datasetDrift) findings.push('dataset drift');
	if (check.predictionDrift?.drifted) findings.push('prediction drift');
	const limit = outOfRangeLimit(thresholds);
	if (report.features.some((f) => f.outOfRange !== null && f.outOfRange > limit))
		findings.push('values out of range');
	const perf = check.performance;
	if (perf && performanceDropped(perf, performanceDrop)) findings.push('performance drop');
	if (perf?.estimated && perf.reliable === false) findings.push('estimate unreliable');
	if (report.features.some((f) => f.unseen.length > 0)) findings.push('unseen categories');
	if (
		report.features.some(
			(f) => Math.abs(f.currentMissing - f.referenceMissing) > thresholds.missingChange
		)
	)
		findings.push('missing values changed');
	if (report.schema.typeChanges.length) findings.push('type changes');

	const missing = report.schema.missingColumns;
	if (missing.length) {
		const names = missing
			.slice(0, 4)
			.map((m) => `"${m}"`)
			.join(', ');
		return {
			level: 'fail',
			headline: `Schema failure: predictions skipped — the batch lacks ${names}${missing.length > 4 ? ', …' : ''}`,
			findings: ['schema failure', ...findings],
			failsGate: true
		};
	}
	if (report.datasetDrift) {
		const rest = findings.filter((f) => f !== 'dataset drift');
		return {
			level: 'fail',
			headline: `Dataset drift: ${driftLine}${rest.length ? `; also ${rest.join(', ')}` : ''}`,
			findings,
			failsGate: true
		};
	}
	if (findings.length) {
		return {
			level: 'warn',
			headline: `No dataset drift (${driftLine}), but ${findings.join(', ')}`,
			findings,
			failsGate: false
		};
	}
	return { level: 'ok', headline: `No dataset drift: ${driftLine}`, findings, failsGate: false };
}
