import { outOfRangeLimit, type DriftThresholds } from './thresholds';
import { driftCount } from './report';
import type { BatchPerformance, DriftReport } from './types';

/** A score this far below the test score at training raises an alert (a monitor's policy may say otherwise). */
export const PERFORMANCE_DROP = 0.05;

/** What the drop rule reads of a batch's performance. */
export type ScoreSignal = Pick<BatchPerformance, 'value' | 'reference' | 'estimated' | 'upper'> & {
	reliable?: boolean;
};

/**
 * Whether a batch's score fell more than `drop` below the test score at training. It counts only
 * when its whole 95 % band is below (CBPE's for an estimate; Wilson's or a bootstrap's for a
 * measurement — a few dozen rows cannot show a drop of five points), and an unreliable estimate
 * never counts: it cannot say either way.
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
		const { drifted, counted } = driftCount(report);
		reasons.push(`dataset drift (${drifted} of ${counted} features)`);
	}
	return reasons;
}
