import { describe, expect, it } from 'vitest';
import { computeHistogram } from './histogram';

describe('computeHistogram', () => {
	it('gives one bar per value to a few integers', () => {
		expect(computeHistogram(Float64Array.from([3, 4, 4, 6, 8, 8, 8]))).toEqual({
			kind: 'values',
			values: [3, 4, 6, 8],
			counts: [1, 2, 1, 3]
		});
	});

	it('bins continuous values into half-open bins, the last one closed, counting every value', () => {
		const values = Float64Array.from({ length: 1000 }, (_, i) => (i * i) / 1000);
		const h = computeHistogram(values);
		expect(h?.kind).toBe('bins');
		if (h?.kind !== 'bins') return;
		expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
		expect(h.edges[0]).toBe(0);
		expect(h.edges.at(-1)).toBe(values[999]);
		// Same counts as assigning each value to floor((v - min) / step), the last bin closed.
		const step = (h.edges.at(-1)! - h.edges[0]!) / h.counts.length;
		const naive = new Array(h.counts.length).fill(0);
		for (const v of values) naive[Math.min(h.counts.length - 1, Math.floor(v / step))]++;
		expect(h.counts).toEqual(naive);
	});

	it('ignores infinities and handles a constant column', () => {
		expect(computeHistogram(Float64Array.from([1.5, 1.5]))).toEqual({
			kind: 'bins',
			edges: [1.5, 1.5],
			counts: [2]
		});
		const h = computeHistogram(Float64Array.from([-Infinity, 0.5, 1.5, Infinity]));
		expect(h?.kind === 'bins' && h.counts.reduce((a, b) => a + b, 0)).toBe(2);
	});
});
