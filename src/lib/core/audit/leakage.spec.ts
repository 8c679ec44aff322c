import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { binAnswers } from './leakage';

describe('a bin’s commonest class', () => {
	it('is the same from the table of counts and from sorted keys, ties to the lowest class', () => {
		const random = seededRandom(8);
		for (const [bins, k] of [
			[40, 3],
			[500, 7],
			[3, 2]
		] as const) {
			const n = 3000;
			const bin = Int32Array.from({ length: n }, () => Math.floor(random() * bins));
			// Skewed classes within a bin, and bins left empty (they answer the fallback).
			const classes = Int32Array.from(bin, (b) =>
				random() < 0.5 ? b % k : Math.floor(random() * k)
			);
			const train = Int32Array.from({ length: n }, (_, i) => i).filter(
				(i) => bin[i]! % 5 !== 4 && random() < 0.7
			);
			const dense = new Int32Array(bins);
			const sorted = new Int32Array(bins);
			binAnswers(bin, train, classes, k, k - 1, dense);
			binAnswers(bin, train, classes, k, k - 1, sorted, 0);
			expect([...sorted]).toEqual([...dense]);
			if (bins > 5) expect(dense[4]).toBe(k - 1);
		}
		// A tie: two rows of class 2 and two of class 1 in bin 0 answer class 1.
		const answer = new Int32Array(1);
		for (const cells of [undefined, 0])
			expect(
				(binAnswers(
					new Int32Array(4),
					Int32Array.from([0, 1, 2, 3]),
					Int32Array.from([2, 1, 2, 1]),
					3,
					0,
					answer,
					cells
				),
				answer[0])
			).toBe(1);
	});
});
