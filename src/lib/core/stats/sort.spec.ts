import { describe, expect, it } from 'vitest';
import { countDistinctSorted, kthSmallest, quantileSelected, sortFloat64 } from './sort';
import { quantileSorted } from './summary';
import { seededRandom } from './random';

describe('sortFloat64', () => {
	it('sorts like Float64Array.prototype.sort, negatives, infinities and tiny values included', () => {
		let seed = 1;
		const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (const n of [0, 1, 5, 300, 5000, 100_000]) {
			const values = Float64Array.from({ length: n }, (_, i) => {
				const r = next();
				if (i % 997 === 0) return -Infinity;
				if (i % 991 === 0) return Infinity;
				if (i % 13 === 0) return Math.round(r * 10);
				return (r - 0.5) * 10 ** Math.floor(next() * 40 - 20);
			});
			const expected = values.slice().sort();
			expect(Array.from(sortFloat64(values.slice()))).toEqual(Array.from(expected));
		}
	});

	it('counts distinct values, -0 and 0 as one', () => {
		const sorted = sortFloat64(
			Float64Array.from([3, -0, 0, 1, 1, 3, -2, ...new Array(300).fill(7)])
		);
		expect(countDistinctSorted(sorted)).toBe(5);
		expect(countDistinctSorted(new Float64Array(0))).toBe(0);
	});
});

describe('kthSmallest', () => {
	it('finds the value a sort puts at k, on random, sorted, reversed and tied values', () => {
		const random = seededRandom(3);
		const cases = [
			Float64Array.from({ length: 1001 }, () => random() * 100 - 50),
			Float64Array.from({ length: 500 }, (_, i) => i),
			Float64Array.from({ length: 500 }, (_, i) => -i),
			Float64Array.from({ length: 777 }, () => Math.floor(random() * 4)),
			Float64Array.from([7])
		];
		for (const values of cases) {
			const sorted = Float64Array.from(values).sort();
			for (const k of [0, values.length >> 1, values.length - 1, Math.floor(values.length / 3)])
				expect(kthSmallest(Float64Array.from(values), k)).toBe(sorted[k]);
		}
		expect(() => kthSmallest(new Float64Array(3), 3)).toThrow(RangeError);
	});
});

describe('quantileSelected', () => {
	it('gives the quantile of the sorted values, without sorting them', () => {
		const random = seededRandom(9);
		const cases = [
			Float64Array.from({ length: 1000 }, () => random() * 100 - 50),
			Float64Array.from({ length: 999 }, () => Math.floor(random() * 5) - 2),
			Float64Array.from({ length: 300 }, () => (random() < 0.5 ? -0 : random() < 0.5 ? 0 : 1)),
			Float64Array.from({ length: 4001 }, (_, i) => (i * 7919) % 4001),
			Float64Array.from([3]),
			Float64Array.from([2, -1])
		];
		for (const values of cases)
			for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1]) {
				const expected = quantileSorted(sortFloat64(Float64Array.from(values)), q);
				const copy = Float64Array.from(values);
				// Zero as +0: a sort may put −0 there (they compare equal).
				expect(quantileSelected(copy, q)).toBe(expected === 0 ? 0 : expected);
				// The values are reordered, not changed.
				expect(Array.from(sortFloat64(copy))).toEqual(
					Array.from(sortFloat64(Float64Array.from(values)))
				);
			}
	});
});
