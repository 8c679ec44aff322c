import { errorCode, errorMessage, type ErrorCode } from '../core/errors';
import type { ExperimentConfig, ExperimentResult } from '../core/model/experiment';
import type { Table } from '../core/table/types';
import { loadTable } from '../storage/datasets';
import type { Database } from '../storage/db';
import { putFinishedRun, putRun } from '../storage/runs';
import type { RunRecord, VersionRecord } from '../storage/types';
import type { TrainProgress } from '../workers/train-api';

/** How often a running run is written back (heartbeat and curve), in epochs. */
export const SAVE_EVERY_EPOCHS = 5;
/** A running run is written back at least this often (its heartbeat; see STALE_RUN_MS). */
export const HEARTBEAT_MS = 20_000;

/**
 * Trains one experiment somewhere (a train worker in the studio, a fake in tests) and reports its
 * progress and the backend it runs on. Rejects with the error the training ended with.
 */
export type TrainCall = (
	table: Table,
	config: ExperimentConfig,
	onProgress: (progress: TrainProgress) => void,
	onBackend: (backend: { name: string; adapter: string | null }) => void
) => Promise<ExperimentResult>;

/** A trial's place in its search. */
export interface Trial {
	searchId: string;
	index: number;
	total: number;
}

/** "mlp 64-32 relu · seed 42", "gbdt 31 leaves lr 0.1 · seed 42", "auto · seed 42" */
export function describeSpec(config: ExperimentConfig): string {
	const m = config.model;
	return `${shapeOf(m)} · seed ${m.seed}`;
}

function shapeOf(m: ExperimentConfig['model']): string {
	switch (m.kind) {
		case 'auto':
			return 'auto (linear, trees, MLP)';
		case 'gbdt':
			return `gbdt ${m.maxLeaves} leaves lr ${m.learningRate}`;
		case 'mlp':
			return `mlp ${m.hidden.join('-')} ${m.activation}`;
		case 'linear':
			return 'linear';
		case 'ensemble':
			return `ensemble of ${m.members.map((x) => x.spec.kind).join(', ')}`;
	}
}

/**
 * A run's name: the model and its key settings, the split, the trial, and a short id, so that two
 * runs of the same model read apart ("mlp 32 relu · seed 42 · by time on Year · #3f9a2c").
 */
export function runName(config: ExperimentConfig, trial: Trial | null, id: string): string {
	const split = config.split;
	const how =
		split.kind === 'time'
			? `by time on ${split.timeColumn ?? 'time'}`
			: `${split.kind} ${Math.round(split.validation * 100)}/${Math.round(split.test * 100)} %`;
	const parts = [describeSpec(config), how];
	if (config.crossValidation) parts.push(`${config.crossValidation}-fold CV`);
	if (trial) parts.push(`trial ${trial.index}/${trial.total}`);
	parts.push(`#${id.replace(/-/g, '').slice(0, 6)}`);
	return parts.join(' · ');
}

/** A new run record, still running, for `config` on a dataset version. */
export function newRun(
	version: VersionRecord,
	datasetName: string,
	config: ExperimentConfig,
	trial: Trial | null,
	now = Date.now(),
	id: string = crypto.randomUUID()
): RunRecord {
	return {
		id,
		name: runName(config, trial, id),
		datasetId: version.datasetId,
		datasetName,
		versionId: version.id,
		createdAt: now,
		heartbeat: now,
		finishedAt: null,
		status: 'running',
		error: null,
		config,
		backend: null,
		history: [],
		result: null,
		searchId: trial?.searchId ?? null,
		searchBest: false
	};
}

/** What the page hears of a run while it trains. */
export interface RunEvents {
	/** Every progress message, after the run record took it in (curve, backend, restart). */
	onProgress?: (run: RunRecord, progress: TrainProgress) => void;
	onBackend?: (run: RunRecord) => void;
}

/** How a run ended: the stored record, the error's code and its message (null when done). */
export interface RunOutcome {
	run: RunRecord;
	code: ErrorCode | null;
	error: string | null;
}

/**
 * Trains a run start to finish and keeps it stored all the way: written when it starts, its curve
 * and heartbeat every few epochs (so another tab never takes a live run for an abandoned one),
 * and at the end either done — its summary and artifacts in one transaction — or failed or
 * cancelled with the reason. A failure is returned, never thrown: the record says what happened.
 */
export async function trainRun(
	db: Database,
	train: TrainCall,
	run: RunRecord,
	tableId: string,
	events: RunEvents = {},
	clock: () => number = Date.now
): Promise<RunOutcome> {
	await putRun(db, run);
	let lastSave = clock();
	// A worker's progress and its result travel on different message ports, so an epoch can
	// arrive after the result: once the run has ended, a late one must not write "running" back.
	let ended = false;
	const onProgress = (progress: TrainProgress) => {
		if (ended) return;
		// A restart (another backend) or the next candidate of an automatic choice: a new curve.
		if (progress.restart || progress.candidate) run.history = [];
		if (progress.epoch) {
			run.history = [...run.history, progress.epoch];
			if (progress.epoch.epoch % SAVE_EVERY_EPOCHS === 0 || clock() - lastSave > HEARTBEAT_MS) {
				lastSave = run.heartbeat = clock();
				void putRun(db, { ...run }).catch(() => {
					// A missed heartbeat is retried at the next one; the final write reports errors.
				});
			}
		}
		events.onProgress?.(run, progress);
	};
	try {
		const table = await loadTable(db, tableId);
		const result = await train(table, run.config, onProgress, (backend) => {
			run.backend = backend;
			events.onBackend?.(run);
		}).finally(() => (ended = true));
		const { artifacts, ...summary } = result;
		const done: RunRecord = {
			...run,
			status: 'done',
			result: summary,
			history: summary.history,
			finishedAt: clock()
		};
		await putFinishedRun(db, done, { runId: run.id, ...artifacts });
		return { run: done, code: null, error: null };
	} catch (error) {
		const code = errorCode(error);
		const cancelled = code === 'cancelled';
		const ended: RunRecord = {
			...run,
			status: cancelled ? 'cancelled' : 'failed',
			error: cancelled ? null : errorMessage(error),
			finishedAt: clock()
		};
		await putRun(db, ended);
		return { run: ended, code, error: cancelled ? null : errorMessage(error) };
	}
}

/** The best finished trial by validation score: accuracy, or R² for regression. */
export function pickBest(runs: RunRecord[]): RunRecord | null {
	// Ties on the main score (common on small validation sets) go to the lower validation loss.
	const key = (run: RunRecord): [number, number] => {
		const r = run.result!;
		const main = r.validation[r.primaryMetric] ?? -Infinity;
		const loss =
			r.task === 'regression'
				? (r.validation.rmse ?? Infinity)
				: (r.validation.log_loss ?? Infinity);
		return [main, -loss];
	};
	let best: RunRecord | null = null;
	for (const run of runs) {
		if (!run.result) continue;
		if (!best) best = run;
		else {
			const [a, b] = [key(run), key(best)];
			if (a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])) best = run;
		}
	}
	return best;
}

/**
 * A random search: each config trained in turn as a run of one search, the best by validation
 * score (never test) marked. Stops at Cancel, and when the worker died (it cannot train the next).
 */
export async function trainSearch(
	db: Database,
	train: TrainCall,
	version: VersionRecord,
	datasetName: string,
	configs: ExperimentConfig[],
	events: RunEvents & { onTrial?: (run: RunRecord, trial: Trial) => void } = {},
	searchId: string = crypto.randomUUID()
): Promise<{ best: RunRecord | null; outcomes: RunOutcome[] }> {
	const outcomes: RunOutcome[] = [];
	for (let i = 0; i < configs.length; i++) {
		const trial = { searchId, index: i + 1, total: configs.length };
		const run = newRun(version, datasetName, configs[i]!, trial);
		events.onTrial?.(run, trial);
		const outcome = await trainRun(db, train, run, version.tableId, events);
		outcomes.push(outcome);
		if (outcome.run.status === 'cancelled' || outcome.code === 'worker') break;
	}
	const best = pickBest(outcomes.filter((o) => o.run.status === 'done').map((o) => o.run));
	if (best) {
		best.searchBest = true;
		await putRun(db, best);
	}
	return { best, outcomes };
}
