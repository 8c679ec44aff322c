import type { Database } from './db';
import { explainStorageError } from './errors';
import type { MonitorBatchRecord } from './types';

/** Stores a checked batch (one request: atomic). */
export async function putBatch(db: Database, batch: MonitorBatchRecord): Promise<void> {
	try {
		await db.put('monitorBatches', batch);
	} catch (error) {
		throw explainStorageError(error);
	}
}

/** The batches of a model version, oldest first (the timeline's order). */
export async function listBatches(
	db: Database,
	modelVersionId: string
): Promise<MonitorBatchRecord[]> {
	const batches = await db.getAllFromIndex('monitorBatches', 'byModelVersion', modelVersionId);
	return batches.sort((a, b) => a.uploadedAt - b.uploadedAt);
}

export async function deleteBatch(db: Database, id: string): Promise<void> {
	await db.delete('monitorBatches', id);
}
