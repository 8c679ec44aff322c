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
 * Both are exact when every block is a single value (the bounds meet). A block's sum tightens
 * W₁'s lower bound where no other block overlaps it: over [lo, hi] the integral of G is then known
 * exactly — (rows before · (hi − lo) + n·hi − sum) / N — and so is F's, and ∫|F − G| there is at
 * least |∫F − ∫G| (and KS at least that over hi − lo).
 */
export interface Block {
	n: number;
	lo: number;
	hi: number;
	/** The block's values' sum, when known. */
	sum?: number;
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
	// Per point: F there and the pointwise lower bound's value, for the blocks' refinement.
	const fAt = new Float64Array(points.length);
	const nearAt = new Float64Array(points.length);
	for (let k = 0; k < points.length; k++) {
		const t = points[k]!;
		while (lo < byLo.length && byLo[lo]!.lo <= t) rowsLo += byLo[lo++]!.n;
		while (hi < byHi.length && byHi[hi]!.hi <= t) rowsHi += byHi[hi++]!.n;
		const f = upperBound(reference, t) / m;
		const gLow = rowsHi / blockRows;
		const gHigh = rowsLo / blockRows;
		const near = f < gLow ? gLow - f : f > gHigh ? f - gHigh : 0;
		const far = Math.max(Math.abs(f - gLow), Math.abs(f - gHigh));
		fAt[k] = f;
		nearAt[k] = near;
		ksLower = Math.max(ksLower, near);
		ksUpper = Math.max(ksUpper, far);
		if (k + 1 < points.length) {
			const width = points[k + 1]! - t;
			wLower += near * width;
			wUpper += far * width;
		}
	}
	const sums = blockGain(used, blockRows, points, fAt, nearAt);
	wLower += sums.wasserstein;
	ksLower = Math.max(ksLower, sums.ks);
	if (batchMean !== null && Number.isFinite(batchMean)) {
		let total = 0;
		for (let i = 0; i < m; i++) total += reference[i]!;
		wLower = Math.max(wLower, Math.min(wUpper, Math.abs(total / m - batchMean)));
	}
	return { ks: { lower: ksLower, upper: ksUpper }, wasserstein: { lower: wLower, upper: wUpper } };
}

/**
 * What the blocks' sums add to the lower bounds: per block with a sum, a width and no other block
 * inside or across it, how much |∫F − ∫G| over [lo, hi] exceeds the pointwise bound's integral
 * there (W₁; never less than 0), and the largest |∫F − ∫G| / (hi − lo) — the mean of |F − G| over
 * a cut, which its supremum (KS) is at least.
 */
function blockGain(
	blocks: readonly Block[],
	rows: number,
	points: Float64Array,
	f: Float64Array,
	near: Float64Array
): { wasserstein: number; ks: number } {
	let gain = 0;
	let ks = 0;
	for (const b of blocks) {
		if (b.sum === undefined || !(b.hi > b.lo)) continue;
		let before = 0;
		let alone = true;
		for (const o of blocks) {
			if (o === b) continue;
			if (o.hi < b.lo) before += o.n;
			else if (o.lo <= b.hi) alone = false;
		}
		if (!alone) continue;
		let integralF = 0;
		let pointwise = 0;
		// The points from lo up to hi: F and the bound are constant from each to the next.
		for (let k = lowerIndex(points, b.lo); k + 1 < points.length && points[k]! < b.hi; k++) {
			const width = points[k + 1]! - points[k]!;
			integralF += f[k]! * width;
			pointwise += near[k]! * width;
		}
		const integralG = (before * (b.hi - b.lo) + b.n * b.hi - b.sum) / rows;
		// A gap at the sums' rounding error is no evidence (it would print as 6e-16, not 0).
		const raw = Math.abs(integralF - integralG);
		const gap = raw > ROUNDING * (b.hi - b.lo) * (1 + Math.abs(b.hi)) ? raw : 0;
		gain += Math.max(0, gap - pointwise);
		// |F − G| reaches its mean over the cut somewhere in it: KS is at least that.
		ks = Math.max(ks, gap / (b.hi - b.lo));
	}
	return { wasserstein: gain, ks };
}

/** The relative rounding error a block's integrals may carry. */
const ROUNDING = 1e-12;

/** The first index of a sorted array holding a value ≥ v. */
function lowerIndex(sorted: Float64Array, v: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid]! < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
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
