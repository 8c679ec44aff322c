import { kolmogorovSf } from './kolmogorov';
import { ksStatistic, ksStatisticSorted } from './stats';

/** SciPy's `ks_2samp(method='auto')` is exact while both samples have at most this many values. */
export const KS_EXACT_MAX_N = 10_000;

function gcd(a: number, b: number): number {
	while (b) [a, b] = [b, a % b];
	return a;
}

/**
 * The exact two-sided p-value of the two-sample KS statistic `d` for samples of `m` and `n`
 * values (no ties), as `ks_2samp` computes it in exact mode: `d` is first rounded to the lattice
 * (h / lcm(m, n)), then p = P(max |F_m − G_n| ≥ d) over all orderings of the pooled sample.
 *
 * A random ordering is a lattice path from (0, 0) to (m, n); the path stays inside the band
 * |i·n − j·m| < h·g with the probability carried by a dynamic program over the band, where a step
 * from (i, j) goes right with chance (m − i) / (m − i + n − j). Every quantity is a probability,
 * so nothing overflows, and the work is O(m · band width), small exactly when d is small.
 */
export function ksExactPValue(d: number, m: number, n: number): number {
	const g = gcd(m, n);
	const lcm = (m / g) * n;
	const h = Math.round(d * lcm);
	if (h === 0) return 1;
	const limit = h * g; // |i·n − j·m| must stay below this
	// Row i of the band: the j with |i·n − j·m| < limit.
	const lo = (i: number) => Math.max(0, Math.floor((i * n - limit) / m) + 1);
	const hi = (i: number) => Math.min(n, Math.ceil((i * n + limit) / m) - 1);
	// prev[j] for row i − 1 (valid on [prevLo, prevHi]): chance of reaching (i − 1, j) inside the band.
	let prev = new Float64Array(n + 1);
	let row = new Float64Array(n + 1);
	let prevLo = 0;
	let prevHi = hi(0);
	prev[0] = 1;
	for (let j = 1; j <= prevHi; j++) prev[j] = (prev[j - 1]! * (n - j + 1)) / (m + n - j + 1);
	for (let i = 1; i <= m; i++) {
		const rowLo = lo(i);
		const rowHi = hi(i);
		for (let j = rowLo; j <= rowHi; j++) {
			// From (i − 1, j) by a step right; from (i, j − 1) by a step up.
			let p = j >= prevLo && j <= prevHi ? (prev[j]! * (m - i + 1)) / (m - i + 1 + n - j) : 0;
			if (j > rowLo) p += (row[j - 1]! * (n - j + 1)) / (m - i + n - j + 1);
			row[j] = p;
		}
		[prev, row] = [row, prev];
		prevLo = rowLo;
		prevHi = rowHi;
		if (prevLo > prevHi) return 1;
	}
	if (n < prevLo || n > prevHi) return 1;
	return Math.min(1, Math.max(0, 1 - prev[n]!));
}

/** numpy's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
	const r = Math.round(x);
	return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The two-sample KS test as SciPy's `ks_2samp(method='auto')`, two-sided: exact while both
 * samples have at most 10,000 values, else asymptotic — the one-sample Kolmogorov distribution at
 * n = round(m·n / (m + n)) (SciPy's `kstwo.sf`). `sorted`: both samples are already ascending.
 */
export function ksTest(
	a: Float64Array,
	b: Float64Array,
	sorted = false
): { statistic: number; pValue: number; method: 'exact' | 'asymptotic' } {
	const statistic = sorted ? ksStatisticSorted(a, b) : ksStatistic(a, b);
	return { statistic, ...ksPValue(statistic, a.length, b.length) };
}

/** The p-value of a KS statistic for samples of m and n values, as `ks_2samp(method='auto')`. */
export function ksPValue(
	statistic: number,
	m: number,
	n: number
): { pValue: number; method: 'exact' | 'asymptotic' } {
	if (Math.max(m, n) <= KS_EXACT_MAX_N)
		return { pValue: ksExactPValue(statistic, m, n), method: 'exact' };
	const en = (m * n) / (m + n);
	return { pValue: kolmogorovSf(roundHalfEven(en), statistic), method: 'asymptotic' };
}
