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
 * Above this many rows R²'s interval is the delta method's: the bootstrap's 500 resamples cost
 * 500 passes over the rows (21 s on a million) to find what the normal approximation then gives.
 */
export const R2_BOOTSTRAP_MAX_ROWS = 20_000;

/**
 * A 95 % interval of R² on these rows: up to R2_BOOTSTRAP_MAX_ROWS a percentile bootstrap
 * (resampled with their predictions, seeded: the same rows give the same interval), above it the
 * delta method's normal interval. Null when fewer than 2 rows, or the truth does not vary.
 */
export function r2Interval(
	truth: ArrayLike<number>,
	predicted: ArrayLike<number>,
	seed = 7
): Interval | null {
	const n = truth.length;
	if (n < 2) return null;
	if (n > R2_BOOTSTRAP_MAX_ROWS) return r2DeltaInterval(truth, predicted);
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

/**
 * R² = 1 − m_e / m_d with m_e the mean squared error and m_d the mean squared deviation of the
 * truth from its mean; its influence per row is −(e² − m_e) / m_d + m_e (d² − m_d) / m_d², so its
 * standard error is their standard deviation / √n (the mean's own estimation adds O(1/n)).
 */
export function r2DeltaInterval(
	truth: ArrayLike<number>,
	predicted: ArrayLike<number>
): Interval | null {
	const n = truth.length;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += truth[i]!;
	mean /= n;
	let me = 0;
	let md = 0;
	for (let i = 0; i < n; i++) {
		me += (truth[i]! - predicted[i]!) ** 2;
		md += (truth[i]! - mean) ** 2;
	}
	me /= n;
	md /= n;
	if (!(md > 0)) return null;
	let sum = 0;
	let squares = 0;
	for (let i = 0; i < n; i++) {
		const e2 = (truth[i]! - predicted[i]!) ** 2;
		const d2 = (truth[i]! - mean) ** 2;
		const influence = -(e2 - me) / md + (me * (d2 - md)) / (md * md);
		sum += influence;
		squares += influence * influence;
	}
	const variance = (squares - (sum * sum) / n) / (n - 1);
	const half = (Z95 * Math.sqrt(Math.max(0, variance))) / Math.sqrt(n);
	const r2 = 1 - me / md;
	return { lower: r2 - half, upper: r2 + half };
}
