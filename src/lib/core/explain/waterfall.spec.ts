import { describe, expect, it } from 'vitest';
import { waterfallOf, waterfallText } from './waterfall';

describe('a row’s waterfall', () => {
	it('runs from the base through the largest contributions and the rest to the output', () => {
		const row = {
			row: 1,
			base: [1, 0],
			output: [1 + 2 - 3 + 0.5 + 0.25, 0],
			contributions: { a: [2, 0], b: [-3, 0], c: [0.5, 0], d: [0.25, 0] },
			errors: { a: [0.1, 0], b: [0, 0], c: [0.3, 0], d: [0.4, 0] }
		};
		const w = waterfallOf(row, 0, 'value', 2);
		expect(w.steps.map((s) => s.label)).toEqual(['b', 'a', '2 other columns']);
		expect(w.steps.map((s) => [s.start, s.end])).toEqual([
			[1, -2],
			[-2, 0],
			[0, 0.75]
		]);
		expect(w.steps[2]!.error).toBeCloseTo(0.5, 12);
		expect(w.steps[w.steps.length - 1]!.end).toBeCloseTo(w.total, 12);
		expect(waterfallText(w)).toBe(
			'value: base 1.000, b −3.00, a +2.00 (± 0.10), 2 other columns +0.750 (± 0.50); output 0.7500'
		);
	});
});
