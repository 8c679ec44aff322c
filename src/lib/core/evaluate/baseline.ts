/**
 * The baselines every model is shown beside: the training rows' class shares (so the baseline
 * always predicts the majority class, with honest probabilities) or the training mean.
 */
export function baselineProbabilities(
	trainClasses: Int32Array,
	k: number,
	rows: number
): Float64Array {
	const shares = new Float64Array(k);
	for (const c of trainClasses) shares[c]!++;
	for (let c = 0; c < k; c++) shares[c]! /= trainClasses.length;
	const out = new Float64Array(rows * k);
	for (let i = 0; i < rows; i++) out.set(shares, i * k);
	return out;
}

/** The constant regression baseline: the training mean for every row (sklearn's DummyRegressor). */
export function baselineMean(trainValues: Float64Array, rows: number): Float64Array {
	let sum = 0;
	for (const v of trainValues) sum += v;
	return new Float64Array(rows).fill(trainValues.length ? sum / trainValues.length : 0);
}

/** A target whose commonest class holds at least this share of the rows is named imbalanced. */
export const IMBALANCED_SHARE = 0.75;

/**
 * The commonest class and its share of `counts` (rows per class), when it is at least
 * IMBALANCED_SHARE: there, always answering it scores that accuracy, and accuracy alone misleads.
 */
export function imbalanceOf(
	counts: readonly number[],
	labels: readonly string[]
): { label: string; share: number } | null {
	const total = counts.reduce((a, b) => a + b, 0);
	if (total === 0 || counts.length < 2) return null;
	let top = 0;
	counts.forEach((c, i) => {
		if (c > counts[top]!) top = i;
	});
	const share = counts[top]! / total;
	return share >= IMBALANCED_SHARE ? { label: labels[top] ?? String(top), share } : null;
}
