import * as tf from '@tensorflow/tfjs';
import {
	runExperiment,
	type ExperimentConfig,
	type ExperimentResult
} from '../core/model/experiment';
import type { EpochLog } from '../core/model/train';
import type { BackendName } from '../core/platform/backend';
import type { Table } from '../core/table/types';
import { activateBackend, watchDeviceLoss, type ActiveBackend } from './backend';

export interface TrainProgress {
	stage: 'starting' | 'preparing' | 'training' | 'evaluating';
	detail?: string;
	epoch?: EpochLog;
}

let cancelled = false;

/** The train worker's functions: one run per worker, so a crash or a lost GPU ends only that run. */
export const trainApi = {
	async train(
		table: Table,
		config: ExperimentConfig,
		backendOrder: BackendName[],
		onProgress: (progress: TrainProgress) => void,
		onBackend: (backend: ActiveBackend) => void
	): Promise<ExperimentResult> {
		cancelled = false;
		onProgress({ stage: 'starting' });
		const backend = await activateBackend(backendOrder);
		onBackend(backend);
		const loss = watchDeviceLoss(backend.name);
		try {
			return await runExperiment(table, config, {
				onStage: (stage, detail) => onProgress({ stage, detail }),
				onEpoch: (epoch) => onProgress({ stage: 'training', epoch }),
				// A lost device stops the run like Cancel, after the current batch.
				isCancelled: () => cancelled || loss.reason() !== null
			});
		} catch (error) {
			const reason = loss.reason();
			if (reason === null) throw error;
			throw new Error(
				`The GPU was lost during the run (${reason}): the run was stopped and nothing from it was kept. Try again on WASM or CPU.`
			);
		}
	},

	/** Stops the run after the current batch. */
	cancel(): void {
		cancelled = true;
	},

	/** For tests: tensors alive in this worker. */
	tensors(): number {
		return tf.memory().numTensors;
	}
};

export type TrainApi = typeof trainApi;
