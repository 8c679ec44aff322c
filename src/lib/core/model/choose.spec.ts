import { describe, expect, it } from 'vitest';
import {
	budgetPlan,
	estimateSeconds,
	MIN_SAMPLE_ROWS,
	pickSimplest,
	sampleFitData,
	scoreError
} from './choose';
import type { FitData } from './family';
import { DEFAULT_GBDT, DEFAULT_LINEAR, DEFAULT_MLP } from './spec';
import type { Candidate } from './types';

const candidate = (model: Candidate['model'], validation: number, loss = 0.1): Candidate => ({
	model,
	validation,
	loss,
	seconds: 1,
	chosen: false
});

describe('choosing a family', () => {
	it('keeps the simplest candidate within one standard error of the best', () => {
		// 64 validation rows: the MLP's one extra right row is chance, the linear model is kept.
		const close = [
			candidate(DEFAULT_LINEAR, 62 / 64),
			candidate(DEFAULT_GBDT, 60 / 64),
			candidate(DEFAULT_MLP, 63 / 64)
		];
		expect(pickSimplest(close, 'accuracy', 64)).toBe(0);
		// A clear win (far beyond the error) goes to the better model.
		const clear = [
			candidate(DEFAULT_LINEAR, 0.71),
			candidate(DEFAULT_GBDT, 0.76),
			candidate(DEFAULT_MLP, 0.74)
		];
		expect(pickSimplest(clear, 'accuracy', 2000)).toBe(1);
		// R²: the error shrinks with the rows and with a better fit.
		expect(scoreError('r2', 0.68, 50)).toBeCloseTo(0.32 * 0.2, 6);
		const regression = [candidate(DEFAULT_LINEAR, 0.6732), candidate(DEFAULT_MLP, 0.6792)];
		expect(pickSimplest(regression, 'r2', 50)).toBe(0);
		expect(pickSimplest(regression, 'r2', 1_000_000)).toBe(1);
	});

	it('breaks exact ties by the validation loss, then keeps the simpler', () => {
		const tie = [candidate(DEFAULT_LINEAR, 0.9, 0.3), candidate(DEFAULT_MLP, 0.9, 0.2)];
		expect(pickSimplest(tie, 'accuracy', 100)).toBe(0);
		expect(pickSimplest([candidate(DEFAULT_MLP, 0.5)], 'accuracy', 0)).toBe(0);
	});
});

describe('estimateSeconds', () => {
	it('times a probe only on big tables, and scales it to every step the spec allows', async () => {
		const make = (n: number): FitData => ({
			x: Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i)),
			y: Float32Array.from({ length: n }, (_, i) => i % 2),
			xVal: new Float32Array(0),
			yVal: new Float32Array(0),
			inputs: 2,
			classes: 2
		});
		const spec = { ...DEFAULT_GBDT, maxIterations: 100 };
		expect(await estimateSeconds(make(10_000), spec, 'binary', {})).toBeNull();
		const big = await estimateSeconds(make(60_000), spec, 'binary', {});
		expect(big).toBeGreaterThan(0);
		expect(Number.isFinite(big)).toBe(true);
		const fewer = await estimateSeconds(make(60_000), { ...spec, maxIterations: 10 }, 'binary', {});
		// The same probe scaled to a tenth of the steps (timings vary: only the order is checked).
		expect(fewer!).toBeLessThan(big!);
	});
});

describe('the time budget of an automatic choice', () => {
	it('trains in full, on the sample that fits, or skips — and the first candidate always trains', () => {
		expect(budgetPlan(null, 3_000_000, 600, false)).toBeNull();
		expect(budgetPlan(500, 3_000_000, 600, false)).toBeNull();
		// 20 hours for 3 million rows: 10 minutes buy 25,000 of them.
		expect(budgetPlan(72_000, 3_000_000, 600, false)).toEqual({ rows: 25_000 });
		const skip = budgetPlan(10_000_000, 3_000_000, 600, false);
		expect(skip && 'skip' in skip && skip.skip).toMatch(/over the budget of 10 min/);
		expect(budgetPlan(10_000_000, 3_000_000, 600, true)).toEqual({ rows: MIN_SAMPLE_ROWS });
	});

	it('samples training rows only, seeded, in their order', () => {
		const n = 100;
		const data: FitData = {
			x: Float32Array.from({ length: n * 2 }, (_, i) => i),
			y: Float32Array.from({ length: n }, (_, i) => i),
			xVal: new Float32Array(4),
			yVal: new Float32Array(2),
			inputs: 2,
			classes: 1
		};
		const a = sampleFitData(data, 30, 7);
		expect(a.y).toHaveLength(30);
		expect(Array.from(a.y)).toEqual([...a.y].sort((p, q) => p - q));
		a.y.forEach((r, i) => expect([a.x[2 * i], a.x[2 * i + 1]]).toEqual([2 * r, 2 * r + 1]));
		expect(a.xVal).toBe(data.xVal);
		expect(sampleFitData(data, 30, 7).y).toEqual(a.y);
	});
});
