import {
	openDB,
	type DBSchema,
	type IDBPDatabase,
	type IDBPTransaction,
	type StoreNames
} from 'idb';
import { StorageError } from './errors';
import {
	isOldBatch,
	isOldModelVersion,
	isOldRun,
	upgradeBatch,
	upgradeModelVersion,
	upgradeRun
} from './upgrade';
import type {
	DatasetRecord,
	ModelRecord,
	ModelVersionRecord,
	MonitorBatchRecord,
	MonitorSettingsRecord,
	RetrainRecord,
	RunArtifactsRecord,
	RunRecord,
	StoredTable,
	VersionRecord
} from './types';

/** The IndexedDB database of the workspace. */
export const DB_NAME = 'driftwood';
/** Raise by one with each schema change, and add its step to `migrate`. */
export const DB_VERSION = 7;

/** The stores, their keys and indexes. */
export interface DriftwoodDB extends DBSchema {
	datasets: { key: string; value: DatasetRecord; indexes: { byUpdated: number } };
	versions: {
		key: string;
		value: VersionRecord;
		indexes: { byDataset: string; byTable: string };
	};
	tables: { key: string; value: StoredTable };
	runs: { key: string; value: RunRecord; indexes: { byCreated: number; byVersion: string } };
	/** A finished run's model and drift reference, under the run's id. */
	runArtifacts: { key: string; value: RunArtifactsRecord };
	models: { key: string; value: ModelRecord; indexes: { byUpdated: number } };
	modelVersions: {
		key: string;
		value: ModelVersionRecord;
		indexes: { byModel: string; byRun: string };
	};
	monitorBatches: { key: string; value: MonitorBatchRecord; indexes: { byModelVersion: string } };
	monitors: { key: string; value: MonitorSettingsRecord };
	/** The rows of labelled batches, under the batch's id: what a challenger retrains on. */
	batchTables: { key: string; value: StoredTable };
	retrains: { key: string; value: RetrainRecord; indexes: { byModelVersion: string } };
}

/** An open workspace database. */
export type Database = IDBPDatabase<DriftwoodDB>;

/** What the app shows when another tab holds the database at another schema version. */
export interface DatabaseEvents {
	/** This tab wants to upgrade, and an older tab keeps the database open. */
	onBlocked?: () => void;
	/** A newer tab wants to upgrade: this tab has closed its connection and must reload. */
	onVersionChange?: () => void;
	/** The browser closed the connection (storage cleared, disk failure). */
	onTerminated?: () => void;
}

/**
 * Opens (and creates or upgrades) the database. Migrations run by `oldVersion`, each step in the
 * upgrade transaction, so a schema change is all-or-nothing.
 */
export async function openDatabase(
	factory: IDBFactory | undefined = globalThis.indexedDB,
	events: DatabaseEvents = {},
	name = DB_NAME
): Promise<Database> {
	if (!factory) {
		throw new StorageError(
			'This browser gives the page no IndexedDB storage (a private window may do that). Open Driftwood in a normal window.',
			'unavailable'
		);
	}
	// idb reads the global factory; tests pass fake-indexeddb's.
	if (factory !== globalThis.indexedDB) Object.assign(globalThis, { indexedDB: factory });
	const db = await openDB<DriftwoodDB>(name, DB_VERSION, {
		upgrade(database, oldVersion, _newVersion, transaction) {
			migrate(database, oldVersion);
			// The open request succeeds only once the upgrade transaction is done, so the app never
			// sees a half-upgraded store; a failure aborts it and the open fails with nothing changed.
			if (oldVersion >= 2 && oldVersion < 7)
				upgradeRecords(transaction).catch(() => transaction.abort());
		},
		blocked() {
			events.onBlocked?.();
		},
		blocking() {
			// Let the newer tab upgrade; this one must not keep writing with an old schema.
			db.close();
			events.onVersionChange?.();
		},
		terminated() {
			events.onTerminated?.();
		}
	});
	return db;
}

/** Creates the stores and indexes each version added (synchronous: schema only). */
function migrate(database: IDBPDatabase<DriftwoodDB>, oldVersion: number): void {
	if (oldVersion < 1) {
		const datasets = database.createObjectStore('datasets', { keyPath: 'id' });
		datasets.createIndex('byUpdated', 'updatedAt');
		const versions = database.createObjectStore('versions', { keyPath: 'id' });
		versions.createIndex('byDataset', 'datasetId');
		versions.createIndex('byTable', 'tableId');
		database.createObjectStore('tables', { keyPath: 'id' });
	}
	if (oldVersion < 2) {
		const runs = database.createObjectStore('runs', { keyPath: 'id' });
		runs.createIndex('byCreated', 'createdAt');
		runs.createIndex('byVersion', 'versionId');
	}
	if (oldVersion < 3) {
		const models = database.createObjectStore('models', { keyPath: 'name' });
		models.createIndex('byUpdated', 'updatedAt');
		const versions = database.createObjectStore('modelVersions', { keyPath: 'id' });
		versions.createIndex('byModel', 'name');
		versions.createIndex('byRun', 'runId');
	}
	if (oldVersion < 4) {
		const batches = database.createObjectStore('monitorBatches', { keyPath: 'id' });
		batches.createIndex('byModelVersion', 'modelVersionId');
	}
	if (oldVersion < 5) {
		database.createObjectStore('monitors', { keyPath: 'modelVersionId' });
	}
	if (oldVersion < 6) {
		database.createObjectStore('batchTables', { keyPath: 'id' });
		const retrains = database.createObjectStore('retrains', { keyPath: 'id' });
		retrains.createIndex('byModelVersion', 'modelVersionId');
	}
	if (oldVersion < 7) {
		database.createObjectStore('runArtifacts', { keyPath: 'runId' });
	}
}

/**
 * 6 → 7, in the upgrade transaction (all or nothing): each run's model and reference move out of
 * its record into `runArtifacts`, and each model version's `modelJson` + `weights` become its
 * family's saved files with a format-2 manifest; batches drop their stored alert texts (alerts
 * are derived from the findings now).
 */
async function upgradeRecords(
	transaction: IDBPTransaction<DriftwoodDB, StoreNames<DriftwoodDB>[], 'versionchange'>
): Promise<void> {
	const runs = transaction.objectStore('runs');
	const artifacts = transaction.objectStore('runArtifacts');
	for (let cursor = await runs.openCursor(); cursor; cursor = await cursor.continue()) {
		if (!isOldRun(cursor.value)) continue;
		const upgraded = upgradeRun(cursor.value);
		if (upgraded.artifacts) await artifacts.put(upgraded.artifacts);
		await cursor.update(upgraded.run);
	}
	const versions = transaction.objectStore('modelVersions');
	for (let cursor = await versions.openCursor(); cursor; cursor = await cursor.continue()) {
		if (isOldModelVersion(cursor.value)) await cursor.update(upgradeModelVersion(cursor.value));
	}
	if (!transaction.objectStoreNames.contains('monitorBatches')) return;
	const batches = transaction.objectStore('monitorBatches');
	for (let cursor = await batches.openCursor(); cursor; cursor = await cursor.continue()) {
		if (isOldBatch(cursor.value)) await cursor.update(upgradeBatch(cursor.value));
	}
}
