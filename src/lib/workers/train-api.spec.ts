import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_LINEAR } from '../core/model/spec';
import { profileTable } from '../core/profile/profile';
import { suggestRecipe } from '../core/recipe/suggest';
import type { Table } from '../core/table/types';
import { coded, numeric } from '../../../tests/unit/columns';

// The GPU is simulated: tfjs runs on its CPU backend, and the device is "lost" after epoch 2.
let epochs = 0;
vi.mock('./backend', async (importOriginal) => {
	const original = await importOriginal<typeof import('./backend')>();
	return {
		...original,
		activateBackend: async () => {
			await tf.setBackend('cpu');
			return { name: 'webgpu', adapter: 'simulated' };
		},
		watchDeviceLoss: () => ({ reason: () => (epochs >= 2 ? 'device destroyed' : null) })
	};
});

const table: Table = {
	rowCount: 60,
	columns: [
		numeric(
			'x',
			Array.from({ length: 60 }, (_, i) => i)
		),
		coded(
			'y',
			Array.from({ length: 60 }, (_, i) => (i < 30 ? 'a' : 'b'))
		)
	]
};

describe('the train worker on a lost GPU', () => {
	it('stops the run and says so, instead of finishing on a dead device', async () => {
		const { trainApi } = await import('./train-api');
		const run = trainApi.train(
			table,
			{
				target: 'y',
				task: 'auto',
				recipe: suggestRecipe(profileTable(table, 'y'), 'y'),
				split: { kind: 'random', seed: 1, validation: 0.2, test: 0.2 },
				model: { ...DEFAULT_LINEAR, epochs: 50, patience: 100 },
				robustness: false,
				importance: false
			},
			['webgpu'],
			(progress) => {
				if (progress.epoch) epochs = progress.epoch.epoch;
			},
			() => {}
		);
		await expect(run).rejects.toThrow(
			/The GPU was lost during the run \(device destroyed\).*Try again on WASM or CPU/
		);
		expect(epochs).toBeLessThan(50);
	});
});
