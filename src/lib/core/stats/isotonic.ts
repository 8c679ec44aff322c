/**
 * Isotonic regression (pool-adjacent-violators), as scikit-learn's `IsotonicRegression`: the
 * calibration map of CBPE and of the experiment's validation rows.
 */

/** A monotone step function: `y[i]` from `x[i]` on, interpolated linearly between breakpoints. */
export interface IsotonicMap {
	x: number[];
	y: number[];
	/** Rows pooled into each breakpoint (not needed to apply the map). */
	weights?: number[];
}

/**
 * Pool-adjacent-violators: the non-decreasing fit of `y` on `x` that minimises squared error, as
 * scikit-learn's `IsotonicRegression` gives it. Tied `x` values are pooled first; adjacent blocks
 * with equal means are pooled too, so each block is a whole run of one fitted value, kept as its
 * first and last `x` (sklearn's `X_thresholds_`), with the rows it pools as its weight.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicMap {
	const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
	const sums: number[] = [];
	const weights: number[] = [];
	const lo: number[] = [];
	const hi: number[] = [];
	for (let j = 0; j < order.length;) {
		const xv = x[order[j]!]!;
		let sum = 0;
		let weight = 0;
		for (; j < order.length && x[order[j]!] === xv; j++) {
			sum += y[order[j]!]!;
			weight++;
		}
		sums.push(sum);
		weights.push(weight);
		lo.push(xv);
		hi.push(xv);
		// Merge while the previous block's mean is not below this one's (cross-multiplied: exact).
		for (
			let k = sums.length - 1;
			k > 0 && sums[k - 1]! * weights[k]! >= sums[k]! * weights[k - 1]!;
			k--
		) {
			sums[k - 1]! += sums.pop()!;
			weights[k - 1]! += weights.pop()!;
			hi[k - 1] = hi.pop()!;
			lo.pop();
		}
	}
	const map: Required<IsotonicMap> = { x: [], y: [], weights: [] };
	sums.forEach((sum, k) => {
		const mean = sum / weights[k]!;
		const ends = hi[k]! > lo[k]! ? [lo[k]!, hi[k]!] : [lo[k]!];
		for (const end of ends) {
			map.x.push(end);
			map.y.push(mean);
			map.weights.push(weights[k]!);
		}
	});
	return map;
}

/** The calibrated value at `v`: linear between breakpoints, flat beyond the ends. */
export function applyIsotonic(map: IsotonicMap, v: number): number {
	const { x, y } = map;
	if (x.length === 0) return v;
	if (v <= x[0]!) return y[0]!;
	if (v >= x[x.length - 1]!) return y[y.length - 1]!;
	let lo = 0;
	let hi = x.length - 1;
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (x[mid]! <= v) lo = mid;
		else hi = mid;
	}
	const t = (v - x[lo]!) / (x[hi]! - x[lo]! || 1);
	return y[lo]! + t * (y[hi]! - y[lo]!);
}
