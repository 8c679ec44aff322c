import { errorMessage } from '../core/errors';
import { transfer } from 'comlink';
import { tableBuffers } from '../core/table/access';
import type { LabelledScore } from '../core/drift/monitor';
import type { Table } from '../core/table/types';
import { listRetrains } from '../storage/monitor';
import type { ModelVersionRecord, MonitorBatchRecord, RetrainRecord } from '../storage/types';
import { createDataWorker, sendTable } from '../workers/client';
import {
	promoteChallenger,
	retrainChallenger,
	retrainSource,
	type RetrainChoice,
	type RetrainDeps,
	type RetrainSource
} from '../workflows/retrain';
import { autopilotAfterBatch, type AutopilotRun } from '../workflows/autopilot';
import { VersionWorker } from './predict-worker.svelte';
import { registry } from './registry.svelte';
import { trainer } from './trainer.svelte';
import { workspace } from './workspace.svelte';

/**
 * Retraining from a monitor as the page sees it: the retrains of the version shown and the step in
 * progress. The work is workflows/retrain; the train, data and predict workers are its deps.
 */
class Retrainer {
	records = $state.raw<RetrainRecord[]>([]);
	/** The step in progress, or null when idle. */
	stage = $state<string | null>(null);
	error = $state<string | null>(null);
	private versionId: string | null = null;

	async load(versionId: string): Promise<void> {
		this.versionId = versionId;
		this.error = null;
		const records = await listRetrains(await workspace.connection(), versionId);
		if (this.versionId === versionId) this.records = records;
	}

	/** The run and dataset version behind a model version, or why it cannot be retrained here. */
	async source(version: ModelVersionRecord): Promise<RetrainSource | string> {
		return retrainSource(await workspace.connection(), version);
	}

	async start(
		version: ModelVersionRecord,
		batches: MonitorBatchRecord[],
		choice: RetrainChoice
	): Promise<RetrainRecord | null> {
		if (this.stage) return null;
		if (trainer.active) {
			this.error = 'Another run is training: wait for it to end (or cancel it), then retrain.';
			return null;
		}
		this.error = null;
		this.stage = 'Starting';
		try {
			const record = await retrainChallenger(
				await workspace.connection(),
				this.deps(),
				$state.snapshot(version) as ModelVersionRecord,
				$state.snapshot(batches) as MonitorBatchRecord[],
				$state.snapshot(choice) as RetrainChoice
			);
			if (record.status === 'failed') this.error = record.error;
			await this.refreshAfter(record);
			return record;
		} finally {
			this.stage = null;
		}
	}

	/**
	 * The autopilot after a batch arrived: it retrains, compares and (when allowed) promotes in
	 * workers, or says why it did not act. Never two at once, never beside a run in training.
	 */
	async autopilot(
		version: ModelVersionRecord,
		batches: MonitorBatchRecord[]
	): Promise<AutopilotRun | null> {
		if (this.stage || trainer.active) {
			this.error =
				'The autopilot did not act on this batch: another run was training. Retrain by hand below, or upload the next batch when it is done.';
			return null;
		}
		this.error = null;
		this.stage = 'Autopilot: reading the policy';
		try {
			const run = await autopilotAfterBatch(
				await workspace.connection(),
				this.deps('Autopilot: '),
				$state.snapshot(version) as ModelVersionRecord,
				$state.snapshot(batches) as MonitorBatchRecord[]
			);
			if (run.record?.status === 'failed')
				this.error = `The autopilot's retrain failed: ${run.record.error}`;
			if (run.record) await this.refreshAfter(run.record);
			return run;
		} catch (error) {
			this.error = `The autopilot stopped: ${errorMessage(error)}`;
			return null;
		} finally {
			this.stage = null;
		}
	}

	/** The workers a retrain runs in; each step shown with `prefix`. */
	private deps(prefix = ''): RetrainDeps {
		return {
			prepare: prepareInWorker,
			train: async (data, datasetName, config) => {
				const run = await trainer.start(data, datasetName, config, 'auto');
				if (!run) throw new Error(trainer.error ?? 'The challenger could not start training.');
				return run;
			},
			// Each model in a worker of its own: the page may show another version by now.
			evaluate: evaluateVersion,
			onStage: (stage) => (this.stage = `${prefix}${stage}`)
		};
	}

	private async refreshAfter(record: RetrainRecord): Promise<void> {
		await Promise.all([registry.refresh(), workspace.refresh()]);
		// The list shown is refreshed only if it is still this version's.
		if (this.versionId === record.modelVersionId) await this.load(record.modelVersionId);
	}

	/** Makes the challenger of a retrain the champion (one transaction, recorded in the history). */
	async promote(record: RetrainRecord, reason: string): Promise<void> {
		try {
			this.error = null;
			const promoted = await promoteChallenger(await workspace.connection(), record, reason);
			if (this.versionId === promoted.modelVersionId) await this.load(promoted.modelVersionId);
		} catch (error) {
			this.error = errorMessage(error);
		}
		await registry.refresh();
	}
}

/** Fits, appends, profiles and hashes the challenger's rows in a data worker: the page only renders. */
export async function prepareInWorker(
	...[columns, required, base, parts, target]: Parameters<RetrainDeps['prepare']>
): ReturnType<RetrainDeps['prepare']> {
	const worker = createDataWorker();
	try {
		return await worker.call(
			worker.api.retrainingData(
				columns,
				required,
				base ? sendTable(base) : null,
				transfer(
					parts,
					parts.flatMap((p) => tableBuffers(p.table))
				),
				target
			)
		);
	} finally {
		worker.dispose();
	}
}

/** A version's measured score on labelled rows, in a predict worker of its own. */
async function evaluateVersion(
	version: ModelVersionRecord,
	rows: Table
): Promise<LabelledScore | null> {
	const loaded = new VersionWorker();
	try {
		const worker = await loaded.ready(version);
		return await worker.call(worker.api.evaluate(rows));
	} finally {
		loaded.dispose();
	}
}

export { challengerOf, type RetrainChoice, type RetrainSource } from '../workflows/retrain';

export const retrainer = new Retrainer();
