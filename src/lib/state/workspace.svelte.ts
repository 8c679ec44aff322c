import { errorMessage } from '../core/errors';
import { chooseBackend, type BackendChoice, type BackendName } from '../core/platform/backend';
import { probeDevice } from '../browser/device';
import {
	readStorageStatus,
	requestPersistentStorage,
	type StorageStatus
} from '../browser/storage';
import { exportWorkspace, importWorkspace, type BackupSummary } from '../storage/backup';
import { openDatabase, type Database } from '../storage/db';
import { StorageError } from '../storage/errors';
import {
	deleteDataset,
	listDatasets,
	renameDataset,
	type DatasetSummary
} from '../storage/datasets';

export type DatabaseState =
	| { status: 'opening' }
	| { status: 'ready' }
	| { status: 'blocked' }
	| { status: 'versionchange' }
	| { status: 'error'; message: string };

/**
 * The workspace as every screen sees it: the database connection, the dataset list, storage use
 * and the compute backend. One instance, created once by the layout.
 */
class Workspace {
	database = $state<DatabaseState>({ status: 'opening' });
	datasets = $state.raw<DatasetSummary[]>([]);
	loaded = $state(false);
	storage = $state<StorageStatus>({ usage: null, quota: null, persisted: null });
	backend = $state<BackendChoice | null>(null);
	/** True when the browser gave no usable IndexedDB and the workspace lives in memory. */
	ephemeral = $state(false);
	private db: Database | null = null;
	private opening: Promise<Database> | null = null;

	/**
	 * The backends to try, best first, as a plain array (a $state proxy cannot be posted to a
	 * worker); WASM then CPU until the probe has answered.
	 */
	backendOrder(): BackendName[] {
		return [...(this.backend?.order ?? ['wasm', 'cpu'])];
	}

	/** The open database; waits for it on first use. */
	async connection(): Promise<Database> {
		if (this.db) return this.db;
		this.opening ??= this.open();
		return this.opening;
	}

	async start(): Promise<void> {
		void this.probeBackend();
		try {
			await this.connection();
			await this.refresh();
		} catch (error) {
			if (this.database.status === 'opening') {
				this.database = {
					status: 'error',
					message: errorMessage(error)
				};
			}
		}
	}

	/** Reloads the dataset list and the storage figures (after any write). */
	async refresh(): Promise<void> {
		const db = await this.connection();
		this.datasets = await listDatasets(db);
		this.loaded = true;
		this.storage = await readStorageStatus();
	}

	/** Renames a dataset (its versions keep their ids) and reloads the list. */
	async renameDataset(id: string, name: string): Promise<void> {
		await renameDataset(await this.connection(), id, name);
		await this.refresh();
	}

	/** Deletes a dataset with all its versions (one transaction) and reloads the list. */
	async deleteDataset(id: string): Promise<void> {
		await deleteDataset(await this.connection(), id);
		await this.refresh();
	}

	/** The whole workspace as one zip (every store, with ids), for a backup or another browser. */
	async exportBackup(): Promise<Uint8Array> {
		return exportWorkspace(await this.connection());
	}

	/** Restores a backup: records already here are kept; the lists are reloaded. */
	async importBackup(file: Blob): Promise<BackupSummary> {
		const summary = await importWorkspace(
			await this.connection(),
			new Uint8Array(await file.arrayBuffer())
		);
		await this.refresh();
		return summary;
	}

	async persist(): Promise<boolean> {
		const granted = await requestPersistentStorage();
		this.storage = await readStorageStatus();
		return granted;
	}

	private async open(): Promise<Database> {
		try {
			return await this.openWith(globalThis.indexedDB);
		} catch (error) {
			if (!storageRefused(error)) throw error;
			// No usable IndexedDB (a private window may do that): the same database, in memory, for
			// this tab only. fake-indexeddb installs itself as the IndexedDB globals idb reads.
			await import('fake-indexeddb/auto');
			const db = await this.openWith(globalThis.indexedDB);
			this.ephemeral = true;
			return db;
		}
	}

	private async openWith(factory: IDBFactory | undefined): Promise<Database> {
		const db = await openDatabase(factory, {
			onBlocked: () => (this.database = { status: 'blocked' }),
			onVersionChange: () => {
				this.db = null;
				this.database = { status: 'versionchange' };
			},
			onTerminated: () => {
				this.db = null;
				this.opening = null;
				this.database = {
					status: 'error',
					message:
						'The browser closed the storage connection (was site data cleared?). Reload the page.'
				};
			}
		});
		this.db = db;
		this.database = { status: 'ready' };
		return db;
	}

	private async probeBackend(): Promise<void> {
		this.backend = chooseBackend(await probeDevice());
	}
}

/** The browser has no IndexedDB, or refuses to open one: a private mode, a policy. */
function storageRefused(error: unknown): boolean {
	if (error instanceof StorageError) return error.code === 'unavailable';
	const name = error instanceof DOMException || error instanceof Error ? error.name : '';
	return ['InvalidStateError', 'SecurityError', 'UnknownError', 'NotAllowedError'].includes(name);
}

export const workspace = new Workspace();
