import { beforeEach, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../core/model/types';
import { recallTrainForm, rememberTrainForm } from './form-memory';

const config = (target: string) => ({ target }) as unknown as ExperimentConfig;

describe('the Train form remembers', () => {
	beforeEach(() => {
		const items = new Map<string, string>();
		// A minimal Storage: Node has no localStorage.
		globalThis.localStorage = {
			getItem: (k: string) => items.get(k) ?? null,
			setItem: (k: string, v: string) => void items.set(k, v)
		} as Storage;
	});

	it('the last settings per dataset, and nothing for another', () => {
		rememberTrainForm('a', config('y'));
		rememberTrainForm('a', config('z'));
		rememberTrainForm('b', config('w'));
		expect(recallTrainForm('a')?.target).toBe('z');
		expect(recallTrainForm('b')?.target).toBe('w');
		expect(recallTrainForm('c')).toBeNull();
	});

	it('survives damaged or missing storage', () => {
		localStorage.setItem('driftwood.trainForm.v1', '{not json');
		expect(recallTrainForm('a')).toBeNull();
		rememberTrainForm('a', config('y'));
		expect(recallTrainForm('a')?.target).toBe('y');
	});
});
