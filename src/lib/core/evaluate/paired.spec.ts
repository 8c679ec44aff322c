import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { comparePaired, comparisonText } from './paired';

describe('comparePaired', () => {
	it('calls one row of difference on a few hundred rows noise, and a clear gain better', () => {
		const champion = Float64Array.from({ length: 627 }, (_, i) => (i % 13 === 0 ? 0 : 1));
		const challenger = champion.slice();
		challenger[0] = 1; // one row more right
		const close = comparePaired('accuracy', champion, challenger)!;
		expect(close.difference).toBeCloseTo(1 / 627, 12);
		expect(close.lower).toBeLessThanOrEqual(0);
		expect(close.verdict).toBe('no-difference');
		expect(comparisonText(close)).toMatch(/^not better beyond noise: accuracy \+0\.0016/);
		const worse = comparePaired('accuracy', challenger, champion)!;
		expect(worse.verdict).toBe('no-difference');
		// Forty more rows right: beyond noise.
		const better = challenger.map((v, i) => (i % 13 === 0 && i < 520 ? 1 : v));
		expect(comparePaired('accuracy', champion, better)!.verdict).toBe('better');
		expect(comparePaired('accuracy', better, champion)!.verdict).toBe('worse');
	});

	it('agrees with the normal interval of a mean of paired differences on many rows', () => {
		const random = seededRandom(3);
		const n = 5000;
		const a = Float64Array.from({ length: n }, () => (random() < 0.8 ? 1 : 0));
		const b = a.map((v) => (random() < 0.1 ? 1 - v : v));
		const c = comparePaired('accuracy', a, b)!;
		const d = Array.from(b, (v, i) => v - a[i]!);
		const mean = d.reduce((s, x) => s + x, 0) / n;
		const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
		expect(c.difference).toBeCloseTo(mean, 12);
		expect(c.lower).toBeCloseTo(mean - 1.96 * (sd / Math.sqrt(n)), 2);
		expect(c.upper).toBeCloseTo(mean + 1.96 * (sd / Math.sqrt(n)), 2);
	});

	it('compares regressions in R² on the same rows, leaving out rows either did not score', () => {
		const y = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i) * 3);
		const champion = y.map(() => 1); // squared errors of 1
		const challenger = y.map(() => 0.25);
		champion[5] = NaN;
		const c = comparePaired('r2', champion, challenger, y)!;
		expect(c.rows).toBe(399);
		const ys = Array.from(y).filter((_, i) => i !== 5);
		const m = ys.reduce((s, v) => s + v, 0) / ys.length;
		const variance = ys.reduce((s, v) => s + (v - m) ** 2, 0) / ys.length;
		expect(c.difference).toBeCloseTo(0.75 / variance, 12);
		expect(c.verdict).toBe('better');
		expect(comparePaired('accuracy', [1], [0])).toBeNull();
	});

	it('writes the rows it compared on with thousands separators', () => {
		expect(
			comparisonText({
				metric: 'accuracy',
				difference: -0.0008,
				lower: -0.0053,
				upper: 0.0035,
				rows: 6001,
				verdict: 'no-difference'
			})
		).toBe(
			'not better beyond noise: accuracy −0.0008 (95 % interval −0.0053 to +0.0035, 6,001 rows)'
		);
	});
});
