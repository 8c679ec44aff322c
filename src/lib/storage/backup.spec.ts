import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { hashTable } from '../core/hash/table';
import { profileTable } from '../core/profile/profile';
import type { FloatColumn, Table } from '../core/table/types';
import { exportWorkspace, importWorkspace } from './backup';
import { saveVersion } from './datasets';
import { openDatabase } from './db';
import { getRunArtifacts, putFinishedRun } from './runs';
import { CSV_DIALECT } from '../../../tests/unit/columns';
import { loadBatchRows, putBatch, putRetrain } from './monitor';
import type { MonitorBatchRecord, RetrainRecord, RunRecord } from './types';

describe('workspace backup', () => {
	it('restores every record with its id and buffers into a fresh database, once', async () => {
		const source = await openDatabase(indexedDB, {}, 'backup-source');
		const table: Table = {
			rowCount: 3,
			columns: [
				{
					storage: 'float',
					name: 'x',
					type: 'numeric',
					values: Float64Array.from([1, Infinity, NaN])
				},
				{
					storage: 'coded',
					name: 'c',
					type: 'categorical',
					categories: ['a', 'b'],
					codes: Int32Array.from([0, 1, -1])
				}
			]
		};
		const { version } = await saveVersion(source, {
			name: 'numbers',
			table,
			tableId: await hashTable(table),
			source: { fileName: 'n.csv', bytes: 10 },
			dialect: CSV_DIALECT,
			report: { rows: 3, bytes: 10, raggedLines: [], raggedCount: 0, renamed: [], blankLines: 0 },
			inferredTypes: ['numeric', 'categorical'],
			target: 'c',
			profile: profileTable(table, 'c')
		});
		const run = {
			id: 'run-1',
			name: 'r',
			datasetId: version.datasetId,
			status: 'done',
			createdAt: 1,
			heartbeat: 1,
			result: {}
		} as unknown as RunRecord;
		await putFinishedRun(source, run, {
			runId: 'run-1',
			model: {
				family: 'linear',
				files: { 'weights.bin': new Uint8Array(Float32Array.from([0.5, -1]).buffer) }
			},
			referenceSample: { rows: 0, columns: [] }
		});
		// A labelled monitor batch keeps its rows; a retrain is recorded.
		await putBatch(
			source,
			{
				id: 'batch-1',
				modelVersionId: 'm@1',
				uploadedAt: 1,
				fileName: 'live.csv',
				rowCount: 3,
				report: {} as MonitorBatchRecord['report'],
				predictionDrift: null,
				performance: null,
				labelled: true
			},
			table
		);
		await putRetrain(source, {
			id: 'retrain-1',
			modelVersionId: 'm@1',
			createdAt: 2
		} as RetrainRecord);
		const bytes = await exportWorkspace(source);

		const target = await openDatabase(indexedDB, {}, 'backup-target');
		const summary = await importWorkspace(target, bytes);
		expect(summary.counts).toMatchObject({
			datasets: 1,
			versions: 1,
			tables: 1,
			runs: 1,
			monitorBatches: 1,
			batchTables: 1,
			retrains: 1
		});
		const rows = await loadBatchRows(target, (await target.get('monitorBatches', 'batch-1'))!);
		expect(Array.from((rows.columns[0] as FloatColumn).values)).toEqual([1, Infinity, NaN]);
		expect(summary.skipped).toBe(0);
		expect(await target.get('versions', version.id)).toEqual(
			await source.get('versions', version.id)
		);
		const stored = await target.get('tables', version.tableId);
		expect(Array.from(new Float64Array(stored!.columns[0]!.buffer))).toEqual([1, Infinity, NaN]);
		expect(await target.get('runs', 'run-1')).toMatchObject({ id: 'run-1', status: 'done' });
		const weights = (await getRunArtifacts(target, 'run-1'))!.model.files['weights.bin']!;
		expect(weights).toBeInstanceOf(Uint8Array);
		expect(Array.from(new Float32Array(weights.slice().buffer))).toEqual([0.5, -1]);
		// A second import keeps what is there.
		expect((await importWorkspace(target, bytes)).skipped).toBe(8);
		source.close();
		target.close();
	});

	it('refuses what is not a backup, and writes nothing', async () => {
		const db = await openDatabase(indexedDB, {}, 'backup-bad');
		await expect(importWorkspace(db, new TextEncoder().encode('nope'))).rejects.toThrow(
			/not a Driftwood workspace backup/
		);
		expect(await db.count('datasets')).toBe(0);
		db.close();
	});
});
