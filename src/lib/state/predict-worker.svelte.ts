import type { ModelVersionRecord } from '../storage/types';
import type { PredictWorker } from '../workers/train-client';
import { workspace } from './workspace.svelte';

/** Loads a model version into a predict worker, on the best backend this device has. */
export async function loadVersion(
	worker: PredictWorker,
	version: ModelVersionRecord
): Promise<void> {
	await worker.call(
		worker.api.load(
			// A version handed down as a prop may be a $state proxy, which cannot be posted.
			$state.snapshot(version.manifest) as ModelVersionRecord['manifest'],
			version.modelJson,
			version.weights.slice(0),
			workspace.backendOrder()
		)
	);
}
