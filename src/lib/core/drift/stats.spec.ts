import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from './kolmogorov';
import { ksTest } from './ks';
import { gammaQ, twoSidedNormalP } from './special';
import {
	chiSquareContingency,
	jensenShannon,
	ksStatistic,
	psi,
	wasserstein,
	zTestProportions
} from './stats';

const reference = JSON.parse(
	readFileSync(new URL('../../../../tests/fixtures/reference/drift.json', import.meta.url), 'utf8')
) as {
	numeric: {
		name: string;
		a: number[];
		b: number[];
		ks: number;
		ks_p: number;
		wasserstein: number;
	}[];
	chi2: { table: number[][]; statistic: number; p_value: number; dof: number }[];
	jensenshannon: { p: number[]; q: number[]; distance: number }[];
	gammaincc: { a: number; x: number; q: number }[];
	normal: { z: number; p: number }[];
	kstwo: { n: number; x: number; sf: number }[];
	asymptotic: { name: string; a: number[]; b: number[]; ks: number; ks_p: number }[];
};

function close(actual: number, expected: number, tolerance: number, what: string): void {
	expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
		tolerance * Math.max(1, Math.abs(expected))
	);
}

describe('drift statistics equal SciPy', () => {
	it.each(reference.numeric)(
		'KS statistic and Wasserstein distance ($name)',
		({ a, b, ks, wasserstein: w }) => {
			close(ksStatistic(Float64Array.from(a), Float64Array.from(b)), ks, 1e-12, 'ks');
			close(wasserstein(Float64Array.from(a), Float64Array.from(b)), w, 1e-12, 'wasserstein');
		}
	);

	it.each(reference.numeric)(
		'KS exact p-value, as ks_2samp decides ($name)',
		({ a, b, ks, ks_p }) => {
			const result = ksTest(Float64Array.from(a), Float64Array.from(b));
			close(result.statistic, ks, 1e-12, 'statistic');
			expect(result.method).toBe('exact');
			expect(Math.abs(result.pValue - ks_p), `p ${result.pValue} vs ${ks_p}`).toBeLessThanOrEqual(
				1e-6
			);
		}
	);

	it.each(reference.asymptotic)(
		'KS asymptotic p-value above 10,000 values ($name)',
		({ a, b, ks, ks_p }) => {
			const result = ksTest(Float64Array.from(a), Float64Array.from(b));
			expect(result.method).toBe('asymptotic');
			close(result.statistic, ks, 1e-12, 'statistic');
			expect(Math.abs(result.pValue - ks_p), `p ${result.pValue} vs ${ks_p}`).toBeLessThanOrEqual(
				1e-6
			);
		}
	);

	it.each(reference.kstwo)('kstwo.sf(x = $x, n = $n)', ({ n, x, sf }) => {
		const value = kolmogorovSf(n, x);
		expect(Math.abs(value - sf), `${value} vs ${sf}`).toBeLessThanOrEqual(1e-9 + 1e-7 * sf);
	});

	it.each(reference.chi2)('chi2_contingency $table', ({ table, statistic, p_value, dof }) => {
		const result = chiSquareContingency(table);
		expect(result.dof).toBe(dof);
		close(result.statistic, statistic, 1e-12, 'statistic');
		close(result.pValue, p_value, 1e-9, 'p-value');
	});

	it.each(reference.jensenshannon)('jensenshannon(base=2) $p $q', ({ p, q, distance }) => {
		close(jensenShannon(p, q), distance, 1e-12, 'js');
	});

	it('the incomplete gamma and normal tails behind the p-values', () => {
		for (const { a, x, q } of reference.gammaincc) close(gammaQ(a, x), q, 1e-12, `Q(${a}, ${x})`);
		for (const { z, p } of reference.normal) close(twoSidedNormalP(z), p, 1e-12, `z=${z}`);
	});
});

describe('PSI and the proportions z-test', () => {
	it('match a hand-checked table', () => {
		// (0.3−0.2)·ln(0.3/0.2) + (0.3−0.4)·ln(0.3/0.4) + (0.4−0.4)·ln(1) = 0.0405465 + 0.0287682
		close(
			psi([20, 40, 40], [30, 30, 40]),
			0.1 * Math.log(1.5) + -0.1 * Math.log(0.75),
			1e-15,
			'psi'
		);
		expect(psi([10, 10], [10, 10])).toBe(0);
		// An empty bin counts 0.0001 instead of 0.
		close(
			psi([10, 0], [5, 5]),
			(0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001),
			1e-12,
			'psi empty'
		);
	});

	it('z-test for two proportions', () => {
		const { statistic, pValue } = zTestProportions(60, 100, 40, 100);
		close(statistic, 0.2 / Math.sqrt(0.25 * 0.02), 1e-12, 'z');
		close(pValue, twoSidedNormalP(statistic), 1e-15, 'p');
		expect(zTestProportions(0, 10, 0, 10)).toEqual({ statistic: 0, pValue: 1 });
	});
});
