import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LINEAR } from '../core/model/spec';
import type { ExperimentConfig } from '../core/model/experiment';
import { profileTable } from '../core/profile/profile';
import { suggestRecipe } from '../core/recipe/suggest';
import type { BackendName } from '../core/platform/backend';
import type { Table } from '../core/table/types';
import { coded, numeric } from '../../../tests/unit/columns';
import type { TrainProgress } from './train-api';

// The GPU is simulated: tfjs always runs on its CPU backend, but the first backend of the order is
// reported as started, and a "webgpu" device is lost once the run reaches epoch 2.
let epoch = 0;
vi.mock('./backend', async (importOriginal) => {
	const original = await importOriginal<typeof import('./backend')>();
	return {
		...original,
		activateBackend: async (order: BackendName[]) => {
			await tf.setBackend('cpu');
			return { name: order[0], adapter: null };
		},
		watchDeviceLoss: (name: BackendName) => ({
			reason: () => (name === 'webgpu' && epoch >= 2 ? 'device destroyed' : null)
		})
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
const config: ExperimentConfig = {
	target: 'y',
	task: 'auto',
	recipe: suggestRecipe(profileTable(table, 'y'), 'y'),
	split: { kind: 'random', seed: 1, validation: 0.2, test: 0.2 },
	model: { ...DEFAULT_LINEAR, epochs: 8, patience: 100 },
	robustness: false,
	importance: false
};

beforeEach(() => {
	epoch = 0;
});

describe('the train worker on a lost GPU', () => {
	it('stops, falls back off the GPU, and trains the run again from the start', async () => {
		const { trainApi } = await import('./train-api');
		const progress: TrainProgress[] = [];
		const backends: string[] = [];
		const result = await trainApi.train(
			table,
			config,
			['webgpu', 'wasm', 'cpu'],
			(p) => {
				progress.push(p);
				if (p.epoch) epoch = p.epoch.epoch;
			},
			(b) => backends.push(b.name),
			'backend'
		);
		expect(backends).toEqual(['webgpu', 'wasm']);
		const restart = progress.findIndex((p) => p.restart);
		expect(progress[restart]!.detail).toBe(
			'the GPU was lost (device destroyed); starting again on WASM'
		);
		// Epochs before the restart were on the lost device; after it, all of them again.
		expect(progress.slice(0, restart).filter((p) => p.epoch).length).toBeLessThan(8);
		expect(progress.slice(restart).filter((p) => p.epoch).length).toBe(8);
		expect(result.history).toHaveLength(8);
	});

	it('falls back to WASM even when the GPU was the only backend asked for', async () => {
		const { trainApi } = await import('./train-api');
		const backends: string[] = [];
		await trainApi.train(
			table,
			config,
			['webgpu'],
			(p) => {
				if (p.epoch) epoch = p.epoch.epoch;
			},
			(b) => backends.push(b.name),
			'backend'
		);
		expect(backends).toEqual(['webgpu', 'wasm']);
	});

	it('starts no backend when every network trains in loops (the user picked none)', async () => {
		const { trainApi } = await import('./train-api');
		const backends: { name: string; adapter: string | null }[] = [];
		const result = await trainApi.train(
			table,
			{ ...config, model: { kind: 'auto', seed: 1 } },
			['webgpu', 'wasm'],
			() => {},
			(b) => backends.push(b)
		);
		expect(backends).toEqual([{ name: 'cpu', adapter: 'JavaScript loops' }]);
		expect(result.candidates.length).toBeGreaterThanOrEqual(3);
	});

	it('is cancelled, not restarted, when the user cancels', async () => {
		const { trainApi } = await import('./train-api');
		const run = trainApi.train(
			table,
			config,
			['webgpu', 'wasm'],
			(p) => {
				if (p.epoch) {
					epoch = p.epoch.epoch;
					if (epoch === 1) trainApi.cancel();
				}
			},
			() => {},
			'backend'
		);
		await expect(run).rejects.toThrow(/cancel/i);
	});
});
