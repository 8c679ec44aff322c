import type { Database } from './db';
import { explainStorageError, StorageError } from './errors';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from '../core/drift/thresholds';
import { DEFAULT_POLICY, type RetrainPolicy } from '../core/drift/retrain';
import { DEFAULT_AUTOPILOT, type AutopilotPolicy } from '../core/drift/autopilot';
import type { Table } from '../core/table/types';
import { fromStoredTable, toStoredTable } from './tables';
import { abortQuietly, settled } from './transaction';
import type { MonitorBatchRecord, RetrainRecord } from './types';

/**
 * Stores a checked batch, with its rows when it is kept for retraining, in one transaction: the
 * report never points at rows that were not written.
 */
export async function putBatch(
	db: Database,
	batch: MonitorBatchRecord,
	rows: Table | null = null
): Promise<void> {
	const tx = db.transaction(['monitorBatches', 'batchTables'], 'readwrite');
	try {
		if (rows) settled(tx.objectStore('batchTables').put(toStoredTable(batch.id, rows)));
		settled(tx.objectStore('monitorBatches').put({ ...batch, rowsKept: rows !== null }));
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
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

/** Deletes a batch's report and its kept rows together. */
export async function deleteBatch(db: Database, id: string): Promise<void> {
	const tx = db.transaction(['monitorBatches', 'batchTables'], 'readwrite');
	settled(tx.objectStore('monitorBatches').delete(id));
	settled(tx.objectStore('batchTables').delete(id));
	await tx.done;
}

/** The kept rows of a labelled batch. */
export async function loadBatchRows(db: Database, batch: MonitorBatchRecord): Promise<Table> {
	const stored = await db.get('batchTables', batch.id);
	if (!stored) {
		throw new StorageError(
			`The rows of batch "${batch.fileName}" are not stored (it was checked before batches were kept for retraining). Upload it again to train on it.`,
			'not-found'
		);
	}
	return fromStoredTable(stored);
}

/** A monitor's thresholds, retraining policy and autopilot (the defaults when none were saved). */
export interface MonitorSettings {
	thresholds: DriftThresholds;
	policy: RetrainPolicy;
	autopilot: AutopilotPolicy;
}

/** The settings of a model version's monitor (the defaults until the user changes them). */
export async function getSettings(db: Database, modelVersionId: string): Promise<MonitorSettings> {
	const record = await db.get('monitors', modelVersionId);
	return {
		thresholds: record?.thresholds ?? { ...DEFAULT_THRESHOLDS, tests: [] },
		policy: record?.policy ?? { ...DEFAULT_POLICY },
		autopilot: record?.autopilot ?? { ...DEFAULT_AUTOPILOT }
	};
}

/** Saves a monitor's thresholds, policy and autopilot. */
export async function putSettings(
	db: Database,
	modelVersionId: string,
	settings: MonitorSettings
): Promise<void> {
	try {
		await db.put('monitors', { modelVersionId, ...settings, updatedAt: Date.now() });
	} catch (error) {
		throw explainStorageError(error);
	}
}

/** The retrains started from a version's monitor, newest first. */
export async function listRetrains(db: Database, modelVersionId: string): Promise<RetrainRecord[]> {
	const records = await db.getAllFromIndex('retrains', 'byModelVersion', modelVersionId);
	return records.sort((a, b) => b.createdAt - a.createdAt);
}

/** Saves (creates or replaces) a retrain record. */
export async function putRetrain(db: Database, record: RetrainRecord): Promise<void> {
	try {
		await db.put('retrains', record);
	} catch (error) {
		throw explainStorageError(error);
	}
}
