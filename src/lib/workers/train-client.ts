import type { PredictApi } from './predict-api';
import type { TrainApi } from './train-api';
import { wrapWorker, type WorkerClient } from './worker-client';

export type TrainWorker = WorkerClient<TrainApi>;
export type PredictWorker = WorkerClient<PredictApi>;

/** A train worker for one run (or one search): it owns the tfjs backend. */
export function createTrainWorker(): TrainWorker {
	return wrapWorker<TrainApi>(
		new Worker(new URL('./train.ts', import.meta.url), { type: 'module' }),
		(detail) =>
			`The training worker stopped (${detail}). Try another backend, or a smaller model or batch.`
	);
}

/** A predict worker holding one loaded model. */
export function createPredictWorker(): PredictWorker {
	return wrapWorker<PredictApi>(
		new Worker(new URL('./predict.ts', import.meta.url), { type: 'module' }),
		(detail) =>
			`The prediction worker stopped (${detail}). The file may be too large for this device's memory.`
	);
}
