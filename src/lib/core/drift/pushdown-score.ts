import { confusionMetrics } from '../evaluate/metrics';
import { imbalanceOf } from '../evaluate/baseline';
import { wilsonInterval } from '../evaluate/interval';
import type { MetricSet } from '../model/results';
import { MISSING_KEY } from './bins';
import { OUTCOME_FEATURE, TRUTH_FEATURE, type Outcome } from './pushdown-plan';
import type { BatchSummary } from './pushdown-types';
import { DriftError } from './report';
import type { BatchPerformance } from './types';

/**
 * The model's measured score on a batch from its summary, where the batch held both the labels
 * and the predictions a scoring job wrote: classes from the confusion matrix the pairs count
 * (accuracy with Wilson's 95 % band, balanced accuracy, F1 — not the log loss or AUC, which need
 * the probabilities), beside the commonest class's accuracy on the same rows; numbers from the
 * error's and the truth's sums on the same rows (R², MSE, RMSE; the band needs the rows). Null
 * when no row holds both.
 */
export function summaryScore(
	outcome: Outcome,
	summary: BatchSummary,
	/** The model's test metrics at training (what the score is compared with). */
	test: MetricSet
): BatchPerformance | null {
	const cells = summary.features.get(OUTCOME_FEATURE);
	if (!cells) return null;
	if (outcome.kind === 'values') {
		const error = cells.get('error');
		const truth = summary.features.get(TRUTH_FEATURE)?.get('value');
		const n = error?.n ?? 0;
		if (!error || !truth || n < 2 || error.sumSquares === null) return null;
		if (truth.sum === null || truth.sumSquares === null) return null;
		const mse = error.sumSquares / n;
		// Σ(y − ȳ)² from the truth's sums on the same rows: what a constant mean would err by.
		const spread = Math.max(0, truth.sumSquares - (truth.sum * truth.sum) / n) / n;
		const r2 = spread > 0 ? 1 - mse / spread : NaN;
		return {
			metric: 'r2',
			value: r2,
			reference: test.r2 ?? NaN,
			rows: n,
			droppedUnknown: 0,
			metrics: { r2, mse, rmse: Math.sqrt(mse) },
			baseline: { r2: 0, mse: spread, rmse: Math.sqrt(spread) },
			estimated: false,
			lower: null,
			upper: null,
			coverage: null
		};
	}
	const k = outcome.labels.length;
	const matrix = new Float64Array(k * k);
	let droppedUnknown = 0;
	for (const [key, cell] of cells) {
		if (key === MISSING_KEY || cell.n === 0) continue;
		const [, t, p] = key.split(' ');
		if (p === 'unknown')
			throw new DriftError(
				`The predictions column holds ${cell.n} value${cell.n === 1 ? '' : 's'} that are not this model's labels (${outcome.labels
					.slice(0, 5)
					.map((l) => `"${l}"`)
					.join(
						', '
					)}${k > 5 ? ', …' : ''}): is "${outcome.prediction}" the column the model's predictions were written to?`
			);
		if (t === 'unknown') droppedUnknown += cell.n;
		else matrix[Number(t) * k + Number(p)]! += cell.n;
	}
	let rows = 0;
	let right = 0;
	const counts = new Array<number>(k).fill(0);
	for (let t = 0; t < k; t++)
		for (let p = 0; p < k; p++) {
			rows += matrix[t * k + p]!;
			counts[t]! += matrix[t * k + p]!;
			if (t === p) right += matrix[t * k + p]!;
		}
	if (rows === 0) return null;
	const metrics = confusionMetrics(matrix, k);
	return {
		metric: 'accuracy',
		value: right / rows,
		reference: test.accuracy ?? NaN,
		rows,
		droppedUnknown,
		metrics,
		// Always answering the commonest class of these rows.
		baseline: { accuracy: Math.max(...counts) / rows },
		imbalance: imbalanceOf(counts, outcome.labels),
		estimated: false,
		...wilsonInterval(right, rows),
		coverage: null
	};
}
