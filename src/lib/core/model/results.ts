import type { ClassificationMetrics } from '../evaluate/metrics';
import type { RegressionMetrics } from '../evaluate/regression';

/** Every metric Driftwood reports, by the names scikit-learn and MLflow use. */
export type MetricName = keyof ClassificationMetrics | keyof RegressionMetrics;

/** The metrics of one evaluation; a task has its own subset. */
export type MetricSet = Partial<Record<MetricName, number | null>>;

/** Metrics where smaller is better. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
	'log_loss',
	'mae',
	'mse',
	'rmse',
	'mape',
	'max_error',
	'ece'
]);

/** The metrics a set holds, in its order (`Object.keys` typed by what a MetricSet can hold). */
export function metricNames(set: MetricSet): MetricName[] {
	return Object.keys(set) as MetricName[];
}

/**
 * What the run page draws: confusion matrix, ROC and PR (binary), calibration, residuals, per
 * class.
 */
export interface Curves {
	confusion: number[] | null;
	roc: { fpr: number[]; tpr: number[] } | null;
	pr: { precision: number[]; recall: number[] } | null;
	calibration: { confidence: number; observed: number; count: number }[] | null;
	/** Regression: up to 500 test points (predicted, residual). */
	residuals: { predicted: number; residual: number }[] | null;
	perClass:
		{ label: string; precision: number; recall: number; f1: number; support: number }[] | null;
	/**
	 * Multiclass: each class against the rest — its ROC and PR curves (at most CURVE_POINTS
	 * points each) and their areas, whose unweighted mean is the macro ROC-AUC / PR-AUC. Absent on
	 * runs made before it, null for binary and regression.
	 */
	classCurves?: ClassCurves[] | null;
}

/** One class against the rest (multiclass). */
export interface ClassCurves {
	label: string;
	roc: { fpr: number[]; tpr: number[] };
	pr: { precision: number[]; recall: number[] };
	/** Null when the test rows hold no row (or only rows) of the class. */
	auc: number | null;
	ap: number | null;
}

/** Most points a stored per-class curve keeps (evenly spaced, ends kept): enough to draw. */
export const CURVE_POINTS = 200;

/** The main score under one level of noise or missing values. */
export interface RobustnessPoint {
	kind: 'noise' | 'missing';
	level: number;
	metric: string;
	value: number;
}
