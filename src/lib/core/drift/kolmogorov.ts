import { logGamma } from './special';

/**
 * The survival function of the two-sided one-sample Kolmogorov statistic D_n, P(D_n ≥ x), as
 * Simard & L'Ecuyer (2011) organise it and SciPy's `kstwo.sf` follows: the Ruben–Gambino exact
 * edges, Durbin's matrix (Marsaglia–Tsang–Wang) for small n·x², twice the one-sided Smirnov
 * probability (Birnbaum–Tingey) in the tail, the Pelz–Good expansion for large n. Where SciPy
 * uses Pomeranz's recursion (n ≤ 140, n·x² ≤ 4) this uses Durbin's: both are exact.
 */
export function kolmogorovSf(n: number, x: number): number {
	if (!(n >= 1) || Number.isNaN(x)) return NaN;
	if (x >= 1) return 0;
	if (x <= 0) return 1;
	const t = n * x;
	if (t <= 1) {
		if (t <= 0.5) return 1;
		const logCdf = logFactorialOverPower(n) + n * Math.log(2 * t - 1);
		return clip(1 - Math.exp(logCdf));
	}
	if (t >= n - 1) return clip(2 * Math.pow(1 - x, n));
	if (x >= 0.5) return clip(2 * smirnovSf(n, x));
	const nx2 = t * x;
	if (n <= 140) {
		if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
		return clip(2 * smirnovSf(n, x));
	}
	if (nx2 >= 370) return 0;
	if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
	if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) return clip(1 - durbinCdf(n, x));
	return clip(1 - pelzGoodCdf(n, x));
}

function clip(p: number): number {
	return Math.min(1, Math.max(0, p));
}

/** ln(n! / nⁿ). */
function logFactorialOverPower(n: number): number {
	return logGamma(n + 1) - n * Math.log(n);
}

/**
 * The one-sided Smirnov probability P(D⁺_n ≥ d), Birnbaum–Tingey:
 * d · Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (1 − d − j/n)^{n−j} (d + j/n)^{j−1}, summed in logs.
 */
export function smirnovSf(n: number, d: number): number {
	if (d <= 0) return 1;
	if (d >= 1) return 0;
	const last = Math.floor(n * (1 - d) + 1e-12);
	const logs: number[] = [];
	for (let j = 0; j <= last; j++) {
		const a = 1 - d - j / n;
		if (a <= 0 && n - j > 0) continue;
		const logTerm =
			logGamma(n + 1) -
			logGamma(j + 1) -
			logGamma(n - j + 1) +
			(n - j > 0 ? (n - j) * Math.log(a) : 0) +
			(j - 1) * Math.log(d + j / n);
		logs.push(logTerm);
	}
	if (logs.length === 0) return 0;
	const top = Math.max(...logs);
	let sum = 0;
	for (const l of logs) sum += Math.exp(l - top);
	return clip(d * Math.exp(top) * sum);
}

const SCALE_EXP = 128;
const SCALE = 2 ** SCALE_EXP;

/** Durbin's matrix method for P(D_n ≤ d) (Marsaglia, Tsang & Wang 2003), scaled powers of H. */
function durbinCdf(n: number, d: number): number {
	const nd = n * d;
	if (nd <= 0.5) return 0;
	const k = Math.ceil(nd);
	const h = k - nd;
	const m = 2 * k - 1;
	const H = new Float64Array(m * m);
	const v = new Float64Array(m);
	const w = new Float64Array(m);
	let factorial = 1;
	for (let j = 1; j <= m; j++) {
		w[j - 1] = factorial;
		factorial /= j;
		v[j - 1] = (1 - Math.pow(h, j)) * factorial;
	}
	const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
	v[m - 1] = (1 + tt) * factorial;
	for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
	for (let r = 0; r < m; r++) H[r * m] = v[r]!;
	for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;
	let power: Float64Array = identity(m);
	let base: Float64Array = H;
	let exponent = 0;
	let baseExponent = 0;
	for (let e = n; e > 0; e = Math.floor(e / 2)) {
		if (e % 2) {
			power = multiply(power, base, m);
			exponent += baseExponent;
		}
		base = multiply(base, base, m);
		baseExponent *= 2;
		if (Math.abs(base[(k - 1) * m + (k - 1)]!) > SCALE) {
			for (let i = 0; i < base.length; i++) base[i]! /= SCALE;
			baseExponent += SCALE_EXP;
		}
	}
	let p = power[(k - 1) * m + (k - 1)]!;
	for (let i = 1; i <= n; i++) {
		p = (i * p) / n;
		if (Math.abs(p) < 1 / SCALE) {
			p *= SCALE;
			exponent -= SCALE_EXP;
		}
	}
	return p * Math.pow(2, exponent);
}

function identity(m: number): Float64Array {
	const out = new Float64Array(m * m);
	for (let i = 0; i < m; i++) out[i * m + i] = 1;
	return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
	const out = new Float64Array(m * m);
	for (let i = 0; i < m; i++) {
		for (let k = 0; k < m; k++) {
			const aik = a[i * m + k]!;
			if (aik === 0) continue;
			for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
		}
	}
	return out;
}

/** The Pelz–Good asymptotic expansion of P(D_n ≤ x) (1976), for large n and small n·x². */
function pelzGoodCdf(n: number, x: number): number {
	const PI2 = Math.PI ** 2;
	const PI4 = PI2 * PI2;
	const PI6 = PI4 * PI2;
	const SQRT2PI = Math.sqrt(2 * Math.PI);
	const z = Math.sqrt(n) * x;
	const z2 = z * z;
	const z4 = z2 * z2;
	const z6 = z4 * z2;
	const qlog = -PI2 / 8 / z2;
	if (qlog < -708) return 0;
	let q = Math.exp(qlog);
	const k1a = -z2;
	const k1b = PI2 / 4;
	const k2a = 6 * z6 + 2 * z4;
	const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
	const k2c = (PI4 * (1 - 2 * z2)) / 16;
	const k3d = (PI6 * (5 - 30 * z2)) / 64;
	const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
	const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
	const k3a = -30 * z6 - 90 * z4 * z4;
	const K = [0, 0, 0, 0];
	const maxk = Math.ceil((16 * z) / Math.PI);
	// Horner over the odd terms: Σ c(m) q^(m²), m = 2k − 1.
	for (let k = maxk; k >= 1; k--) {
		const m = 2 * k - 1;
		const m2 = m * m;
		const m4 = m2 * m2;
		const m6 = m4 * m2;
		const qpower = Math.pow(q, 8 * k);
		const coeffs = [
			1,
			k1a + k1b * m2,
			k2a + k2b * m2 + k2c * m4,
			k3a + k3b * m2 + k3c * m4 + k3d * m6
		];
		for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
	}
	const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
	for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / divisors[i]!;
	q = Math.exp(-PI2 / 2 / z2);
	let k2extra = 0;
	let k3extra = 0;
	const sqrt3z = Math.sqrt(3) * z;
	for (let k = maxk; k >= 1; k--) {
		const k2 = k * k;
		const qk = Math.pow(q, k2);
		k2extra += k2 * qk;
		k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qk;
	}
	K[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
	K[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6);
	let sum = 0;
	for (let i = 0; i < 4; i++) sum += K[i]! / Math.pow(n, i / 2);
	return sum;
}
