/**
 * Special functions for p-values: the regularized upper incomplete gamma function Q(a, x) (the
 * chi-square survival function is Q(k/2, x/2)) and the complementary error function. Series for
 * x < a + 1, Lentz's continued fraction otherwise (Numerical Recipes §6.2), to ~1e-15.
 */
const EPS = 1e-16;
const MAX_ITERATIONS = 10_000;

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), relative error below 1e-15 for x > 0. */
export function logGamma(x: number): number {
	const c = [
		0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
		-176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
		1.5056327351493116e-7
	];
	if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
	const z = x - 1;
	let sum = c[0]!;
	for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
	const t = z + 7.5;
	return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Q(a, x) = Γ(a, x) / Γ(a): the upper tail. */
export function gammaQ(a: number, x: number): number {
	if (!(a > 0) || x < 0 || Number.isNaN(x)) return NaN;
	if (x === 0) return 1;
	if (x === Infinity) return 0;
	const lead = -x + a * Math.log(x) - logGamma(a);
	if (x < a + 1) {
		// 1 − P(a, x), P by its series.
		let term = 1 / a;
		let sum = term;
		for (let n = 1; n < MAX_ITERATIONS; n++) {
			term *= x / (a + n);
			sum += term;
			if (Math.abs(term) < Math.abs(sum) * EPS) break;
		}
		return 1 - sum * Math.exp(lead);
	}
	let b = x + 1 - a;
	let c = 1 / 1e-300;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < MAX_ITERATIONS; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < 1e-300) d = 1e-300;
		c = b + an / c;
		if (Math.abs(c) < 1e-300) c = 1e-300;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPS) break;
	}
	return Math.exp(lead) * h;
}

/** The chi-square distribution's survival function P(X > x) with `dof` degrees of freedom. */
export function chiSquareSurvival(x: number, dof: number): number {
	return gammaQ(dof / 2, x / 2);
}

/** erfc(x), via Q(1/2, x²) for x ≥ 0. */
export function erfc(x: number): number {
	if (x < 0) return 2 - erfc(-x);
	return gammaQ(0.5, x * x);
}

/** The standard normal's two-sided p-value for a z statistic. */
export function twoSidedNormalP(z: number): number {
	return erfc(Math.abs(z) / Math.SQRT2);
}
