import type { Database } from './db';
import { explainStorageError, StorageError } from './errors';
import { abortQuietly, settled } from './transaction';
import type { Alias, ModelRecord, ModelVersionRecord } from './types';

/** The id of a model version: `${name}@${version}`. */
export function modelVersionId(name: string, version: number): string {
	return `${name}@${version}`;
}

/** What a model version is registered from. */
export interface NewModelVersion {
	name: string;
	runId: string;
	source: ModelVersionRecord['source'];
	manifest: ModelVersionRecord['manifest'];
	model: ModelVersionRecord['model'];
	/** Builds the card once the version number is known. */
	card: (version: number) => string;
	/** What the registering person wrote the model is for (absent on imports). */
	intendedUse?: string;
}

/**
 * Registers a new version of a named model (1, 2, …), creating the model on first use. One
 * transaction: the version and the model's counter move together.
 */
export async function registerVersion(
	db: Database,
	input: NewModelVersion
): Promise<ModelVersionRecord> {
	const name = input.name.trim();
	if (!name) throw new StorageError('A model needs a name.', 'not-found');
	const tx = db.transaction(['models', 'modelVersions'], 'readwrite');
	try {
		const now = Date.now();
		const existing = await tx.objectStore('models').get(name);
		const model: ModelRecord = existing
			? { ...existing, latestVersion: existing.latestVersion + 1, updatedAt: now }
			: {
					name,
					description: '',
					tags: [],
					aliases: { champion: null, challenger: null },
					history: [],
					latestVersion: 1,
					createdAt: now,
					updatedAt: now
				};
		const version = model.latestVersion;
		const record: ModelVersionRecord = {
			id: modelVersionId(name, version),
			name,
			version,
			runId: input.runId,
			createdAt: now,
			source: input.source,
			manifest: { ...input.manifest, model: { ...input.manifest.model, name, version } },
			model: input.model,
			card: input.card(version),
			...(input.intendedUse?.trim() ? { intendedUse: input.intendedUse.trim() } : {})
		};
		settled(tx.objectStore('modelVersions').put(record));
		settled(tx.objectStore('models').put(model));
		await tx.done;
		return record;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}

/** Every model, most recently changed first. */
export async function listModels(db: Database): Promise<ModelRecord[]> {
	return (await db.getAllFromIndex('models', 'byUpdated')).reverse();
}

/** A model and its versions, newest first; null when it does not exist. */
export async function getModel(
	db: Database,
	name: string
): Promise<{ model: ModelRecord; versions: ModelVersionRecord[] } | null> {
	const tx = db.transaction(['models', 'modelVersions'], 'readonly');
	const model = await tx.objectStore('models').get(name);
	const versions = model ? await tx.objectStore('modelVersions').index('byModel').getAll(name) : [];
	await tx.done;
	return model ? { model, versions: versions.sort((a, b) => b.version - a.version) } : null;
}

/** One model version by id; undefined when it does not exist. */
export async function getModelVersion(
	db: Database,
	id: string
): Promise<ModelVersionRecord | undefined> {
	return db.get('modelVersions', id);
}

/** Model versions registered from a run (lineage: run → model version). */
export async function versionsOfRun(db: Database, runId: string): Promise<ModelVersionRecord[]> {
	return db.getAllFromIndex('modelVersions', 'byRun', runId);
}

/**
 * Points an alias at a version (null clears it) and appends the move, with its note, to the
 * model's history. An alias names one version at a time; a version may hold both.
 */
export async function setAlias(
	db: Database,
	name: string,
	alias: Alias,
	version: number | null,
	note: string
): Promise<ModelRecord> {
	const tx = db.transaction(['models', 'modelVersions'], 'readwrite');
	const model = await tx.objectStore('models').get(name);
	if (!model) throw new StorageError(`There is no model "${name}".`, 'not-found');
	if (
		version !== null &&
		!(await tx.objectStore('modelVersions').get(modelVersionId(name, version)))
	) {
		throw new StorageError(`Model "${name}" has no version ${version}.`, 'not-found');
	}
	const now = Date.now();
	const next: ModelRecord = {
		...model,
		aliases: { ...model.aliases, [alias]: version },
		history: [
			...model.history,
			{ alias, version, previous: model.aliases[alias], at: now, note: note.trim() }
		],
		updatedAt: now
	};
	await tx.objectStore('models').put(next);
	await tx.done;
	return next;
}

/** Saves a model's description and tags. */
export async function updateModelDescription(
	db: Database,
	name: string,
	description: string,
	tags: string[]
): Promise<void> {
	const tx = db.transaction('models', 'readwrite');
	const model = await tx.store.get(name);
	if (!model) throw new StorageError(`There is no model "${name}".`, 'not-found');
	await tx.store.put({ ...model, description, tags, updatedAt: Date.now() });
	await tx.done;
}

/** The card is the one editable part of a version (it documents; it does not change predictions). */
export async function updateCard(db: Database, id: string, card: string): Promise<void> {
	const tx = db.transaction('modelVersions', 'readwrite');
	const version = await tx.store.get(id);
	if (!version) throw new StorageError('This model version no longer exists.', 'not-found');
	await tx.store.put({ ...version, card });
	await tx.done;
}

/** Every model version, newest first (for pickers). */
export async function listModelVersions(db: Database): Promise<ModelVersionRecord[]> {
	return (await db.getAll('modelVersions')).sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Makes a version the champion in one transaction: the champion alias moves to it and, when the
 * challenger alias pointed at it, the challenger is cleared; both moves enter the history.
 */
export async function promoteToChampion(
	db: Database,
	name: string,
	version: number,
	note: string
): Promise<ModelRecord> {
	const tx = db.transaction(['models', 'modelVersions'], 'readwrite');
	const model = await tx.objectStore('models').get(name);
	if (!model) throw new StorageError(`There is no model "${name}".`, 'not-found');
	if (!(await tx.objectStore('modelVersions').get(modelVersionId(name, version)))) {
		throw new StorageError(`Model "${name}" has no version ${version}.`, 'not-found');
	}
	const at = Date.now();
	const history = [
		...model.history,
		{ alias: 'champion' as const, version, previous: model.aliases.champion, at, note: note.trim() }
	];
	const aliases = { ...model.aliases, champion: version };
	if (model.aliases.challenger === version) {
		aliases.challenger = null;
		history.push({
			alias: 'challenger',
			version: null,
			previous: version,
			at,
			note: `v${version} became the champion`
		});
	}
	const next: ModelRecord = { ...model, aliases, history, updatedAt: at };
	await tx.objectStore('models').put(next);
	await tx.done;
	return next;
}
