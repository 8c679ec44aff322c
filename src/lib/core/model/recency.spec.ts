import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { fitEnsemble, rawScores } from './trees/boost';
import { fitLinearExact } from './neural/linear-fit';
import { drawWeighted } from './neural/dense-fit';
import { halfLifeMs, parseHalfLife, recencyWeights } from './recency';
import { DEFAULT_GBDT, DEFAULT_LINEAR } from './spec';

const DAY = 86_400_000;

describe('recency weights', () => {
	it('halve every half-life back from the newest row, mean 1, a row without a date counts 1', () => {
		const times = Float64Array.from([0, 30 * DAY, 60 * DAY, NaN]);
		const w = recencyWeights(times, Int32Array.from([0, 1, 2, 3]), { periods: 30, unit: 'day' });
		expect(w[2]! / w[1]!).toBeCloseTo(2, 6);
		expect(w[1]! / w[0]!).toBeCloseTo(2, 6);
		expect((w[0]! + w[1]! + w[2]!) / 3).toBeCloseTo(1, 6);
		expect(w[3]).toBe(1);
		expect(halfLifeMs({ periods: 1, unit: 'year' })).toBe(365.25 * DAY);
		expect(parseHalfLife('6 months')).toEqual({ periods: 6, unit: 'month' });
		expect(parseHalfLife('90d')).toEqual({ periods: 90, unit: 'day' });
		expect(parseHalfLife('soon')).toBeNull();
	});

	// A weight of 2 is the row twice: the property sklearn's sample_weight has.
	const random = seededRandom(8);
	const n = 300;
	const x = Float32Array.from({ length: n * 2 }, () => random() * 2 - 1);
	const y = Float32Array.from({ length: n }, (_, i) =>
		x[2 * i]! + 0.3 * x[2 * i + 1]! > 0.1 ? 1 : 0
	);
	const twice = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1));
	const dup = (() => {
		const rows: number[] = [];
		for (let i = 0; i < n; i++) for (let c = 0; c < twice[i]!; c++) rows.push(i);
		return {
			x: Float32Array.from(rows.flatMap((r) => [x[2 * r]!, x[2 * r + 1]!])),
			y: Float32Array.from(rows, (r) => y[r]!)
		};
	})();
	const empty = new Float32Array(0);
	const base = { xVal: empty, yVal: empty, inputs: 2, classes: 2 };

	it('weigh the trees’ gradients as repeated rows would', async () => {
		const spec = { ...DEFAULT_GBDT, maxIterations: 15, minSamplesLeaf: 1, patience: 0 };
		const weighted = await fitEnsemble({ ...base, x, y, rowWeights: twice }, spec, 'binary');
		const repeated = await fitEnsemble({ ...base, x: dup.x, y: dup.y }, spec, 'binary');
		const a = rawScores(weighted.ensemble, x);
		const b = rawScores(repeated.ensemble, x);
		let worst = 0;
		a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]!))));
		expect(worst).toBeLessThan(1e-4);
		const plain = rawScores((await fitEnsemble({ ...base, x, y }, spec, 'binary')).ensemble, x);
		expect(Array.from(plain)).not.toEqual(Array.from(a));
	});

	it('weigh the linear model’s loss as repeated rows would', async () => {
		const spec = { ...DEFAULT_LINEAR, epochs: 200 };
		const mean = twice.reduce((s, w) => s + w, 0) / n;
		// Normalised to mean 1, as recency weights are: the same minimiser up to the L2 term's scale.
		const weighted = await fitLinearExact(
			{ ...base, x, y, rowWeights: twice.map((w) => w / mean) },
			{ ...spec, l2: 0 },
			'binary'
		);
		const repeated = await fitLinearExact(
			{ ...base, x: dup.x, y: dup.y },
			{ ...spec, l2: 0 },
			'binary'
		);
		weighted.kernel.forEach((v, i) => expect(v).toBeCloseTo(repeated.kernel[i]!, 3));
	});

	it('draw an MLP epoch’s rows in proportion to their weights', () => {
		// Weights 0, 1, 3, 0 as running sums.
		const cumulative = Float64Array.from([0, 1, 4, 4]);
		const order = new Int32Array(4000);
		drawWeighted(cumulative, order, seededRandom(2));
		const counts = [0, 0, 0, 0];
		for (const r of order) counts[r]!++;
		expect(counts[0]).toBe(0);
		expect(counts[3]).toBe(0);
		expect(counts[2]! / counts[1]!).toBeGreaterThan(2.6);
		expect(counts[2]! / counts[1]!).toBeLessThan(3.4);
	});
});
