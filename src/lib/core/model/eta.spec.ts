import { describe, expect, it } from 'vitest';
import { formatDuration, secondsLeft } from './eta';

describe('secondsLeft', () => {
	it('projects the recent step time over the steps still allowed', () => {
		expect(secondsLeft([], 100)).toBeNull();
		const history = [10, 2, 2, 2, 2, 2].map((seconds, i) => ({ epoch: i + 1, seconds }));
		expect(secondsLeft(history, 200)).toBe(194 * 2);
		expect(secondsLeft(history, 6)).toBe(0);
	});

	it('says a duration in the unit a person reads', () => {
		expect(formatDuration(0.2)).toBe('1 s');
		expect(formatDuration(45)).toBe('45 s');
		expect(formatDuration(600)).toBe('10 min');
		expect(formatDuration(482 * 200)).toBe('26.8 h');
	});
});
