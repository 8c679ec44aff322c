import { proxy } from 'comlink';
import type { BacktestConfig, BacktestResult } from '../core/backtest/backtest';
import type { Policy, SimulationResult } from '../core/backtest/policy';
import type { Table } from '../core/table/types';
import { errorCode, errorMessage } from '../core/errors';
import { loadTable } from '../storage/datasets';
import type { ModelVersionRecord, MonitorBatchRecord, VersionRecord } from '../storage/types';
import {
	adoptSimulatedPolicy,
	monitorHistory,
	versionsTrainedOn,
	type MonitorHistory
} from '../workflows/autopilot';
import { defaultPolicies } from '../core/backtest/policy';
import { prepareInWorker } from './retrainer.svelte';
import { sendTable } from '../workers/client';
import { createTrainWorker, type TrainWorker } from '../workers/train-client';
import { workspace } from './workspace.svelte';

/** How long Cancel waits for the worker to stop between fits before it is terminated. */
const CANCEL_GRACE_MS = 2_000;

/**
 * A backtest as the page sees it: its progress, Cancel, its result or error. The work runs in a
 * train worker (core/backtest); this class keeps only the UI's state. Results live with the page
 * (they are not stored).
 */
class Backtester {
	running = $state(false);
	progress = $state.raw<{ done: number; total: number; what: string } | null>(null);
	result = $state.raw<BacktestResult | null>(null);
	/** The settings the shown result was computed with. */
	config = $state.raw<BacktestConfig | null>(null);
	error = $state<string | null>(null);
	cancelled = $state(false);
	private worker: TrainWorker | null = null;

	/** The policies simulated last, and their settings. */
	simulation = $state.raw<SimulationResult | null>(null);

	async run(version: VersionRecord, config: BacktestConfig): Promise<void> {
		this.result = null;
		const result = await this.work(this.tableOf(version), (worker, table, onProgress) =>
			worker.api.backtest(
				table,
				$state.snapshot(config) as BacktestConfig,
				workspace.backendOrder(),
				onProgress
			)
		);
		if (result) {
			this.result = result;
			this.config = config;
		}
	}

	/** The retraining policies replayed over the same periods. */
	async simulate(
		version: VersionRecord,
		config: BacktestConfig,
		policies: Policy[]
	): Promise<void> {
		this.simulation = null;
		const settings = $state.snapshot(config) as BacktestConfig;
		const result = await this.work(this.tableOf(version), (worker, table, onProgress) =>
			worker.api.policies(table, settings, policies, workspace.backendOrder(), onProgress)
		);
		if (result) {
			this.simulation = result;
			this.config = config;
		}
	}

	/** A monitor's replay: the policies over its labelled batches, one period each. */
	monitorSimulation = $state.raw<{
		versionId: string;
		result: SimulationResult;
		labels: string[];
		model: string;
	} | null>(null);

	async simulateMonitor(version: ModelVersionRecord, batches: MonitorBatchRecord[]): Promise<void> {
		this.monitorSimulation = null;
		let history: MonitorHistory | null = null;
		const v = $state.snapshot(version) as ModelVersionRecord;
		const result = await this.work(
			async () => {
				history = await monitorHistory(
					await workspace.connection(),
					prepareInWorker,
					v,
					$state.snapshot(batches) as MonitorBatchRecord[]
				);
				return history.table;
			},
			(worker, table, onProgress) =>
				worker.api.policies(
					table,
					history!.config,
					defaultPolicies(null),
					workspace.backendOrder(),
					onProgress
				)
		);
		if (result && history) {
			const { labels, model } = history;
			this.monitorSimulation = { versionId: v.id, result, labels, model };
		}
	}

	/** A dataset version's table, read when the work starts. */
	private tableOf(version: VersionRecord): () => Promise<Table> {
		return async () => loadTable(await workspace.connection(), version.tableId);
	}

	/** One job in a fresh worker, with progress, Cancel and errors; its result, or null. */
	private async work<T>(
		load: () => Promise<Table>,
		call: (
			worker: TrainWorker,
			table: Table,
			onProgress: (done: number, total: number, what: string) => void
		) => Promise<T>
	): Promise<T | null> {
		if (this.running) return null;
		this.running = true;
		this.error = null;
		this.cancelled = false;
		this.progress = { done: 0, total: 0, what: 'reading the table' };
		const worker = (this.worker = createTrainWorker());
		try {
			const table = await load();
			return await worker.call(
				call(
					worker,
					sendTable(table),
					proxy((done: number, total: number, what: string) => {
						this.progress = { done, total, what };
					})
				)
			);
		} catch (error) {
			if (errorCode(error) === 'cancelled') this.cancelled = true;
			else this.error = errorMessage(error);
			return null;
		} finally {
			worker.dispose();
			this.worker = null;
			this.running = false;
			this.progress = null;
		}
	}

	/** The model versions trained on a dataset: whose autopilot the recommendation can set. */
	async versionsTrainedOn(datasetId: string): Promise<ModelVersionRecord[]> {
		return versionsTrainedOn(await workspace.connection(), datasetId);
	}

	/** Makes a simulated policy the autopilot of a model version's monitor. */
	async adopt(versionId: string, policy: Policy, source: string): Promise<void> {
		await adoptSimulatedPolicy(
			await workspace.connection(),
			versionId,
			$state.snapshot(policy) as Policy,
			source
		);
	}

	/** Stops the backtest: asked politely between fits, then the worker is ended. */
	cancel(): void {
		const worker = this.worker;
		if (!worker) return;
		void worker.api.cancel();
		setTimeout(() => {
			if (this.worker === worker) worker.dispose();
		}, CANCEL_GRACE_MS);
	}
}

export const backtester = new Backtester();
