import { rowArgmax } from '../../stats/rows';

/**
 * Greedy ensemble selection with replacement (Caruana, Niculescu-Mizil, Crew & Ksikes, ICML 2004):
 * start from nothing; each round add the candidate (again, if it helps most again) whose
 * predictions, averaged with those already in, lower the loss most; the weights are how often each
 * was added. The predictions are out-of-fold (each row predicted by a model that never saw it), so
 * the loss is an estimate of new data's, and `crossFitted` scores the selection itself on folds it
 * did not select on; `pairedGain` compares that, row by row, with the best single candidate's.
 */

/** What is predicted: class indices (probabilities are averaged) or values (regression). */
export type Truth = { classes: Int32Array; k: number } | { values: Float64Array };

/** Rounds of selection: weights in twentieths. */
export const SELECTION_ROUNDS = 20;

const EPS = 1e-15;

/** Mean loss of a prediction matrix on `rows` (indices into it): log loss, or squared error. */
function lossOn(p: Float64Array, truth: Truth, rows: Int32Array): number {
	let sum = 0;
	if ('classes' in truth) {
		const { classes, k } = truth;
		for (const i of rows)
			sum -= Math.log(Math.min(1 - EPS, Math.max(EPS, p[i * k + classes[i]!]!)));
	} else for (const i of rows) sum += (p[i]! - truth.values[i]!) ** 2;
	return rows.length ? sum / rows.length : 0;
}

/**
 * Weights (summing to 1) over the candidates' prediction matrices (each row-major, the same rows
 * and width), chosen on the rows `rows` (all when absent). Ties go to the earlier candidate.
 */
export function selectWeights(
	predictions: readonly Float64Array[],
	truth: Truth,
	rows?: Int32Array,
	rounds = SELECTION_ROUNDS
): number[] {
	const length = predictions[0]!.length;
	const width = 'classes' in truth ? truth.k : 1;
	const on = rows ?? Int32Array.from({ length: length / width }, (_, i) => i);
	const counts = new Array<number>(predictions.length).fill(0);
	const sum = new Float64Array(length);
	const trial = new Float64Array(length);
	for (let round = 1; round <= rounds; round++) {
		let best = -1;
		let bestLoss = Infinity;
		predictions.forEach((p, c) => {
			for (const i of on)
				for (let j = 0; j < width; j++)
					trial[i * width + j] = (sum[i * width + j]! + p[i * width + j]!) / round;
			const loss = lossOn(trial, truth, on);
			if (loss < bestLoss - 1e-12) {
				best = c;
				bestLoss = loss;
			}
		});
		counts[best]!++;
		const p = predictions[best]!;
		for (let i = 0; i < length; i++) sum[i]! += p[i]!;
	}
	return counts.map((c) => c / rounds);
}

/** The weighted average of the prediction matrices. */
export function blend(
	predictions: readonly Float64Array[],
	weights: readonly number[]
): Float64Array {
	const out = new Float64Array(predictions[0]!.length);
	predictions.forEach((p, c) => {
		const w = weights[c]!;
		if (w > 0) for (let i = 0; i < out.length; i++) out[i]! += w * p[i]!;
	});
	return out;
}

/**
 * The selection scored honestly: for each fold (`foldOf[i]`: the fold of row i), weights selected
 * on the other folds' rows, blended on this fold's rows and scored there by `score` (higher is
 * better). Returns the per-fold scores and losses; the weights to keep are `selectWeights` on
 * every row.
 */
export function crossFitted(
	predictions: readonly Float64Array[],
	truth: Truth,
	foldOf: Int32Array,
	folds: number,
	score: (blended: Float64Array, rows: Int32Array) => number
): { scores: number[]; losses: number[]; blended: Float64Array } {
	const scores: number[] = [];
	const losses: number[] = [];
	// Each row's blend under the weights selected without its fold: the ensemble's out-of-fold
	// predictions, for a paired comparison with a single candidate's.
	const all = new Float64Array(predictions[0]!.length);
	const width = all.length / foldOf.length;
	for (let f = 0; f < folds; f++) {
		const inside: number[] = [];
		const outside: number[] = [];
		foldOf.forEach((g, i) => (g === f ? inside : outside).push(i));
		const weights = selectWeights(predictions, truth, Int32Array.from(outside));
		const blended = blend(predictions, weights);
		const rows = Int32Array.from(inside);
		scores.push(score(blended, rows));
		losses.push(lossOn(blended, truth, rows));
		for (const i of rows) all.set(blended.subarray(i * width, (i + 1) * width), i * width);
	}
	return { scores, losses, blended: all };
}

/**
 * How much better the ensemble's out-of-fold predictions are than one candidate's on the same rows,
 * and the standard error of that gain from the per-row differences (paired: the rows' own
 * difficulty cancels). Classes: the difference in being right (argmax, ties to the lower class),
 * so the gain is in accuracy; values: the difference in squared error over the variance of the
 * truth, so the gain is in R².
 */
export function pairedGain(
	ensemble: Float64Array,
	single: Float64Array,
	truth: Truth
): { gain: number; error: number } {
	const d: number[] = [];
	if ('classes' in truth) {
		const { classes, k } = truth;
		for (let i = 0; i < classes.length; i++)
			d.push(
				(rowArgmax(ensemble, i, k) === classes[i] ? 1 : 0) -
					(rowArgmax(single, i, k) === classes[i] ? 1 : 0)
			);
	} else {
		const y = truth.values;
		const mean = y.reduce((a, b) => a + b, 0) / y.length;
		const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length || 1;
		for (let i = 0; i < y.length; i++)
			d.push(((single[i]! - y[i]!) ** 2 - (ensemble[i]! - y[i]!) ** 2) / variance);
	}
	const n = d.length;
	const gain = d.reduce((a, b) => a + b, 0) / n;
	const sd = Math.sqrt(d.reduce((a, b) => a + (b - gain) ** 2, 0) / Math.max(1, n - 1));
	return { gain, error: sd / Math.sqrt(n) };
}
