import { LOWER_IS_BETTER } from '../core/model/results';

export { LOWER_IS_BETTER };

/** How the pages name each metric. */
export const METRIC_LABELS: Record<string, string> = {
	accuracy: 'Accuracy',
	balanced_accuracy: 'Balanced accuracy',
	precision: 'Precision',
	recall: 'Recall',
	f1: 'F1',
	f1_macro: 'F1 (macro)',
	f1_micro: 'F1 (micro)',
	log_loss: 'Log loss',
	roc_auc: 'ROC-AUC',
	pr_auc: 'PR-AUC (average precision)',
	ece: 'Expected calibration error',
	mae: 'MAE',
	mse: 'MSE',
	rmse: 'RMSE',
	r2: 'R²',
	mape: 'MAPE',
	max_error: 'Max error'
};

/** A metric value as the tables show it. */
export function formatMetric(v: number | null | undefined): string {
	return v === null || v === undefined ? '—' : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
}

/** Whether `a` beats `b` on this metric; null when either is missing or they tie. */
export function beats(name: string, a: number | null | undefined, b: number | null | undefined) {
	if (a === null || a === undefined || b === null || b === undefined || a === b) return null;
	return LOWER_IS_BETTER.has(name) ? a < b : a > b;
}

/**
 * A metric's name for a task: precision, recall and F1 say which average they are (the positive
 * class for binary, the macro average for multiclass).
 */
export function metricLabel(name: string, task: string): string {
	if (name === 'precision' || name === 'recall' || name === 'f1') {
		const base = METRIC_LABELS[name]!;
		if (task === 'binary') return `${base} (positive class)`;
		if (task === 'multiclass') return `${base} (macro)`;
	}
	return METRIC_LABELS[name] ?? name;
}

/**
 * The metrics a table lists, without repeats: micro F1 is the accuracy for single-label
 * classes, and a multiclass F1 is its macro F1 — each is shown once.
 */
export function shownMetrics<T extends string>(names: T[], task: string): T[] {
	return names.filter((n) => n !== 'f1_micro' && !(task === 'multiclass' && n === 'f1_macro'));
}

/** ECE up to this is well calibrated; above `ECE_POOR` poorly (an absolute scale). */
export const ECE_GOOD = 0.02;
export const ECE_POOR = 0.05;

/**
 * Whether a test value is good (true), bad (false) or neither (null). Against the baseline for
 * most metrics; the calibration error on its own scale, since the constant baseline is
 * calibrated by construction and would make every model look worse.
 */
export function verdict(
	name: string,
	value: number | null | undefined,
	baseline: number | null | undefined
): boolean | null {
	if (name === 'ece') {
		if (value === null || value === undefined) return null;
		return value <= ECE_GOOD ? true : value > ECE_POOR ? false : null;
	}
	return beats(name, value, baseline);
}
