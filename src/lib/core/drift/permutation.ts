import { seededRandom } from '../stats/random';
import { chiSquareContingency } from './stats';

/** At most this many permutations (p down to 0.001). */
export const MAX_PERMUTATIONS = 999;
/** Besag & Clifford's sequential stop: once this many permuted statistics reach the observed. */
const EXCEEDANCES = 20;
/** Cochran's rule: the chi-square distribution holds when every expected count is at least 5. */
const MIN_EXPECTED = 5;

/**
 * Is a reference and a batch, as counts per category, two samples of one distribution? Pearson's
 * chi-square statistic, with its p-value from the chi-square distribution where every expected
 * count is at least 5 (Cochran), else from permutations: with many levels and a small batch most
 * cells are nearly empty, the distribution no longer holds, and a distance such as Jensen–Shannon
 * is large by chance alone (627 training rows gave "4 of 13 features drifted").
 *
 * The permutation p-value pools both samples, draws the batch's size from the pool again and
 * again (seeded from the counts: the same counts give the same p, other counts other draws, as
 * the test's validity needs), and stops early once
 * EXCEEDANCES draws reach the observed statistic (Besag & Clifford 1991, "Sequential Monte Carlo
 * p-values", Biometrika 78: valid, and cheap where there is no drift, which is most batches).
 */
export function categoricalPValue(
	reference: readonly number[],
	current: readonly number[],
	seed = countsSeed(reference, current)
): { statistic: number; pValue: number; method: 'chi_square' | 'permutation' } {
	const chi = chiSquareContingency([[...reference], [...current]]);
	if (chi.dof === 0) return { statistic: 0, pValue: 1, method: 'chi_square' };
	const n = sum(reference);
	const m = sum(current);
	const total = n + m;
	const totals = reference.map((r, i) => r + current[i]!);
	const sparse = totals.some((t) => t > 0 && Math.min(n, m) * (t / total) < MIN_EXPECTED);
	if (!sparse) return { statistic: chi.statistic, pValue: chi.pValue, method: 'chi_square' };

	// The pool as one level code per row; each draw takes the smaller sample's size from it.
	const levels = totals.map((_, i) => i).filter((i) => totals[i]! > 0);
	const pooled = levels.map((i) => totals[i]!);
	const pool = new Int32Array(total);
	let at = 0;
	pooled.forEach((t, k) => pool.fill(k, at, (at += t)));
	const drawn = Math.min(n, m);
	const observed = statisticOf(
		levels.map((i) => (drawn === m ? current[i]! : reference[i]!)),
		pooled,
		drawn,
		total
	);
	const random = seededRandom(seed);
	const counts = new Float64Array(pooled.length);
	let reached = 0;
	for (let b = 1; b <= MAX_PERMUTATIONS; b++) {
		counts.fill(0);
		// A partial Fisher–Yates: the first `drawn` places are a uniform draw without replacement.
		for (let i = 0; i < drawn; i++) {
			const j = i + Math.floor(random() * (total - i));
			const code = pool[j]!;
			pool[j] = pool[i]!;
			pool[i] = code;
			counts[code]!++;
		}
		// A relative tolerance: the same table must count as reaching itself despite rounding.
		if (statisticOf(counts, pooled, drawn, total) >= observed * (1 - 1e-12)) reached++;
		if (reached === EXCEEDANCES)
			return { statistic: chi.statistic, pValue: reached / b, method: 'permutation' };
	}
	return {
		statistic: chi.statistic,
		pValue: (reached + 1) / (MAX_PERMUTATIONS + 1),
		method: 'permutation'
	};
}

/**
 * Pearson's statistic of a two-row table from one row's counts and the column totals (no Yates
 * correction: the permutation null needs no continuity fix). Rank-equivalent to the full table's.
 */
function statisticOf(
	drawn: ArrayLike<number>,
	totals: readonly number[],
	size: number,
	total: number
): number {
	const other = total - size;
	let statistic = 0;
	for (let k = 0; k < totals.length; k++) {
		const t = totals[k]!;
		const a = drawn[k]!;
		const ea = (size * t) / total;
		const eb = (other * t) / total;
		const b = t - a;
		statistic += ((a - ea) * (a - ea)) / ea + ((b - eb) * (b - eb)) / eb;
	}
	return statistic;
}

function sum(values: readonly number[]): number {
	let s = 0;
	for (const v of values) s += v;
	return s;
}

/** A seed from the counts (FNV-1a over them): reproducible, and different for different data. */
function countsSeed(reference: readonly number[], current: readonly number[]): number {
	let h = 0x811c9dc5;
	for (const v of [...reference, -1, ...current]) {
		h ^= v & 0xffff;
		h = Math.imul(h, 0x01000193);
		h ^= v >>> 16;
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}
