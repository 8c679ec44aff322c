import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Database, DriftwoodDB } from './db';
import { explainStorageError } from './errors';
import { abortQuietly, settled } from './transaction';
import type { ModelVersionRecord, MonitorBatchRecord, RunRecord } from './types';
import {
	isOldBatch,
	isOldModelVersion,
	isOldRun,
	upgradeBatch,
	upgradeModelVersion,
	upgradeRun
} from './upgrade';

/** Every store a backup holds, in the order they are written back. */
const STORES = [
	'datasets',
	'versions',
	'tables',
	'runs',
	'runArtifacts',
	'models',
	'modelVersions',
	'monitorBatches',
	'monitors',
	'batchTables',
	'retrains'
] as const;
type StoreName = (typeof STORES)[number];
const KEYS: Record<StoreName, string> = {
	datasets: 'id',
	versions: 'id',
	tables: 'id',
	runs: 'id',
	runArtifacts: 'runId',
	models: 'name',
	modelVersions: 'id',
	monitorBatches: 'id',
	monitors: 'modelVersionId',
	batchTables: 'id',
	retrains: 'id'
};

/** The `format` of a workspace backup's workspace.json. */
export const BACKUP_FORMAT = 'driftwood-workspace';
/** 2: run artifacts in their own store, models as their family's files. 1: still imported. */
export const BACKUP_VERSION = 2;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A backup that cannot be restored: the message says why. */
export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

/** What a restore added, by store, and how many records it left as they were. */
export interface BackupSummary {
	counts: Record<StoreName, number>;
	/** Records whose id already existed here: kept as they were. */
	skipped: number;
}

/**
 * The whole workspace as one zip: `workspace.json` (every record, ids included) and one file per
 * ArrayBuffer or Uint8Array (tables, model files) under `buffers/`. Non-finite numbers survive as
 * tagged values.
 */
export async function exportWorkspace(db: Database): Promise<Uint8Array> {
	const tx = db.transaction(STORES, 'readonly');
	const stores = await Promise.all(STORES.map((name) => tx.objectStore(name).getAll()));
	await tx.done;
	const buffers: Uint8Array[] = [];
	const json = JSON.stringify(
		{
			format: BACKUP_FORMAT,
			version: BACKUP_VERSION,
			exportedAt: new Date().toISOString(),
			stores: Object.fromEntries(STORES.map((name, i) => [name, stores[i]]))
		},
		(_key, value: unknown) => {
			if (value instanceof ArrayBuffer) {
				buffers.push(new Uint8Array(value));
				return { $buffer: buffers.length - 1 };
			}
			if (value instanceof Uint8Array) {
				buffers.push(value);
				return { $bytes: buffers.length - 1 };
			}
			if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
			return value;
		}
	);
	const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {
		'workspace.json': strToU8(json)
	};
	buffers.forEach((b, i) => (files[`buffers/${i}.bin`] = [b, { level: 0 }]));
	return zipSync(files, { level: 6 });
}

/**
 * Restores a backup into this browser in one transaction: records keep their ids; a record whose
 * id is already here is left as it is (and counted). Nothing is written if anything is wrong.
 */
export async function importWorkspace(db: Database, bytes: Uint8Array): Promise<BackupSummary> {
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes, {
			filter: (file) => file.name === 'workspace.json' || /^buffers\/\d+\.bin$/.test(file.name)
		});
	} catch {
		throw new BackupError('This file is not a Driftwood workspace backup (not a readable zip).');
	}
	const text = files['workspace.json'];
	if (!text)
		throw new BackupError(
			'This zip is not a Driftwood workspace backup: it has no workspace.json.'
		);
	let parsed: { format?: unknown; version?: unknown; stores?: Record<string, unknown[]> };
	try {
		parsed = JSON.parse(strFromU8(text), (key, value: unknown) => {
			if (FORBIDDEN_KEYS.has(key))
				throw new BackupError(`The backup holds a "${key}" key: refused.`);
			if (value && typeof value === 'object' && !Array.isArray(value)) {
				const tagged = value as { $buffer?: unknown; $bytes?: unknown; $number?: unknown };
				const index = tagged.$buffer ?? tagged.$bytes;
				if (typeof index === 'number') {
					const buffer = files[`buffers/${index}.bin`];
					if (!buffer)
						throw new BackupError(`The backup is incomplete: buffers/${index}.bin is missing.`);
					return typeof tagged.$bytes === 'number' ? buffer.slice() : buffer.slice().buffer;
				}
				if (typeof tagged.$number === 'string') return Number(tagged.$number);
			}
			return value;
		});
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError('workspace.json is not valid JSON: the backup is damaged.');
	}
	if (parsed.format !== BACKUP_FORMAT)
		throw new BackupError('This zip is not a Driftwood workspace backup.');
	if (typeof parsed.version !== 'number' || parsed.version > BACKUP_VERSION) {
		throw new BackupError(
			`This backup was made by a newer Driftwood (format ${String(parsed.version)}). Update Driftwood to import it.`
		);
	}
	if (parsed.version < 2 && parsed.stores) {
		try {
			upgradeStores(parsed.stores);
		} catch {
			throw new BackupError(
				"The backup's runs or models could not be read in this Driftwood's format: the backup is damaged."
			);
		}
	}
	const counts = Object.fromEntries(STORES.map((name) => [name, 0])) as Record<StoreName, number>;
	let skipped = 0;
	const tx = db.transaction(STORES, 'readwrite');
	try {
		for (const name of STORES) {
			const records = parsed.stores?.[name] ?? [];
			if (!Array.isArray(records)) throw new BackupError(`The backup's ${name} are not a list.`);
			const store = tx.objectStore(name);
			for (const record of records) {
				const key = (record as Record<string, unknown>)?.[KEYS[name]];
				if (typeof key !== 'string')
					throw new BackupError(`A record in ${name} has no ${KEYS[name]}.`);
				if ((await store.count(key)) > 0) {
					skipped++;
					continue;
				}
				settled(store.put(record as DriftwoodDB[typeof name]['value'] as never));
				counts[name]++;
			}
		}
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
	return { counts, skipped };
}

/** A backup of an older Driftwood, in today's record shapes (as the database migration does). */
function upgradeStores(stores: Record<string, unknown[]>): void {
	const artifacts: unknown[] = (stores.runArtifacts ??= []);
	if (Array.isArray(stores.runs)) {
		stores.runs = stores.runs.map((record) => {
			const run = record as RunRecord;
			if (!run || typeof run !== 'object' || !isOldRun(run)) return run;
			const upgraded = upgradeRun(run);
			if (upgraded.artifacts) artifacts.push(upgraded.artifacts);
			return upgraded.run;
		});
	}
	if (Array.isArray(stores.modelVersions)) {
		stores.modelVersions = stores.modelVersions.map((record) => {
			const version = record as ModelVersionRecord;
			return version && typeof version === 'object' && isOldModelVersion(version)
				? upgradeModelVersion(version)
				: version;
		});
	}
	if (Array.isArray(stores.monitorBatches)) {
		stores.monitorBatches = stores.monitorBatches.map((record) => {
			const batch = record as MonitorBatchRecord;
			return batch && typeof batch === 'object' && batch.report && isOldBatch(batch)
				? upgradeBatch(batch)
				: batch;
		});
	}
}
