import * as tf from '@tensorflow/tfjs';
import {
	runExperiment,
	type ExperimentConfig,
	type ExperimentResult
} from '../core/model/experiment';
import type { EpochLog } from '../core/model/train';
import type { BackendName } from '../core/platform/backend';
import type { Table } from '../core/table/types';
import { activateBackend, type ActiveBackend } from './backend';

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
		return runExperiment(table, config, {
			onStage: (stage, detail) => onProgress({ stage, detail }),
			onEpoch: (epoch) => onProgress({ stage: 'training', epoch }),
			isCancelled: () => cancelled
		});
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
