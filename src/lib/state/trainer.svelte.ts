import { proxy } from 'comlink';
import type { ExperimentConfig } from '../core/model/experiment';
import { validateSpec } from '../core/model/spec';
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

/**
 * Training as the pages see it: the run in progress (live curve, stage, Cancel) and the stored
 * runs. The work happens in a train worker per run; this class only keeps the UI's state.
 */
class Trainer {
	active = $state<ActiveRun | null>(null);
	runs = $state.raw<RunRecord[]>([]);
	loaded = $state(false);
	error = $state<string | null>(null);
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
		if (this.active) return null;
		const problems = validateSpec(config.model);
		if (problems.length) {
			this.error = problems.join(' ');
			return null;
		}
		this.error = null;
		const db = await workspace.connection();
		const now = Date.now();
		const run: RunRecord = {
			id: crypto.randomUUID(),
			name: describeModel(config),
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
			searchId: null
		};
		await putRun(db, run);
		this.active = {
			runId: run.id,
			name: run.name,
			stage: 'starting',
			detail: '',
			history: [],
			epochs: config.model.epochs,
			backend: null
		};
		// A plain array: a $state proxy cannot be posted to a worker.
		const order =
			backend === 'auto' ? [...(workspace.backend?.order ?? ['wasm', 'cpu'])] : [backend];
		const worker = (this.worker = createTrainWorker());
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
			const message = error instanceof Error ? error.message : String(error);
			const cancelled = /cancelled/i.test(message);
			Object.assign(run, {
				status: cancelled ? 'cancelled' : 'failed',
				error: cancelled ? null : message,
				finishedAt: Date.now()
			});
			if (!cancelled) this.error = message;
		} finally {
			worker.dispose();
			this.worker = null;
			this.active = null;
		}
		await putRun(db, $state.snapshot(run) as RunRecord);
		await this.refresh();
		await workspace.refresh();
		return run;
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
		const history = progress.epoch ? [...this.active.history, progress.epoch] : this.active.history;
		this.active = { ...this.active, stage: progress.stage, detail: progress.detail ?? '', history };
		if (progress.epoch && progress.epoch.epoch % SAVE_EVERY_EPOCHS === 0) {
			// Plain copies: IndexedDB cannot clone the UI's reactive proxies.
			run.history = $state.snapshot(history);
			run.heartbeat = Date.now();
			const saved = { ...run, history: run.history };
			void workspace.connection().then((db) => putRun(db, saved));
		}
	}
}

/** "mlp 64-32 relu · seed 42" */
export function describeModel(config: ExperimentConfig): string {
	const m = config.model;
	const shape = m.kind === 'mlp' ? `mlp ${m.hidden.join('-')} ${m.activation}` : 'linear';
	return `${shape} · seed ${m.seed}`;
}

export const trainer = new Trainer();
