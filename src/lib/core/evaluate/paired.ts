import { seededRandom } from '../stats/random';

/** Bootstrap resamples of the rows (a 95 % percentile interval to about ±0.003 of its ends). */
const RESAMPLES = 2000;

/** Two models scored on the same rows: the difference, its 95 % interval, and what it says. */
export interface PairedComparison {
	/** `accuracy` (share right) or `r2`. */
	metric: 'accuracy' | 'r2';
	/** Challenger − champion on these rows (higher is better for both metrics). */
	difference: number;
	lower: number;
	upper: number;
	/** Rows both models were scored on. */
	rows: number;
	/** `better` / `worse` only when the interval excludes 0; else `no-difference` (noise). */
	verdict: 'better' | 'worse' | 'no-difference';
}

/**
 * Challenger against champion on the same rows, with a paired bootstrap: resample the rows,
 * score both on each resample, take the 2.5th and 97.5th percentiles of the difference. A row
 * or two of difference on a few hundred rows is chance; only an interval that excludes 0 says
 * "better" (the promotion rule). `champion` / `challenger`: each row's outcome — 1 / 0 right for
 * classes, the squared error for numbers (NaN: not scored; such rows are left out of both).
 * For regression the difference is in R² on these rows: (MSE_champion − MSE_challenger) / var(y),
 * whose sign is that of the MSE difference on every resample.
 */
export function comparePaired(
	metric: 'accuracy' | 'r2',
	champion: ArrayLike<number>,
	challenger: ArrayLike<number>,
	truth: ArrayLike<number> | null = null,
	seed = 20
): PairedComparison | null {
	const diffs: number[] = [];
	const ys: number[] = [];
	for (let i = 0; i < champion.length; i++) {
		const a = champion[i]!;
		const b = challenger[i]!;
		if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
		// Higher is better: right minus right, or squared error saved.
		diffs.push(metric === 'accuracy' ? b - a : a - b);
		if (truth) ys.push(truth[i]!);
	}
	const n = diffs.length;
	if (n < 2) return null;
	let scale = 1;
	if (metric === 'r2') {
		const mean = ys.reduce((s, y) => s + y, 0) / n;
		const variance = ys.reduce((s, y) => s + (y - mean) ** 2, 0) / n;
		if (!(variance > 0)) return null;
		scale = 1 / variance;
	}
	const difference = (scale * diffs.reduce((s, d) => s + d, 0)) / n;
	const random = seededRandom(seed);
	const means = new Float64Array(RESAMPLES);
	for (let b = 0; b < RESAMPLES; b++) {
		let sum = 0;
		for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)]!;
		means[b] = (scale * sum) / n;
	}
	means.sort();
	const lower = means[Math.floor(0.025 * (RESAMPLES - 1))]!;
	const upper = means[Math.ceil(0.975 * (RESAMPLES - 1))]!;
	const verdict = lower > 0 ? 'better' : upper < 0 ? 'worse' : 'no-difference';
	return { metric, difference, lower, upper, rows: n, verdict };
}

/** A comparison in words, for the promote button's warning and the alias history. */
export function comparisonText(c: PairedComparison): string {
	const sign = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;
	const name = c.metric === 'accuracy' ? 'accuracy' : 'R²';
	const range = `${name} ${sign(c.difference)} (95 % interval ${sign(c.lower)} to ${sign(c.upper)}, ${c.rows.toLocaleString('en-US')} rows)`;
	return c.verdict === 'better'
		? `better beyond noise: ${range}`
		: c.verdict === 'worse'
			? `worse beyond noise: ${range}`
			: `not better beyond noise: ${range}`;
}
