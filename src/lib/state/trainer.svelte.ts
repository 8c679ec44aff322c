import { errorCode, errorMessage, mayRetryElsewhere, type ErrorCode } from '../core/errors';
import { proxy } from 'comlink';
import type { ExperimentConfig } from '../core/model/experiment';
import { validateSpec } from '../core/model/spec';
import { sampleSpecs, validateSpace, type SearchSpace } from '../core/model/search';
import type { EpochLog } from '../core/model/train';
import type { BackendName } from '../core/platform/backend';
import { loadTable } from '../storage/datasets';
import { deleteRun, listRuns, putRun } from '../storage/runs';
import type { RunRecord, VersionRecord } from '../storage/types';
import { sendTable } from '../workers/client';
import { createTrainWorker, type TrainWorker } from '../workers/train-client';
import type { TrainProgress } from '../workers/train-api';
import { workspace } from './workspace.svelte';

export interface ActiveRun {
	/** Set during a search: this trial's place in it. */
	trial: { index: number; total: number } | null;
	runId: string;
	name: string;
	stage: TrainProgress['stage'];
	detail: string;
	history: EpochLog[];
	epochs: number;
	backend: string | null;
}

/** How often a running run is written back (heartbeat and curve), in epochs. */
const SAVE_EVERY_EPOCHS = 5;
/** A running run is written back at least this often (its heartbeat; see STALE_RUN_MS). */
const HEARTBEAT_MS = 20_000;
/** The live panel updates at most this often. */
const UI_INTERVAL_MS = 150;

/**
 * Training as the pages see it: the run in progress (live curve, stage, Cancel) and the stored
 * runs. The work happens in a train worker per run; this class only keeps the UI's state.
 */
class Trainer {
	// Raw: replaced whole on each update, never deep-proxied (the curve grows every epoch).
	active = $state.raw<ActiveRun | null>(null);
	runs = $state.raw<RunRecord[]>([]);
	loaded = $state(false);
	error = $state<string | null>(null);
	/** What happened to the last run that did not stop it (a GPU lost, the run restarted). */
	notice = $state<string | null>(null);
	/** The last run that failed, so that it can be tried again on another backend. */
	failed = $state.raw<{
		version: VersionRecord;
		datasetName: string;
		config: ExperimentConfig;
		tried: string | null;
	} | null>(null);
	private worker: TrainWorker | null = null;

	async refresh(): Promise<void> {
		this.runs = await listRuns(await workspace.connection());
		this.loaded = true;
	}

	/** Trains one run on a dataset version; resolves with the stored run when it ends. */
	async start(
		version: VersionRecord,
		datasetName: string,
		config: ExperimentConfig,
		backend: BackendName | 'auto'
	): Promise<RunRecord | null> {
		const worker = this.begin(validateSpec(config.model));
		if (!worker) return null;
		try {
			return (await this.runTrial(worker, version, datasetName, config, backend, null)).run;
		} finally {
			this.finish(worker);
			await this.refresh();
			await workspace.refresh();
		}
	}

	/**
	 * A random search: `trials` specs drawn from `space`, trained one after another in one worker,
	 * every trial kept as a run; the best by validation score is marked. Cancel ends the search.
	 */
	async search(
		version: VersionRecord,
		datasetName: string,
		config: ExperimentConfig,
		space: SearchSpace,
		trials: number,
		backend: BackendName | 'auto'
	): Promise<RunRecord | null> {
		const worker = this.begin(validateSpace(space, trials));
		if (!worker) return null;
		const searchId = crypto.randomUUID();
		const specs = sampleSpecs(config.model, space, trials, config.model.seed);
		const done: RunRecord[] = [];
		try {
			for (let i = 0; i < specs.length; i++) {
				const { run, code } = await this.runTrial(
					worker,
					version,
					datasetName,
					{ ...config, model: specs[i]! },
					backend,
					{ searchId, index: i + 1, total: trials }
				);
				// A dead worker cannot run the next trial.
				if (run.status === 'cancelled' || code === 'worker') break;
				if (run.status === 'done') done.push(run);
			}
			const best = pickBest(done);
			if (best) {
				best.searchBest = true;
				await putRun(await workspace.connection(), best);
			}
			return best;
		} finally {
			this.finish(worker);
			await this.refresh();
			await workspace.refresh();
		}
	}

	/**
	 * Starts training when nothing else is and the settings have no `problems` (shown instead):
	 * clears the last run's messages and returns the new train worker, or null.
	 */
	private begin(problems: string[]): TrainWorker | null {
		if (this.active) return null;
		if (problems.length) {
			this.error = problems.join(' ');
			return null;
		}
		this.error = null;
		this.failed = null;
		this.notice = null;
		return (this.worker = createTrainWorker());
	}

	private async runTrial(
		worker: TrainWorker,
		version: VersionRecord,
		datasetName: string,
		config: ExperimentConfig,
		backend: BackendName | 'auto',
		trial: { searchId: string; index: number; total: number } | null
	): Promise<{ run: RunRecord; code: ErrorCode | null }> {
		const db = await workspace.connection();
		const now = Date.now();
		let code: ErrorCode | null = null;
		const run: RunRecord = {
			id: crypto.randomUUID(),
			name: trial
				? `${describeModel(config)} · trial ${trial.index}/${trial.total}`
				: describeModel(config),
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
		await putRun(db, run);
		this.active = {
			runId: run.id,
			name: run.name,
			stage: 'starting',
			detail: '',
			history: [],
			epochs: config.model.epochs,
			backend: null,
			trial: trial ? { index: trial.index, total: trial.total } : null
		};
		// A plain array: a $state proxy cannot be posted to a worker.
		const order = backend === 'auto' ? workspace.backendOrder() : [backend];
		try {
			const table = await loadTable(db, version.tableId);
			const result = await worker.call(
				worker.api.train(
					sendTable(table),
					config,
					order,
					proxy((progress: TrainProgress) => this.handleProgress(run, progress)),
					proxy((active: { name: string; adapter: string | null }) => {
						run.backend = active;
						if (this.active) this.active = { ...this.active, backend: active.name };
					})
				)
			);
			Object.assign(run, {
				status: 'done',
				result,
				finishedAt: Date.now(),
				history: result.history
			});
		} catch (error) {
			const message = errorMessage(error);
			code = errorCode(error);
			const cancelled = code === 'cancelled';
			Object.assign(run, {
				status: cancelled ? 'cancelled' : 'failed',
				error: cancelled ? null : message,
				finishedAt: Date.now()
			});
			if (!cancelled) {
				this.error = message;
				// Another backend cannot fix the data or the settings: offer it only for the others.
				this.failed = mayRetryElsewhere(error)
					? { version, datasetName, config, tried: run.backend?.name ?? order[0] ?? null }
					: null;
			}
		}
		const saved = $state.snapshot(run) as RunRecord;
		await putRun(db, saved);
		return { run: saved, code };
	}

	private pending: EpochLog[] = [];
	private lastPaint = 0;
	private flushTimer: ReturnType<typeof setTimeout> | null = null;

	private flush(progress: TrainProgress): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		if (!this.active) return;
		const history = this.pending.length
			? [...this.active.history, ...this.pending]
			: this.active.history;
		this.pending = [];
		this.lastPaint = performance.now();
		this.active = { ...this.active, stage: progress.stage, detail: progress.detail ?? '', history };
	}

	private finish(worker: TrainWorker): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		this.pending = [];
		worker.dispose();
		if (this.worker === worker) this.worker = null;
		this.active = null;
	}

	/** Stops the run after its current batch. */
	cancel(): void {
		void this.worker?.api.cancel();
	}

	async remove(id: string): Promise<void> {
		await deleteRun(await workspace.connection(), id);
		await this.refresh();
	}

	private handleProgress(run: RunRecord, progress: TrainProgress): void {
		if (!this.active || this.active.runId !== run.id) return;
		if (progress.restart) {
			// The worker starts the run over on another backend: the old curve is void.
			this.pending = [];
			run.history = [];
			this.active = { ...this.active, history: [] };
			this.notice = `${describeModel(run.config)}: ${progress.detail ?? 'restarted'}.`;
		}
		if (progress.epoch) this.pending.push(progress.epoch);
		const stageChanged =
			progress.stage !== this.active.stage || (progress.detail ?? '') !== this.active.detail;
		// The live curve redraws at most every UI_INTERVAL_MS: a fast model can finish an epoch per
		// millisecond, and a redraw per epoch would keep the main thread busy.
		if (stageChanged || performance.now() - this.lastPaint >= UI_INTERVAL_MS) this.flush(progress);
		else if (!this.flushTimer)
			this.flushTimer = setTimeout(() => this.flush(progress), UI_INTERVAL_MS);
		// Every few epochs, and at least every HEARTBEAT_MS however slow an epoch is, so that other
		// tabs never take a live run for one whose tab was closed.
		if (
			progress.epoch &&
			(progress.epoch.epoch % SAVE_EVERY_EPOCHS === 0 || Date.now() - run.heartbeat > HEARTBEAT_MS)
		) {
			const history = [...this.active.history, ...this.pending];
			run.history = history;
			run.heartbeat = Date.now();
			const saved = { ...run, history: run.history };
			void workspace.connection().then((db) => putRun(db, saved));
		}
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

/** "mlp 64-32 relu · seed 42" */
export function describeModel(config: ExperimentConfig): string {
	const m = config.model;
	const shape = m.kind === 'mlp' ? `mlp ${m.hidden.join('-')} ${m.activation}` : 'linear';
	return `${shape} · seed ${m.seed}`;
}

export const trainer = new Trainer();
