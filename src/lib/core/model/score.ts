import {
	averagePrecision,
	oneVsRest,
	precisionRecallCurve,
	rocAuc,
	rocCurve
} from '../evaluate/classification';
import { accuracy, confusionMatrix } from '../evaluate/classification';
import { classificationReport, predictClasses } from '../evaluate/metrics';
import { regressionMetrics } from '../evaluate/regression';
import { CURVE_POINTS, type ClassCurves, type Curves, type MetricSet } from './results';
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
	let classCurves: ClassCurves[] | null = null;
	if (k === 2) {
		const { isPositive, scores } = oneVsRest(yTrue, matrix, 2, 1);
		const curve = rocCurve(isPositive, scores);
		roc = { fpr: curve.fpr, tpr: curve.tpr };
		pr = precisionRecallCurve(isPositive, scores);
	} else {
		classCurves = target.labels.map((label, c) => {
			const { isPositive, scores } = oneVsRest(yTrue, matrix, k, c);
			const curve = rocCurve(isPositive, scores);
			const pr = precisionRecallCurve(isPositive, scores);
			const keep = thinned(curve.fpr.length);
			const keepPr = thinned(pr.recall.length);
			return {
				label,
				roc: { fpr: keep.map((i) => curve.fpr[i]!), tpr: keep.map((i) => curve.tpr[i]!) },
				pr: {
					precision: keepPr.map((i) => pr.precision[i]!),
					recall: keepPr.map((i) => pr.recall[i]!)
				},
				auc: rocAuc(isPositive, scores),
				ap: averagePrecision(isPositive, scores)
			};
		});
	}
	return {
		metrics: { ...report.metrics },
		curves: {
			confusion: report.confusion,
			roc,
			pr,
			calibration: report.calibration,
			classCurves,
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

/**
 * Only the primary metric (accuracy, or R² in target units) of predictions for `rows`: what the
 * robustness curve and permutation importance compare, dozens of times per run — without the
 * curves and per-class tables of `score`, whose sorts cost more than the predictions. Equal to
 * `score(...).metrics[primaryMetric(task)]`.
 */
export function primaryScore(
	matrix: Float64Array,
	rows: Int32Array,
	target: PreparedTarget,
	targetScale: { center: number; scale: number } | null
): number {
	if (target.task === 'regression') {
		if (!targetScale)
			throw new Error('A regression is scored in its target units: pass its scale.');
		const { center, scale } = targetScale;
		const yTrue = Float64Array.from(rows, (r) => target.values[r]!);
		return regressionMetrics(
			yTrue,
			matrix.map((v) => v * scale + center)
		).r2;
	}
	const k = target.labels.length;
	const yTrue = Int32Array.from(rows, (r) => target.classes[r]!);
	return accuracy(confusionMatrix(yTrue, predictClasses(matrix, k), k), k);
}

/** At most CURVE_POINTS indices of `n` points, evenly spaced, first and last kept. */
function thinned(n: number): number[] {
	if (n <= CURVE_POINTS) return Array.from({ length: n }, (_, i) => i);
	return Array.from({ length: CURVE_POINTS }, (_, i) =>
		Math.round((i * (n - 1)) / (CURVE_POINTS - 1))
	);
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
