import type { Database } from './db';
import { explainStorageError } from './errors';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from '../core/drift/report';
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

/** The thresholds of a model version's monitor (the defaults until the user changes them). */
export async function getThresholds(
	db: Database,
	modelVersionId: string
): Promise<DriftThresholds> {
	return (
		(await db.get('monitors', modelVersionId))?.thresholds ?? { ...DEFAULT_THRESHOLDS, tests: [] }
	);
}

export async function putThresholds(
	db: Database,
	modelVersionId: string,
	thresholds: DriftThresholds
): Promise<void> {
	try {
		await db.put('monitors', { modelVersionId, thresholds, updatedAt: Date.now() });
	} catch (error) {
		throw explainStorageError(error);
	}
}
