import { DriftwoodError, mayRetryElsewhere } from '../core/errors';
import { proxy } from 'comlink';
import type { ExperimentConfig } from '../core/model/experiment';
import { validateModelSpec } from '../core/model/families';
import { candidatesOf, iterationsOf, stepName } from '../core/model/spec';
import { sampleSpecs, validateSpace, type SearchSpace } from '../core/model/search';
import type { EpochLog } from '../core/model/family';
import type { BackendName } from '../core/platform/backend';
import { deleteRun, getRun, listRuns, renameRun } from '../storage/runs';
import type { RunRecord, VersionRecord } from '../storage/types';
import { sendTable } from '../workers/client';
import { createTrainWorker, type TrainWorker } from '../workers/train-client';
import type { TrainProgress } from '../workers/train-api';
import {
	describeSpec,
	newRun,
	trainRun,
	trainSearch,
	type RunEvents,
	type RunOutcome,
	type TrainCall,
	type Trial
} from '../workflows/train';
import { workspace } from './workspace.svelte';

export interface ActiveRun {
	/** Set during a search: this trial's place in it. */
	trial: { index: number; total: number } | null;
	runId: string;
	name: string;
	stage: TrainProgress['stage'];
	detail: string;
	/** The place in a counted stage (cross-validation fold k of n), else null. */
	part: { index: number; total: number } | null;
	history: EpochLog[];
	epochs: number;
	/** What one step is called: "epoch" (networks) or "iteration" (boosting). */
	step: 'epoch' | 'iteration';
	backend: string | null;
}

/** The live panel updates at most this often. */
const UI_INTERVAL_MS = 150;

/**
 * Training as the pages see it: the run in progress (live curve, stage, Cancel) and the stored
 * runs. The work happens in a train worker per run, stored by workflows/train; this class only
 * keeps the UI's state.
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
		const worker = this.begin(validateModelSpec(config.model));
		if (!worker) return null;
		try {
			const run = newRun(version, datasetName, config, null);
			this.show(run, null);
			const outcome = await trainRun(
				await workspace.connection(),
				this.trainIn(worker, backend),
				run,
				version.tableId,
				this.events()
			);
			this.report(outcome, { version, datasetName, config }, backend);
			return outcome.run;
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
		const base = config.model;
		// A search varies one family's settings; an ensemble is chosen, never searched.
		const kind = base.kind === 'ensemble' ? 'auto' : base.kind;
		const worker = this.begin(validateSpace(space, trials, kind));
		if (!worker || base.kind === 'auto' || base.kind === 'ensemble') return null;
		const specs = sampleSpecs(base, space, trials, base.seed);
		try {
			const { best, outcomes } = await trainSearch(
				await workspace.connection(),
				this.trainIn(worker, backend),
				version,
				datasetName,
				specs.map((model) => ({ ...config, model })),
				{ ...this.events(), onTrial: (run, trial) => this.show(run, trial) }
			);
			const last = outcomes[outcomes.length - 1];
			if (last) this.report(last, { version, datasetName, config: last.run.config }, backend);
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

	/** Training in `worker` on the chosen backend (or the device's best first). */
	private trainIn(worker: TrainWorker, backend: BackendName | 'auto'): TrainCall {
		// A plain array: a $state proxy cannot be posted to a worker.
		const order = backend === 'auto' ? workspace.backendOrder() : [backend];
		return (table, config, onProgress, onBackend) =>
			worker.call(
				worker.api.train(
					sendTable(table),
					$state.snapshot(config) as ExperimentConfig,
					order,
					proxy(onProgress),
					proxy(onBackend),
					backend === 'auto' ? 'auto' : 'backend'
				)
			);
	}

	/** The live panel of a run that starts. */
	private show(run: RunRecord, trial: Trial | null): void {
		this.active = {
			runId: run.id,
			name: run.name,
			stage: 'starting',
			detail: '',
			part: null,
			history: [],
			epochs: iterationsOf(candidatesOf(run.config.model)[0]!),
			step: stepName(candidatesOf(run.config.model)[0]!),
			backend: null,
			trial: trial ? { index: trial.index, total: trial.total } : null
		};
	}

	private events(): RunEvents {
		return {
			onProgress: (run, progress) => this.handleProgress(run, progress),
			onBackend: (run) => {
				if (this.active?.runId === run.id)
					this.active = { ...this.active, backend: run.backend?.name ?? null };
			}
		};
	}

	/** What the page says about a run that ended: its error, and whether another backend may help. */
	private report(
		outcome: RunOutcome,
		failed: { version: VersionRecord; datasetName: string; config: ExperimentConfig },
		backend: BackendName | 'auto'
	): void {
		if (outcome.run.status !== 'failed') return;
		this.error = outcome.error;
		// Another backend cannot fix the data or the settings: offer it only for the others.
		this.failed = mayRetryElsewhere({ code: outcome.code })
			? {
					...failed,
					tried:
						outcome.run.backend?.name ??
						(backend === 'auto' ? workspace.backendOrder()[0] : backend) ??
						null
				}
			: null;
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
		this.active = {
			...this.active,
			stage: progress.stage,
			detail: progress.detail ?? '',
			part: progress.part ?? null,
			history
		};
	}

	private finish(worker: TrainWorker): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		this.pending = [];
		worker.dispose();
		if (this.worker === worker) this.worker = null;
		this.active = null;
	}

	/**
	 * Stops the run after its current batch. A worker that has not stopped within CANCEL_GRACE_MS
	 * (dead, or stuck in one long step) is terminated, so Cancel always ends the run.
	 */
	cancel(): void {
		const worker = this.worker;
		if (!worker) return;
		void worker.api.cancel();
		// A worker that reports progress after Cancel is finishing (an automatic choice evaluates
		// the candidates that finished): only one that stays silent is stopped.
		this.lastProgress = performance.now();
		const check = setInterval(() => {
			if (this.worker !== worker) clearInterval(check);
			else if (performance.now() - this.lastProgress > CANCEL_GRACE_MS) {
				clearInterval(check);
				worker.dispose(
					new DriftwoodError(
						`Cancelled: the training worker did not stop within ${CANCEL_GRACE_MS / 1000} s, so it was stopped.`,
						'cancelled'
					)
				);
			}
		}, 1_000);
	}

	/** When the worker last reported progress (Cancel's grace period counts from it). */
	private lastProgress = 0;

	/** A stored run's settings ("Train like this"), or null when it is gone. */
	async settingsOf(id: string): Promise<ExperimentConfig | null> {
		return (await getRun(await workspace.connection(), id))?.config ?? null;
	}

	/** Renames a finished run; returns it as stored. */
	async rename(id: string, name: string): Promise<RunRecord> {
		const renamed = await renameRun(await workspace.connection(), id, name);
		await this.refresh();
		return renamed;
	}

	async remove(id: string): Promise<void> {
		await deleteRun(await workspace.connection(), id);
		await this.refresh();
	}

	private handleProgress(run: RunRecord, progress: TrainProgress): void {
		this.lastProgress = performance.now();
		if (!this.active || this.active.runId !== run.id) return;
		if (progress.restart) {
			// The worker starts the run over on another backend: the old curve is void.
			this.pending = [];
			this.active = { ...this.active, history: [] };
			this.notice = `${describeSpec(run.config)}: ${progress.detail ?? 'restarted'}.`;
		}
		if (progress.candidate) {
			// The next candidate of an automatic choice: its own curve and its own steps.
			this.pending = [];
			this.active = {
				...this.active,
				history: [],
				epochs: progress.candidate.iterations,
				step: progress.candidate.step
			};
		}
		if (progress.epoch) this.pending.push(progress.epoch);
		const stageChanged =
			progress.stage !== this.active.stage || (progress.detail ?? '') !== this.active.detail;
		// The live curve redraws at most every UI_INTERVAL_MS: a fast model can finish an epoch per
		// millisecond, and a redraw per epoch would keep the main thread busy.
		if (stageChanged || performance.now() - this.lastPaint >= UI_INTERVAL_MS) this.flush(progress);
		else if (!this.flushTimer)
			this.flushTimer = setTimeout(() => this.flush(progress), UI_INTERVAL_MS);
	}
}

/** How long Cancel waits for the worker to stop on its own. */
const CANCEL_GRACE_MS = 10_000;

export const trainer = new Trainer();

/** A run's model in a few words ("mlp 64-32 relu · seed 42"), for the screens. */
export { describeSpec } from '../workflows/train';
