import { DEFAULT_AUTOPILOT } from '../core/drift/autopilot';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../core/drift/thresholds';
import type { DriftReport } from '../core/drift/types';
import { DEFAULT_POLICY } from '../core/drift/retrain';
import type { FloatColumn } from '../core/table/types';
import { openDatabase, type Database } from './db';
import { promoteToChampion, registerVersion, setAlias } from './models';
import {
	deleteBatch,
	getSettings,
	listBatches,
	listRetrains,
	loadBatchRows,
	putBatch,
	putRetrain,
	putSettings
} from './monitor';
import type { ModelVersionRecord, MonitorBatchRecord, RetrainRecord } from './types';
import { coded, numeric } from '../../../tests/unit/columns';

let db: Database;
let n = 0;
beforeEach(async () => {
	db = await openDatabase(indexedDB, {}, `monitor-${n++}`);
});

const report = { datasetDrift: false, features: [] } as unknown as DriftReport;

function batch(id: string, uploadedAt: number): MonitorBatchRecord {
	return {
		id,
		modelVersionId: 'm@1',
		uploadedAt,
		fileName: `${id}.csv`,
		rowCount: 2,
		report,
		predictionDrift: null,
		performance: null,
		labelled: true
	};
}

describe('monitor storage', () => {
	it('keeps a labelled batch’s rows with its report, and deletes both together', async () => {
		const rows = {
			rowCount: 2,
			columns: [numeric('x', [1.5, NaN]), coded('species', ['A', 'B'])]
		};
		await putBatch(db, batch('b2', 20), rows);
		await putBatch(db, batch('b1', 10));
		const listed = await listBatches(db, 'm@1');
		expect(listed.map((b) => [b.id, b.rowsKept])).toEqual([
			['b1', false],
			['b2', true]
		]);
		const back = await loadBatchRows(db, listed[1]!);
		expect(Array.from((back.columns[0] as FloatColumn).values)).toEqual([1.5, NaN]);
		await expect(loadBatchRows(db, listed[0]!)).rejects.toThrow(/Upload it again/);
		await deleteBatch(db, 'b2');
		expect(await db.count('batchTables')).toBe(0);
		expect((await listBatches(db, 'm@1')).map((b) => b.id)).toEqual(['b1']);
	});

	it('gives the default settings until saved, then the saved ones', async () => {
		expect(await getSettings(db, 'm@1')).toEqual({
			thresholds: { ...DEFAULT_THRESHOLDS, tests: [] },
			policy: DEFAULT_POLICY,
			// Off until its owner turns it on, as before the autopilot existed.
			autopilot: DEFAULT_AUTOPILOT
		});
		const saved = {
			thresholds: { ...DEFAULT_THRESHOLDS, distance: 0.2, tests: [] },
			policy: { enabled: false, onDatasetDrift: false, performanceDrop: 0.1 },
			autopilot: { ...DEFAULT_AUTOPILOT, enabled: true, autoPromote: true }
		};
		await putSettings(db, 'm@1', saved);
		expect(await getSettings(db, 'm@1')).toEqual(saved);
	});

	it('lists a version’s retrains newest first', async () => {
		const retrain = (id: string, createdAt: number, modelVersionId = 'm@1') =>
			({ id, createdAt, modelVersionId }) as RetrainRecord;
		await putRetrain(db, retrain('r1', 1));
		await putRetrain(db, retrain('r2', 2));
		await putRetrain(db, retrain('other', 3, 'm@2'));
		expect((await listRetrains(db, 'm@1')).map((r) => r.id)).toEqual(['r2', 'r1']);
	});
});

describe('promoteToChampion', () => {
	async function register(): Promise<ModelVersionRecord> {
		return registerVersion(db, {
			name: 'm',
			runId: 'run',
			source: 'studio',
			manifest: { model: { name: 'm', version: 1 } } as ModelVersionRecord['manifest'],
			model: { family: 'linear', files: {} },
			card: () => ''
		});
	}

	it('moves the champion, clears the challenger it was, and records both moves', async () => {
		await register();
		await register();
		await setAlias(db, 'm', 'champion', 1, 'first');
		await setAlias(db, 'm', 'challenger', 2, 'retrained');
		const model = await promoteToChampion(db, 'm', 2, 'accuracy 0.70 → 0.93');
		expect(model.aliases).toEqual({ champion: 2, challenger: null });
		expect(model.history.slice(-2)).toMatchObject([
			{ alias: 'champion', version: 2, previous: 1, note: 'accuracy 0.70 → 0.93' },
			{ alias: 'challenger', version: null, previous: 2 }
		]);
		await expect(promoteToChampion(db, 'm', 9, '')).rejects.toThrow(/no version 9/);
	});
});
