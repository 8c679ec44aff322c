import type { Database } from './db';
import { explainStorageError } from './errors';
import { abortQuietly, settled } from './transaction';
import type { RunArtifactsRecord, RunRecord } from './types';

/** A run stops sending heartbeats when its tab closes; after this it is shown as interrupted. */
export const STALE_RUN_MS = 2 * 60 * 1000;

/** Saves (creates or replaces) a run; one request, so it is atomic. */
export async function putRun(db: Database, run: RunRecord): Promise<void> {
	try {
		await db.put('runs', run);
	} catch (error) {
		throw explainStorageError(error);
	}
}

/**
 * Saves a finished run and what it made, in one transaction: a run marked done always has its
 * artifacts, and a listing of runs never loads them.
 */
export async function putFinishedRun(
	db: Database,
	run: RunRecord,
	artifacts: RunArtifactsRecord
): Promise<void> {
	const tx = db.transaction(['runs', 'runArtifacts'], 'readwrite');
	try {
		settled(tx.objectStore('runArtifacts').put(artifacts));
		settled(tx.objectStore('runs').put(run));
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}

/** The model and drift reference of a finished run; undefined for one that made none. */
export async function getRunArtifacts(
	db: Database,
	runId: string
): Promise<RunArtifactsRecord | undefined> {
	return db.get('runArtifacts', runId);
}

/** One run by id (its summary; the artifacts are read with getRunArtifacts). */
export async function getRun(db: Database, id: string): Promise<RunRecord | undefined> {
	return db.get('runs', id);
}

/** Every run, newest first; runs whose tab closed mid-training are marked failed on the way. */
export async function listRuns(db: Database, now = Date.now()): Promise<RunRecord[]> {
	const runs = (await db.getAllFromIndex('runs', 'byCreated')).reverse();
	const stale = runs.filter((r) => r.status === 'running' && now - r.heartbeat > STALE_RUN_MS);
	for (const run of stale) {
		run.status = 'failed';
		run.error = 'Interrupted: the tab was closed or reloaded while this run was training.';
		run.finishedAt = run.heartbeat;
		await putRun(db, run);
	}
	return runs;
}

/** Deletes a run and its artifacts together. */
export async function deleteRun(db: Database, id: string): Promise<void> {
	const tx = db.transaction(['runs', 'runArtifacts'], 'readwrite');
	try {
		settled(tx.objectStore('runs').delete(id));
		settled(tx.objectStore('runArtifacts').delete(id));
		await tx.done;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}

/** Longest run name kept. */
export const MAX_RUN_NAME = 200;

/**
 * Renames a finished run (a running one rewrites its own record with every heartbeat), in one
 * transaction; the name is trimmed and must not be empty. Returns the renamed run.
 */
export async function renameRun(db: Database, id: string, name: string): Promise<RunRecord> {
	const trimmed = name.trim().slice(0, MAX_RUN_NAME);
	if (!trimmed)
		throw new Error('A run needs a name: type one, or press Escape to keep the old one.');
	const tx = db.transaction('runs', 'readwrite');
	try {
		const run = await tx.store.get(id);
		if (!run) throw new Error('This run is no longer in this browser.');
		if (run.status === 'running') throw new Error('A run can be renamed once it has finished.');
		const renamed = { ...run, name: trimmed };
		settled(tx.store.put(renamed));
		await tx.done;
		return renamed;
	} catch (error) {
		abortQuietly(tx);
		throw explainStorageError(error);
	}
}
