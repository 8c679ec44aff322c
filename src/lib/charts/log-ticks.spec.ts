import { describe, expect, it } from 'vitest';
import { logTickLabel, logTicks } from './log-ticks';

describe('ticks of a log axis', () => {
	it('labels a curve over less than a factor of 3 with round, evenly spaced values', () => {
		expect(logTicks(0.36, 0.71)).toEqual([0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]);
		expect(logTicks(0.05, 0.12)).toEqual([0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12]);
		expect(logTicks(2.3, 5.9).map(logTickLabel)).toEqual(['3', '4', '5']);
	});

	it('over more, 1, 2, 3 and 5 of each decade; fewer, then powers of ten, as they would crowd', () => {
		expect(logTicks(0.2, 1.9)).toEqual([0.2, 0.3, 0.5, 1]);
		expect(logTicks(0.05, 1.3)).toEqual([0.05, 0.1, 0.2, 0.3, 0.5, 1]);
		expect(logTicks(0.004, 1.3)).toEqual([0.01, 0.1, 1]);
		expect(logTicks(0.04, 1.3)).toEqual([0.05, 0.1, 0.2, 0.3, 0.5, 1]);
		expect(logTicks(1e-6, 10)).toEqual([1e-6, 1e-4, 0.01, 1]);
		expect(logTicks(1e-12, 1e3).length).toBeLessThanOrEqual(7);
	});

	it('gives a flat curve its one value, and nothing for what a log axis cannot show', () => {
		expect(logTicks(0.5, 0.5)).toEqual([0.5]);
		expect(logTicks(0, 1)).toEqual([]);
		expect(logTicks(NaN, 1)).toEqual([]);
		expect(logTicks(0.1, Infinity)).toEqual([]);
	});

	it('writes labels short: two significant digits, no trailing zeros', () => {
		expect([0.5, 0.45, 1e-4, 30, 0.30000000000000004].map(logTickLabel)).toEqual([
			'0.5',
			'0.45',
			'0.0001',
			'30',
			'0.3'
		]);
	});
});
