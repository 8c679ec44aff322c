import { describe, expect, it } from 'vitest';
import { baselineWarning, candidateCells } from './run-words';
import { DEFAULT_GBDT, DEFAULT_MLP } from './spec';
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

describe('candidateCells', () => {
	it('writes a leaderboard row: the chosen one starred, the fold spread apart, a skip explained', () => {
		const base = { loss: 0.31234, seconds: 1.26, status: 'trained' as const };
		const chosen = candidateCells({
			...base,
			model: { ...DEFAULT_GBDT },
			validation: 0.91234,
			chosen: true,
			folds: { k: 5, mean: 0.91234, std: 0.01234 }
		});
		expect(chosen).toEqual({
			model: 'Gradient-boosted trees ★ chosen',
			score: '0.9123',
			spread: '± 0.0123',
			loss: '0.3123',
			fit: '1.3 s'
		});
		const skipped = candidateCells({
			...base,
			model: { ...DEFAULT_MLP },
			validation: null,
			loss: null,
			chosen: false,
			status: 'skipped',
			reason: 'an epoch would take 8 minutes'
		});
		expect(skipped.model).toMatch(/ — skipped: an epoch would take 8 minutes$/);
		expect([skipped.score, skipped.spread, skipped.loss]).toEqual(['—', null, '—']);
	});
});
