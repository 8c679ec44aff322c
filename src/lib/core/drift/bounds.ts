import { upperBound } from '../stats/sort';

/**
 * A batch known only by blocks — n values somewhere in [lo, hi] (lo = hi: n copies of one value)
 * — against a reference known value by value. Between the blocks' ends the batch's CDF G is only
 * bounded: G_low(t) counts the blocks wholly at or below t, G_high(t) those that start at or below
 * t. So are the two-sample statistics that depend on the values' order:
 *
 * - Kolmogorov–Smirnov D = sup |F − G|: at least sup dist(F, [G_low, G_high]), at most
 *   sup max(|F − G_low|, |F − G_high|);
 * - Wasserstein W₁ = ∫ |F − G|: the same two functions integrated, and at least the distance
 *   between the two means (|E[X] − E[Y]| ≤ W₁), which the blocks' sums give exactly.
 *
 * Both are exact when every block is a single value (the bounds meet).
 */
export interface Block {
	n: number;
	lo: number;
	hi: number;
}

export interface Bound {
	lower: number;
	upper: number;
}

export function orderBounds(
	reference: Float64Array,
	blocks: readonly Block[],
	/** The batch's mean (from its sums), for the mean bound on W₁; null to leave it out. */
	batchMean: number | null = null
): { ks: Bound; wasserstein: Bound } {
	const m = reference.length;
	const blockRows = blocks.reduce((t, b) => t + b.n, 0);
	if (m === 0 || blockRows === 0)
		return { ks: { lower: 0, upper: 0 }, wasserstein: { lower: 0, upper: 0 } };
	const used = blocks.filter((b) => b.n > 0);
	const points = breakpoints(reference, used);
	const byLo = used.slice().sort((a, b) => a.lo - b.lo);
	const byHi = used.slice().sort((a, b) => a.hi - b.hi);
	let lo = 0;
	let hi = 0;
	let rowsLo = 0; // rows of blocks starting at or below t
	let rowsHi = 0; // rows of blocks ending at or below t
	let ksLower = 0;
	let ksUpper = 0;
	let wLower = 0;
	let wUpper = 0;
	for (let k = 0; k < points.length; k++) {
		const t = points[k]!;
		while (lo < byLo.length && byLo[lo]!.lo <= t) rowsLo += byLo[lo++]!.n;
		while (hi < byHi.length && byHi[hi]!.hi <= t) rowsHi += byHi[hi++]!.n;
		const f = upperBound(reference, t) / m;
		const gLow = rowsHi / blockRows;
		const gHigh = rowsLo / blockRows;
		const near = f < gLow ? gLow - f : f > gHigh ? f - gHigh : 0;
		const far = Math.max(Math.abs(f - gLow), Math.abs(f - gHigh));
		ksLower = Math.max(ksLower, near);
		ksUpper = Math.max(ksUpper, far);
		if (k + 1 < points.length) {
			const width = points[k + 1]! - t;
			wLower += near * width;
			wUpper += far * width;
		}
	}
	if (batchMean !== null && Number.isFinite(batchMean)) {
		let total = 0;
		for (let i = 0; i < m; i++) total += reference[i]!;
		wLower = Math.max(wLower, Math.min(wUpper, Math.abs(total / m - batchMean)));
	}
	return { ks: { lower: ksLower, upper: ksUpper }, wasserstein: { lower: wLower, upper: wUpper } };
}

/** Every point where F, G_low or G_high can step: the reference's values and the blocks' ends. */
function breakpoints(reference: Float64Array, blocks: readonly Block[]): Float64Array {
	const all = new Float64Array(reference.length + 2 * blocks.length);
	all.set(reference);
	blocks.forEach((b, i) => {
		all[reference.length + 2 * i] = b.lo;
		all[reference.length + 2 * i + 1] = b.hi;
	});
	all.sort();
	let k = 0;
	for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[k - 1]) all[k++] = all[i]!;
	return all.subarray(0, k);
}
