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
