import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { getRun, listRuns, putRun, renameRun, STALE_RUN_MS } from './runs';
import type { RunRecord } from './types';

function run(id: string, createdAt: number, heartbeat: number): RunRecord {
	return {
		id,
		name: id,
		datasetId: 'd',
		datasetName: 'd',
		versionId: 'd@1',
		createdAt,
		heartbeat,
		finishedAt: null,
		status: 'running',
		error: null,
		config: {} as RunRecord['config'],
		backend: null,
		history: [],
		result: null,
		searchId: null,
		searchBest: false
	};
}

describe('runs', () => {
	it('marks a run whose tab stopped sending heartbeats as interrupted, and keeps a live one', async () => {
		const db = await openDatabase(indexedDB, {}, 'runs-stale');
		const now = 10_000_000;
		await putRun(db, run('closed-tab', 1, now - STALE_RUN_MS - 1));
		await putRun(db, run('live', 2, now - 1000));
		const runs = await listRuns(db, now);
		expect(runs.map((r) => [r.id, r.status])).toEqual([
			['live', 'running'],
			['closed-tab', 'failed']
		]);
		const stored = await getRun(db, 'closed-tab');
		expect(stored?.error).toMatch(/^Interrupted: the tab was closed/);
		expect(stored?.finishedAt).toBe(now - STALE_RUN_MS - 1);
	});

	it('renames a finished run, never a running one or to an empty name', async () => {
		const db = await openDatabase(indexedDB, {}, 'runs-rename');
		await putRun(db, { ...run('done', 1, 1), status: 'done' });
		await putRun(db, run('busy', 2, Date.now()));
		expect((await renameRun(db, 'done', '  baseline, no dates  ')).name).toBe('baseline, no dates');
		expect((await getRun(db, 'done'))?.name).toBe('baseline, no dates');
		await expect(renameRun(db, 'done', '   ')).rejects.toThrow(/needs a name/);
		await expect(renameRun(db, 'busy', 'x')).rejects.toThrow(/once it has finished/);
		await expect(renameRun(db, 'gone', 'x')).rejects.toThrow(/no longer in this browser/);
		expect((await getRun(db, 'busy'))?.name).toBe('busy');
	});
});
