import { describe, expect, it } from 'vitest';
import { countDistinctSorted, kthSmallest, sortFloat64 } from './sort';
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
