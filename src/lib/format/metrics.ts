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
