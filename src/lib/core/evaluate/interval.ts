import { seededRandom } from '../stats/random';

/** The normal quantile of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** A score's 95 % interval. */
export interface Interval {
	lower: number;
	upper: number;
}

/**
 * The 95 % Wilson score interval of a share (`successes` of `n`): unlike the normal
 * approximation it stays inside [0, 1] and is honest on a small batch or a share near 0 or 1.
 * Checked against SciPy's `binomtest(...).proportion_ci(method="wilson")`.
 */
export function wilsonInterval(successes: number, n: number): Interval {
	if (!(n > 0)) return { lower: 0, upper: 1 };
	const p = successes / n;
	const z2 = Z95 * Z95;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Bootstrap resamples for an R² interval (its ends to about ±0.01 of their value). */
const R2_RESAMPLES = 500;

/**
 * A 95 % percentile-bootstrap interval of R² on these rows (resampled with their predictions,
 * seeded: the same rows give the same interval). Null when fewer than 2 rows, or the truth
 * does not vary.
 */
export function r2Interval(
	truth: ArrayLike<number>,
	predicted: ArrayLike<number>,
	seed = 7
): Interval | null {
	const n = truth.length;
	if (n < 2) return null;
	const random = seededRandom(seed);
	const values: number[] = [];
	for (let b = 0; b < R2_RESAMPLES; b++) {
		let sy = 0;
		let syy = 0;
		let sse = 0;
		for (let i = 0; i < n; i++) {
			const r = Math.floor(random() * n);
			const y = truth[r]!;
			sy += y;
			syy += y * y;
			sse += (y - predicted[r]!) ** 2;
		}
		const sst = syy - (sy * sy) / n;
		if (sst > 0) values.push(1 - sse / sst);
	}
	if (values.length < R2_RESAMPLES / 2) return null;
	values.sort((a, b) => a - b);
	return {
		lower: values[Math.floor(0.025 * (values.length - 1))]!,
		upper: values[Math.ceil(0.975 * (values.length - 1))]!
	};
}
