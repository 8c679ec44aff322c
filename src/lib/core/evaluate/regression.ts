/**
 * Regression metrics with scikit-learn's definitions (checked against `sklearn.metrics` in
 * regression.spec.ts).
 */
export interface RegressionMetrics {
	mae: number;
	mse: number;
	rmse: number;
	r2: number;
	/**
	 * Mean absolute percentage error; null when a true value is 0, where it is undefined (sklearn
	 * divides by machine epsilon there and reports numbers like 1e15).
	 */
	mape: number | null;
	max_error: number;
}

/** R², RMSE, MAE and friends of a regression (sklearn's definitions). */
export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): RegressionMetrics {
	const n = yTrue.length;
	let absolute = 0;
	let squared = 0;
	let percentage = 0;
	let maxError = 0;
	let zeros = 0;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += yTrue[i]!;
	mean /= n;
	let total = 0;
	for (let i = 0; i < n; i++) {
		const t = yTrue[i]!;
		const e = Math.abs(t - yPred[i]!);
		absolute += e;
		squared += e * e;
		// sklearn divides by max(|y|, machine epsilon): a true 0 gives a huge, not infinite, term.
		percentage += e / Math.max(Math.abs(t), Number.EPSILON);
		if (t === 0) zeros++;
		if (e > maxError) maxError = e;
		total += (t - mean) * (t - mean);
	}
	const mse = squared / n;
	return {
		mae: absolute / n,
		mse,
		rmse: Math.sqrt(mse),
		// sklearn: a constant truth scores 1 when predicted exactly, else 0.
		r2: total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total,
		mape: zeros ? null : percentage / n,
		max_error: maxError
	};
}
