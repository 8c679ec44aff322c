import { describe, expect, it } from 'vitest';
import { countDistinctSorted, sortFloat64 } from './sort';

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
