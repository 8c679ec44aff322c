import { sortFloat64 } from '../stats/sort';
import { chiSquareSurvival, twoSidedNormalP } from './special';

/**
 * Two-sample drift statistics with SciPy's definitions (checked in stats.spec.ts against
 * `scipy.stats` on committed fixtures). Inputs hold no missing values.
 */

/** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two ECDFs. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
	return ksStatisticSorted(sortFloat64(a.slice()), sortFloat64(b.slice()));
}

/** `ksStatistic` of samples already sorted ascending (one merge walk). */
export function ksStatisticSorted(x: Float64Array, y: Float64Array): number {
	let i = 0;
	let j = 0;
	let d = 0;
	while (i < x.length && j < y.length) {
		const v = Math.min(x[i]!, y[j]!);
		while (i < x.length && x[i] === v) i++;
		while (j < y.length && y[j] === v) j++;
		d = Math.max(d, Math.abs(i / x.length - j / y.length));
	}
	return d;
}

/** The first Wasserstein distance between two empirical distributions (`wasserstein_distance`). */
export function wasserstein(a: Float64Array, b: Float64Array): number {
	return wassersteinSorted(sortFloat64(a.slice()), sortFloat64(b.slice()));
}

/**
 * `wasserstein` of samples already sorted ascending: ∫ |F(t) − G(t)| dt, walking the merged
 * values once without building the merged array.
 */
export function wassersteinSorted(x: Float64Array, y: Float64Array): number {
	let i = 0;
	let j = 0;
	let distance = 0;
	let previous = Math.min(x[0]!, y[0]!);
	while (i < x.length || j < y.length) {
		const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
		distance += Math.abs(i / x.length - j / y.length) * (v - previous);
		previous = v;
		while (i < x.length && x[i] === v) i++;
		while (j < y.length && y[j] === v) j++;
	}
	return distance;
}

/** The Jensen–Shannon distance (base 2) of two count vectors over the same bins (`jensenshannon`). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
	let sp = 0;
	let sq = 0;
	for (let i = 0; i < p.length; i++) {
		sp += p[i]!;
		sq += q[i]!;
	}
	let divergence = 0;
	for (let i = 0; i < p.length; i++) {
		const pi = p[i]! / sp;
		const qi = q[i]! / sq;
		const m = (pi + qi) / 2;
		if (pi > 0) divergence += pi * Math.log(pi / m);
		if (qi > 0) divergence += qi * Math.log(qi / m);
	}
	return Math.sqrt(Math.max(0, divergence / 2) / Math.LN2);
}

/**
 * Pearson's χ² test of independence: statistic, degrees of freedom, p-value (as SciPy's
 * `chi2_contingency`).
 */
export interface ChiSquareResult {
	statistic: number;
	pValue: number;
	dof: number;
}

/**
 * Pearson's chi-square test of independence on a contingency table (rows = samples, columns =
 * categories), with Yates' correction when there is one degree of freedom — `chi2_contingency`'s
 * defaults. Columns that are empty in every row are dropped first.
 */
export function chiSquareContingency(table: number[][]): ChiSquareResult {
	const columns = table[0]!.map((_, c) => c).filter((c) => table.some((row) => row[c]! > 0));
	const rows = table.map((row) => columns.map((c) => row[c]!));
	const rowTotals = rows.map((row) => row.reduce((a, b) => a + b, 0));
	const colTotals = columns.map((_, c) => rows.reduce((a, row) => a + row[c]!, 0));
	const total = rowTotals.reduce((a, b) => a + b, 0);
	const dof = (rows.length - 1) * (columns.length - 1);
	if (dof === 0) return { statistic: 0, pValue: 1, dof };
	let statistic = 0;
	rows.forEach((row, r) =>
		row.forEach((observed, c) => {
			const expected = (rowTotals[r]! * colTotals[c]!) / total;
			let diff = observed - expected;
			// Yates: move each cell half a count toward its expectation, never past it (SciPy gh-13875).
			if (dof === 1) diff -= Math.sign(diff) * Math.min(0.5, Math.abs(diff));
			statistic += (diff * diff) / expected;
		})
	);
	return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

/**
 * The two-proportion z-test (pooled), Evidently's test for a feature with two values: `a1` of
 * `n1` reference rows and `a2` of `n2` current rows hold the first value.
 */
export function zTestProportions(
	a1: number,
	n1: number,
	a2: number,
	n2: number
): { statistic: number; pValue: number } {
	const p = (a1 + a2) / (n1 + n2);
	const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
	if (se === 0) return { statistic: 0, pValue: 1 };
	const statistic = (a1 / n1 - a2 / n2) / se;
	return { statistic, pValue: twoSidedNormalP(statistic) };
}

/** PSI bands: below 0.1 stable, 0.1–0.25 moderate, above 0.25 a significant shift. */
export const PSI_BANDS = { moderate: 0.1, significant: 0.25 } as const;
const EMPTY_BIN = 0.0001;

/** The population stability index of two count vectors over the same bins; empty bins count 0.0001. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
	let sr = 0;
	let sc = 0;
	for (let i = 0; i < reference.length; i++) {
		sr += reference[i]!;
		sc += current[i]!;
	}
	let value = 0;
	for (let i = 0; i < reference.length; i++) {
		const r = reference[i]! / sr || EMPTY_BIN;
		const c = current[i]! / sc || EMPTY_BIN;
		value += (c - r) * Math.log(c / r);
	}
	return value;
}
