import { describe, expect, it } from 'vitest';
import { baselineWarning } from './run-words';
import type { ExperimentSummary } from './types';

describe('the run’s words', () => {
	it('warn when the model scores below the constant baseline, and only then', () => {
		const result = (test: number, baseline: number) =>
			({
				task: 'multiclass',
				primaryMetric: 'accuracy',
				test: { accuracy: test },
				baseline: { accuracy: baseline }
			}) as unknown as ExperimentSummary;
		expect(baselineWarning(result(0.8995, 0.902))).toMatch(
			/below the constant baseline.*accuracy 0\.8995 against 0\.9020.*commonest training class/
		);
		expect(baselineWarning(result(0.95, 0.902))).toBeNull();
		expect(baselineWarning(result(0.902, 0.902))).toBeNull();
	});
});
