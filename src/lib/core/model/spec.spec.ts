import { describe, expect, it } from 'vitest';
import { keptLine } from './spec';

describe('keptLine', () => {
	const history = [0.9, 0.5, 0.4, 0.42, 0.6].map((valLoss) => ({ valLoss }));

	it('names the kept step and, when it differs, where the validation loss was lowest', () => {
		expect(keptLine(history, 4, 'iteration')).toBe(
			'kept iteration 4 (validation loss lowest at 3; iteration 4 is within its 95 % band)'
		);
		expect(keptLine(history, 3, 'epoch')).toBe(
			'kept epoch 3, where the validation loss was lowest'
		);
	});

	it('says only the kept step when nothing was validated (a refit)', () => {
		expect(keptLine([{ valLoss: null }, { valLoss: null }], 2, 'iteration')).toBe(
			'kept iteration 2'
		);
	});
});
