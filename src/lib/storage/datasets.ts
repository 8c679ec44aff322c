import type { TableProfile } from '../core/profile/types';
import type { ColumnType, Dialect, ParseReport, Table } from '../core/table/types';
import type { Database } from './db';
import { explainStorageError, StorageError } from './errors';
import { fromStoredTable, toStoredTable } from './tables';
import { abortQuietly, settled } from './transaction';
import type { AuditLineage, DatasetRecord, VersionColumn, VersionRecord } from './types';

/** What a new dataset version is saved from: the table, its source, dialect, types and profile. */
export interface NewVersion {
	/** Omit to create a new dataset named `name`. */
	datasetId?: string;
	name: string;
	table: Table;
	tableId: string;
	source: { fileName: string; bytes: number };
	dialect: Dialect;
	report: ParseReport;
	inferredTypes: ColumnType[];
	target: string | null;
	profile: TableProfile;
	parent?: string | null;
	note?: string;
	audit?: AuditLineage;
}

/** The saved version, and whether its content was already stored. */
export interface SaveResult {
	version: VersionRecord;
	/** True when the dataset's latest version already had this content and target. */
	unchanged: boolean;
}

/** A dataset with its newest version and how many it has, for the data page. */
export interface DatasetSummary {
	dataset: DatasetRecord;
	latest: VersionRecord;
	versionCount: number;
	/** Every version, newest first (a run may train on any of them). */
	versions: VersionRecord[];
}

/** The id of a dataset version: `${datasetId}@${version}`. */
export function versionId(datasetId: string, version: number): string {
	return `${datasetId}@${version}`;
}

/**
 * Saves a dataset version and its table in one transaction: after a crash, a reload or a full
 * disk the store holds either the old state or the whole new version, never a part. Identical
 * content is stored once, whatever number of versions point at it.
 */
export async function saveVersion(db: Database, input: NewVersion): Promise<SaveResult> {
	const now = Date.now();
	const tx = db.transaction(['datasets', 'versions', 'tables'], 'readwrite');
	try {
		// Only IndexedDB requests are awaited until tx.done: anything else would end the transaction.
		const datasets = tx.objectStore('datasets');
		const versions = tx.objectStore('versions');
		const tables = tx.objectStore('tables');
		let dataset = input.datasetId ? await datasets.get(input.datasetId) : undefined;
		if (input.datasetId && !dataset) {
			throw new StorageError(
				'This dataset no longer exists (deleted in another tab?).',
				'not-found'
			);
		}
		if (dataset) {
			const latest = await versions.get(versionId(dataset.id, dataset.latestVersion));
			if (latest && latest.tableId === input.tableId && latest.target === input.target) {
				await tx.done;
				return { version: latest, unchanged: true };
			}
		}
		dataset = dataset
			? { ...dataset, latestVersion: dataset.latestVersion + 1, updatedAt: now }
			: {
					id: crypto.randomUUID(),
					name: input.name,
					createdAt: now,
					updatedAt: now,
					latestVersion: 1
				};
		const columns: VersionColumn[] = input.table.columns.map((c, i) => ({
			name: c.name,
			type: c.type,
			inferredType: input.inferredTypes[i] ?? c.type,
			storage: c.storage
		}));
		const version: VersionRecord = {
			id: versionId(dataset.id, dataset.latestVersion),
			datasetId: dataset.id,
			version: dataset.latestVersion,
			tableId: input.tableId,
			createdAt: now,
			source: input.source,
			dialect: input.dialect,
			report: input.report,
			rowCount: input.table.rowCount,
			columns,
			target: input.target,
			profile: input.profile,
			parent: input.parent ?? null,
			note: input.note ?? '',
			...(input.audit ? { audit: input.audit } : {})
		};
		if ((await tables.count(input.tableId)) === 0) {
			settled(tables.put(toStoredTable(input.tableId, input.table)));
		}
		settled(versions.put(version));
		settled(datasets.put(dataset));
		await tx.done;
		return { version, unchanged: false };
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}

/** Every dataset with its latest version, most recently changed first. */
export async function listDatasets(db: Database): Promise<DatasetSummary[]> {
	const tx = db.transaction(['datasets', 'versions'], 'readonly');
	const datasets = await tx.objectStore('datasets').index('byUpdated').getAll();
	const summaries: DatasetSummary[] = [];
	for (const dataset of datasets.reverse()) {
		const latest = await tx
			.objectStore('versions')
			.get(versionId(dataset.id, dataset.latestVersion));
		const versions = (await tx.objectStore('versions').index('byDataset').getAll(dataset.id)).sort(
			(a, b) => b.version - a.version
		);
		if (latest) summaries.push({ dataset, latest, versionCount: versions.length, versions });
	}
	await tx.done;
	return summaries;
}

/** A dataset and all its versions, newest first; null when it does not exist. */
export async function getDataset(
	db: Database,
	id: string
): Promise<{ dataset: DatasetRecord; versions: VersionRecord[] } | null> {
	const tx = db.transaction(['datasets', 'versions'], 'readonly');
	const dataset = await tx.objectStore('datasets').get(id);
	const versions = dataset ? await tx.objectStore('versions').index('byDataset').getAll(id) : [];
	await tx.done;
	if (!dataset) return null;
	return { dataset, versions: versions.sort((a, b) => b.version - a.version) };
}

/** The typed-array table behind a version. */
export async function loadTable(db: Database, tableId: string): Promise<Table> {
	const stored = await db.get('tables', tableId);
	if (!stored)
		throw new StorageError('The data of this version is missing from storage.', 'not-found');
	return fromStoredTable(stored);
}

/** Renames a dataset; its versions and runs keep pointing at it. */
export async function renameDataset(db: Database, id: string, name: string): Promise<void> {
	const trimmed = name.trim();
	if (!trimmed) throw new Error('A dataset needs a name.');
	const tx = db.transaction('datasets', 'readwrite');
	try {
		const dataset = await tx.store.get(id);
		if (!dataset) throw new StorageError('This dataset no longer exists.', 'not-found');
		settled(tx.store.put({ ...dataset, name: trimmed, updatedAt: Date.now() }));
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}

/** Deletes a dataset, its versions, and every table no other version still uses. */
export async function deleteDataset(db: Database, id: string): Promise<void> {
	const tx = db.transaction(['datasets', 'versions', 'tables'], 'readwrite');
	try {
		const versions = tx.objectStore('versions');
		const own = await versions.index('byDataset').getAll(id);
		const tableIds = new Set(own.map((v) => v.tableId));
		for (const v of own) settled(versions.delete(v.id));
		for (const tableId of tableIds) {
			const users = await versions.index('byTable').getAllKeys(tableId);
			const others = users.filter((key) => !own.some((v) => v.id === key));
			if (others.length === 0) settled(tx.objectStore('tables').delete(tableId));
		}
		settled(tx.objectStore('datasets').delete(id));
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}
