import type { Database } from './db';
import { explainStorageError } from './errors';
import type { RunRecord } from './types';

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

export async function deleteRun(db: Database, id: string): Promise<void> {
	await db.delete('runs', id);
}
