import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashTable } from '../core/hash/table';
import { profileTable } from '../core/profile/profile';
import type { Table } from '../core/table/types';
import { openDatabase, type Database } from './db';
import {
	deleteDataset,
	getDataset,
	listDatasets,
	loadTable,
	renameDataset,
	saveVersion,
	type NewVersion
} from './datasets';
import { CSV_DIALECT } from '../../../tests/unit/columns';

function table(values: number[]): Table {
	return {
		rowCount: values.length,
		columns: [
			{ storage: 'float', name: 'x', type: 'numeric', values: Float64Array.from(values) },
			{
				storage: 'coded',
				name: 'c',
				type: 'categorical',
				categories: ['a', 'b'],
				codes: Int32Array.from(values, (_, i) => i % 2)
			}
		]
	};
}

async function version(values: number[], extra: Partial<NewVersion> = {}): Promise<NewVersion> {
	const t = table(values);
	return {
		name: 'numbers',
		table: t,
		tableId: await hashTable(t),
		source: { fileName: 'numbers.csv', bytes: 100 },
		dialect: CSV_DIALECT,
		report: {
			rows: values.length,
			bytes: 100,
			raggedLines: [],
			raggedCount: 0,
			renamed: [],
			blankLines: 0
		},
		inferredTypes: ['numeric', 'categorical'],
		target: 'c',
		profile: profileTable(t, 'c'),
		...extra
	};
}

let db: Database;
let name = 0;

beforeEach(async () => {
	db = await openDatabase(indexedDB, {}, `test-${name++}`);
});
afterEach(() => db.close());

describe('dataset store', () => {
	it('saves a version with its typed arrays and reads them back', async () => {
		const { version: saved, unchanged } = await saveVersion(db, await version([1, 2, NaN]));
		expect(unchanged).toBe(false);
		expect(saved.version).toBe(1);
		const back = await loadTable(db, saved.tableId);
		const x = back.columns[0]!;
		expect(x.storage === 'float' && x.values).toBeInstanceOf(Float64Array);
		expect(x.storage === 'float' && Array.from(x.values)).toEqual([1, 2, NaN]);
		const c = back.columns[1]!;
		expect(c.storage === 'coded' && Array.from(c.codes)).toEqual([0, 1, 0]);
		const stored = await db.get('tables', saved.tableId);
		expect(stored?.columns[0]?.buffer).toBeInstanceOf(ArrayBuffer);
	});

	it('numbers versions, skips identical content, and lists datasets newest first', async () => {
		const first = await saveVersion(db, await version([1, 2]));
		const datasetId = first.version.datasetId;
		const same = await saveVersion(db, await version([1, 2], { datasetId }));
		expect(same).toMatchObject({ unchanged: true, version: { version: 1 } });
		const second = await saveVersion(db, await version([1, 2, 3], { datasetId }));
		expect(second.version.version).toBe(2);
		// "Newest" is by time: let the clock move past the previous save.
		await new Promise((resolve) => setTimeout(resolve, 5));
		const other = await saveVersion(db, await version([9], { name: 'other' }));
		const list = await listDatasets(db);
		expect(list.map((d) => [d.dataset.name, d.versionCount, d.latest.version])).toEqual([
			['other', 1, 1],
			['numbers', 2, 2]
		]);
		expect(other.version.datasetId).not.toBe(datasetId);
		const found = await getDataset(db, datasetId);
		expect(found?.versions.map((v) => v.version)).toEqual([2, 1]);
	});

	it('renames, and deletes a dataset with the tables only it used', async () => {
		const a = await saveVersion(db, await version([1, 2]));
		const b = await saveVersion(db, await version([1, 2], { name: 'copy' }));
		expect(b.version.tableId).toBe(a.version.tableId);
		await renameDataset(db, a.version.datasetId, '  renamed ');
		expect((await getDataset(db, a.version.datasetId))?.dataset.name).toBe('renamed');
		await expect(renameDataset(db, a.version.datasetId, ' ')).rejects.toThrow(/needs a name/);
		await deleteDataset(db, a.version.datasetId);
		expect(await getDataset(db, a.version.datasetId)).toBeNull();
		expect(await db.get('tables', a.version.tableId)).toBeDefined();
		await deleteDataset(db, b.version.datasetId);
		expect(await db.count('tables')).toBe(0);
		expect(await db.count('versions')).toBe(0);
	});

	it('writes nothing at all when the disk is full half-way, and says so', async () => {
		const original = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (
			this: IDBObjectStore,
			...args: Parameters<IDBObjectStore['put']>
		) {
			if (this.name === 'versions')
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return original.apply(this, args);
		};
		try {
			await expect(saveVersion(db, await version([1, 2, 3]))).rejects.toThrow(
				/no room left.*nothing was saved/
			);
		} finally {
			IDBObjectStore.prototype.put = original;
		}
		expect(await db.count('tables')).toBe(0);
		expect(await db.count('versions')).toBe(0);
		expect(await db.count('datasets')).toBe(0);
	});

	it('keeps the previous version intact when saving the next one fails', async () => {
		const first = await saveVersion(db, await version([1, 2]));
		const broken = await version([5, 6], { datasetId: first.version.datasetId });
		// A value IndexedDB cannot clone makes the put throw inside the transaction.
		(broken.profile as unknown as Record<string, unknown>).oops = () => 1;
		await expect(saveVersion(db, broken)).rejects.toThrow();
		const found = await getDataset(db, first.version.datasetId);
		expect(found?.dataset.latestVersion).toBe(1);
		expect(found?.versions).toHaveLength(1);
		expect(await db.count('tables')).toBe(1);
	});

	it('tells an older tab to step aside when a newer schema opens', async () => {
		let versionChange = false;
		const old = await openDatabase(
			indexedDB,
			{ onVersionChange: () => (versionChange = true) },
			'upgrade-test'
		);
		const { openDB } = await import('idb');
		const newer = await openDB('upgrade-test', 99);
		expect(versionChange).toBe(true);
		newer.close();
		old.close();
	});
});
