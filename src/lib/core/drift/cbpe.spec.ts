import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/random';
import { applyIsotonic, estimateAccuracy, fitIsotonic } from './cbpe';

describe('isotonic regression (PAV)', () => {
	it('pools violators into a non-decreasing fit', () => {
		const map = fitIsotonic([1, 2, 3, 4, 5], [1, 3, 2, 4, 3.5]);
		expect(map.weights).toEqual([1, 2, 2]);
		expect(map.y).toEqual([1, 2.5, 3.75]);
		expect(map.x).toEqual([1, 2.5, 4.5]);
		for (let i = 1; i < map.y.length; i++) expect(map.y[i]!).toBeGreaterThanOrEqual(map.y[i - 1]!);
		expect(applyIsotonic(map, 0)).toBe(1);
		expect(applyIsotonic(map, 9)).toBe(3.75);
		expect(applyIsotonic(map, 3.5)).toBeCloseTo(2.5 + (1 / 2) * 1.25, 12);
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
