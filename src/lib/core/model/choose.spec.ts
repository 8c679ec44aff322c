import { describe, expect, it } from 'vitest';
import { pickSimplest, scoreError } from './choose';
import { DEFAULT_GBDT, DEFAULT_LINEAR, DEFAULT_MLP } from './spec';
import type { Candidate } from './types';

const candidate = (model: Candidate['model'], validation: number, loss = 0.1): Candidate => ({
	model,
	validation,
	loss,
	seconds: 1,
	chosen: false
});

describe('choosing a family', () => {
	it('keeps the simplest candidate within one standard error of the best', () => {
		// 64 validation rows: the MLP's one extra right row is chance, the linear model is kept.
		const close = [
			candidate(DEFAULT_LINEAR, 62 / 64),
			candidate(DEFAULT_GBDT, 60 / 64),
			candidate(DEFAULT_MLP, 63 / 64)
		];
		expect(pickSimplest(close, 'accuracy', 64)).toBe(0);
		// A clear win (far beyond the error) goes to the better model.
		const clear = [
			candidate(DEFAULT_LINEAR, 0.71),
			candidate(DEFAULT_GBDT, 0.76),
			candidate(DEFAULT_MLP, 0.74)
		];
		expect(pickSimplest(clear, 'accuracy', 2000)).toBe(1);
		// R²: the error shrinks with the rows and with a better fit.
		expect(scoreError('r2', 0.68, 50)).toBeCloseTo(0.32 * 0.2, 6);
		const regression = [candidate(DEFAULT_LINEAR, 0.6732), candidate(DEFAULT_MLP, 0.6792)];
		expect(pickSimplest(regression, 'r2', 50)).toBe(0);
		expect(pickSimplest(regression, 'r2', 1_000_000)).toBe(1);
	});

	it('breaks exact ties by the validation loss, then keeps the simpler', () => {
		const tie = [candidate(DEFAULT_LINEAR, 0.9, 0.3), candidate(DEFAULT_MLP, 0.9, 0.2)];
		expect(pickSimplest(tie, 'accuracy', 100)).toBe(0);
		expect(pickSimplest([candidate(DEFAULT_MLP, 0.5)], 'accuracy', 0)).toBe(0);
	});
});
