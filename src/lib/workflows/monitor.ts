import type { BatchCheck } from '../core/drift/monitor';
import type { Table } from '../core/table/types';
import type { Database } from '../storage/db';
import { StorageError } from '../storage/errors';
import { putBatch } from '../storage/monitor';
import type { ModelVersionRecord, MonitorBatchRecord } from '../storage/types';

/** The record of a checked batch (its alerts are derived from it, never stored). */
export function batchRecord(
	version: ModelVersionRecord,
	fileName: string,
	check: BatchCheck & { rowCount: number; rows: Table | null; source?: 'summary' },
	now = Date.now(),
	id: string = crypto.randomUUID()
): MonitorBatchRecord {
	return {
		...(check.source ? { source: check.source } : {}),
		id,
		modelVersionId: version.id,
		uploadedAt: now,
		fileName,
		rowCount: check.rowCount,
		report: check.report,
		predictionDrift: check.predictionDrift,
		...(check.targetDrift !== undefined ? { targetDrift: check.targetDrift } : {}),
		performance: check.performance,
		labelled: check.rows !== null
	};
}

/**
 * Stores a checked batch with its rows (labelled batches keep them, for retraining). When the rows
 * do not fit in the browser's quota, the report is still kept without them, and the returned
 * warning says what that costs; any other failure is thrown with nothing stored.
 */
export async function storeBatch(
	db: Database,
	batch: MonitorBatchRecord,
	rows: Table | null,
	put: typeof putBatch = putBatch
): Promise<{ rowsKept: boolean; warning: string | null }> {
	try {
		await put(db, batch, rows);
		return { rowsKept: rows !== null, warning: null };
	} catch (error) {
		if (!(rows && error instanceof StorageError && error.code === 'quota')) throw error;
		await put(db, batch, null);
		return {
			rowsKept: false,
			warning: `The report of "${batch.fileName}" is saved, but its rows were not kept: the browser has no room left for them, so this batch cannot be trained on. Free space (delete old datasets or batches) and upload it again to retrain on it.`
		};
	}
}
