import { oneVsRest, precisionRecallCurve, rocCurve } from '../evaluate/classification';
import { classificationReport } from '../evaluate/metrics';
import { regressionMetrics } from '../evaluate/regression';
import type { Curves, MetricSet } from './results';
import type { PreparedTarget } from './task';

/** Metrics and curves of predictions (n × k probabilities, or scaled values) for `rows`. */
export function score(
	matrix: Float64Array,
	rows: Int32Array,
	target: PreparedTarget,
	targetScale: { center: number; scale: number } | null
): { metrics: MetricSet; curves: Curves } {
	if (target.task === 'regression') {
		if (!targetScale)
			throw new Error('A regression is scored in its target units: pass its scale.');
		const { center, scale } = targetScale;
		const yTrue = Float64Array.from(rows, (r) => target.values[r]!);
		const yPred = matrix.map((v) => v * scale + center);
		const residuals = Array.from({ length: Math.min(500, rows.length) }, (_, i) => {
			const j = Math.floor((i * rows.length) / Math.min(500, rows.length));
			return { predicted: yPred[j]!, residual: yTrue[j]! - yPred[j]! };
		});
		return {
			metrics: { ...regressionMetrics(yTrue, yPred) },
			curves: { confusion: null, roc: null, pr: null, calibration: null, residuals, perClass: null }
		};
	}
	const k = target.labels.length;
	const yTrue = Int32Array.from(rows, (r) => target.classes[r]!);
	const report = classificationReport(yTrue, matrix, k);
	let roc = null;
	let pr = null;
	if (k === 2) {
		const { isPositive, scores } = oneVsRest(yTrue, matrix, 2, 1);
		const curve = rocCurve(isPositive, scores);
		roc = { fpr: curve.fpr, tpr: curve.tpr };
		pr = precisionRecallCurve(isPositive, scores);
	}
	return {
		metrics: { ...report.metrics },
		curves: {
			confusion: report.confusion,
			roc,
			pr,
			calibration: report.calibration,
			residuals: null,
			perClass: target.labels.map((label, c) => ({
				label,
				precision: report.perClass.precision[c]!,
				recall: report.perClass.recall[c]!,
				f1: report.perClass.f1[c]!,
				support: report.perClass.support[c]!
			}))
		}
	};
}

/** Mean and standard deviation of the target on `rows`: the scale regression is trained in. */
export function scaleOf(values: Float64Array, rows: Int32Array): { center: number; scale: number } {
	let mean = 0;
	for (const r of rows) mean += values[r]!;
	mean /= rows.length;
	let squares = 0;
	for (const r of rows) squares += (values[r]! - mean) ** 2;
	const std = Math.sqrt(squares / rows.length);
	return { center: mean, scale: std > 0 ? std : 1 };
}
