import { countDistinctSorted, sortFloat64 } from './sort';

/**
 * Summary statistics of a numeric column, with pandas' definitions: `NaN` is missing, the
 * standard deviation is the sample one (ddof = 1), quantiles interpolate linearly (numpy's
 * default). One pass for the moments, one sort for order statistics.
 */
export interface NumericSummary {
	count: number;
	missing: number;
	unique: number;
	mean: number | null;
	std: number | null;
	min: number | null;
	p25: number | null;
	p50: number | null;
	p75: number | null;
	max: number | null;
	/** The present values, sorted ascending (reused for histograms). */
	sorted: Float64Array;
}

/** Count, mean, standard deviation, extremes and quartiles of the finite values. */
export function summarizeNumbers(values: Float64Array): NumericSummary {
	const present = presentValues(values);
	const count = present.length;
	const missing = values.length - count;
	if (count === 0) {
		return {
			count,
			missing,
			unique: 0,
			mean: null,
			std: null,
			min: null,
			p25: null,
			p50: null,
			p75: null,
			max: null,
			sorted: present
		};
	}
	const sorted = sortFloat64(present);
	const mean = meanOf(sorted);
	const unique = countDistinctSorted(sorted);
	return {
		count,
		missing,
		unique,
		mean,
		std: count > 1 ? stdOf(sorted, 1) : null,
		min: sorted[0]!,
		p25: quantileSorted(sorted, 0.25),
		p50: quantileSorted(sorted, 0.5),
		p75: quantileSorted(sorted, 0.75),
		max: sorted[count - 1]!,
		sorted
	};
}

/** The non-missing values, copied into a new array. */
export function presentValues(values: Float64Array): Float64Array {
	let count = 0;
	for (const v of values) if (!Number.isNaN(v)) count++;
	const out = new Float64Array(count);
	let k = 0;
	for (const v of values) if (!Number.isNaN(v)) out[k++] = v;
	return out;
}

/** Pairwise summation: error grows with log n, not n, so means match numpy's closely. */
export function sumOf(values: Float64Array, start = 0, end = values.length): number {
	if (end - start <= 128) {
		let s = 0;
		for (let i = start; i < end; i++) s += values[i]!;
		return s;
	}
	const mid = start + ((end - start) >> 1);
	return sumOf(values, start, mid) + sumOf(values, mid, end);
}

/** The arithmetic mean (NaN for no values). */
export function meanOf(values: Float64Array): number {
	return sumOf(values) / values.length;
}

/**
 * The standard deviation of `values` (no NaN) with `ddof` degrees of freedom taken off: 1 for the
 * sample one (pandas, scikit-learn's scalers), 0 for numpy's default (Evidently's normed
 * Wasserstein). NaN when there are not more values than `ddof`.
 */
export function stdOf(values: ArrayLike<number>, ddof: 0 | 1 = 1): number {
	const n = values.length;
	if (n <= ddof) return NaN;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += values[i]!;
	mean /= n;
	let squares = 0;
	for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
	return Math.sqrt(squares / (n - ddof));
}

/** numpy's default ("linear") quantile of ascending `sorted`. */
export function quantileSorted(sorted: Float64Array, q: number): number {
	const position = (sorted.length - 1) * q;
	const lo = Math.floor(position);
	const hi = Math.ceil(position);
	const a = sorted[lo]!;
	const b = sorted[hi]!;
	return lo === hi ? a : a + (b - a) * (position - lo);
}
