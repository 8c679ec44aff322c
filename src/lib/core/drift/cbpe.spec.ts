import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { applyIsotonic, fitIsotonic } from '../stats/isotonic';
import { estimateAccuracy } from './cbpe';

const isotonic: {
	name: string;
	x: number[];
	y: number[];
	thresholds_x: number[];
	thresholds_y: number[];
	grid: number[];
	predict: number[];
}[] = JSON.parse(
	readFileSync(
		new URL('../../../../tests/fixtures/reference/isotonic.json', import.meta.url),
		'utf8'
	)
);

describe('isotonic regression (PAV)', () => {
	it('pools violators into a non-decreasing fit', () => {
		const map = fitIsotonic([1, 2, 3, 4, 5], [1, 3, 2, 4, 3.5]);
		expect(map.weights).toEqual([1, 2, 2, 2, 2]);
		expect(map.y).toEqual([1, 2.5, 2.5, 3.75, 3.75]);
		expect(map.x).toEqual([1, 2, 3, 4, 5]);
		expect(applyIsotonic(map, 0)).toBe(1);
		expect(applyIsotonic(map, 9)).toBe(3.75);
		expect(applyIsotonic(map, 3.5)).toBeCloseTo(2.5 + (1 / 2) * 1.25, 12);
	});

	it.each(isotonic.map((c) => [c.name, c] as const))(
		'equals scikit-learn’s IsotonicRegression: %s',
		(_, c) => {
			const map = fitIsotonic(c.x, c.y);
			expect(map.x).toEqual(c.thresholds_x);
			map.y.forEach((y, i) => expect(y).toBeCloseTo(c.thresholds_y[i]!, 12));
			c.grid.forEach((g, i) => expect(applyIsotonic(map, g)).toBeCloseTo(c.predict[i]!, 12));
		}
	);

	it('pools a run of right answers into one block, so calibration is not shrunk row by row', () => {
		const map = fitIsotonic([0.6, 0.7, 0.8, 0.9], [1, 1, 1, 1]);
		expect(map.weights).toEqual([4, 4]);
	});
});

describe('CBPE', () => {
	/** A model whose stated confidence overstates how often it is right (p_true = conf²). */
	function simulate(n: number, seed: number) {
		const random = seededRandom(seed);
		const confidence = Float64Array.from({ length: n }, () => 0.5 + random() / 2);
		const correct = Float64Array.from(confidence, (c) => (random() < c * c ? 1 : 0));
		return { confidence, correct };
	}

	it('estimates a labelled batch’s accuracy within its band, after calibration on other rows', () => {
		const reference = simulate(5000, 1);
		const calibration = fitIsotonic(reference.confidence, reference.correct);
		for (const seed of [2, 3, 4, 5, 6]) {
			const batch = simulate(2000, seed);
			const truth = batch.correct.reduce((a, b) => a + b, 0) / batch.correct.length;
			const estimate = estimateAccuracy(batch.confidence, calibration);
			expect(truth).toBeGreaterThanOrEqual(estimate.lower);
			expect(truth).toBeLessThanOrEqual(estimate.upper);
			// Uncalibrated confidence would overstate it well outside the band.
			const naive = batch.confidence.reduce((a, b) => a + b, 0) / batch.confidence.length;
			expect(naive).toBeGreaterThan(estimate.upper);
		}
	});
});
