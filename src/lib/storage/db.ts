import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageError } from './errors';
import type {
	DatasetRecord,
	ModelRecord,
	ModelVersionRecord,
	MonitorBatchRecord,
	MonitorSettingsRecord,
	RetrainRecord,
	RunRecord,
	StoredTable,
	VersionRecord
} from './types';

export const DB_NAME = 'driftwood';
/** Raise by one with each schema change, and add its step to `migrate`. */
export const DB_VERSION = 6;

export interface DriftwoodDB extends DBSchema {
	datasets: { key: string; value: DatasetRecord; indexes: { byUpdated: number } };
	versions: {
		key: string;
		value: VersionRecord;
		indexes: { byDataset: string; byTable: string };
	};
	tables: { key: string; value: StoredTable };
	runs: { key: string; value: RunRecord; indexes: { byCreated: number; byVersion: string } };
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
		upgrade(database, oldVersion) {
			migrate(database, oldVersion);
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
}
