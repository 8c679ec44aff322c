import type { BacktestConfig, BacktestResult } from '../core/backtest/backtest';
import type { Policy, SimulationResult } from '../core/backtest/policy';
import type { Table } from '../core/table/types';
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
import { workspace } from './workspace.svelte';
import { WorkerJob } from './worker-job.svelte';

/**
 * A backtest as the page sees it: its progress, Cancel, its result or error. The work runs in a
 * train worker (core/backtest); this class keeps only the UI's state. Results live with the page
 * (they are not stored).
 */
class Backtester extends WorkerJob {
	result = $state.raw<BacktestResult | null>(null);
	/** The settings the shown result was computed with. */
	config = $state.raw<BacktestConfig | null>(null);

	/** The policies simulated last, and their settings. */
	simulation = $state.raw<SimulationResult | null>(null);

	async run(version: VersionRecord, config: BacktestConfig): Promise<void> {
		this.result = null;
		const settings = $state.snapshot(config) as BacktestConfig;
		const result = await this.work(async (worker, onProgress) =>
			worker.call(
				worker.api.backtest(
					sendTable(await this.tableOf(version)),
					settings,
					workspace.backendOrder(),
					onProgress
				)
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
		const result = await this.work(async (worker, onProgress) =>
			worker.call(
				worker.api.policies(
					sendTable(await this.tableOf(version)),
					settings,
					policies,
					workspace.backendOrder(),
					onProgress
				)
			)
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
		const result = await this.work(async (worker, onProgress) => {
			history = await monitorHistory(
				await workspace.connection(),
				prepareInWorker,
				v,
				$state.snapshot(batches) as MonitorBatchRecord[]
			);
			return worker.call(
				worker.api.policies(
					sendTable(history.table),
					history.config,
					defaultPolicies(null),
					workspace.backendOrder(),
					onProgress
				)
			);
		});
		if (result && history) {
			const { labels, model } = history;
			this.monitorSimulation = { versionId: v.id, result, labels, model };
		}
	}

	/** A dataset version's table, read when the work starts. */
	private async tableOf(version: VersionRecord): Promise<Table> {
		return loadTable(await workspace.connection(), version.tableId);
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
}

export const backtester = new Backtester();
