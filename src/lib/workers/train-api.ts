import * as tf from '@tensorflow/tfjs';
import {
	runExperiment,
	type ExperimentConfig,
	type ExperimentResult
} from '../core/model/experiment';
import type { EpochLog } from '../core/model/family';
import { iterationsOf, stepName } from '../core/model/spec';
import type { BackendName } from '../core/platform/backend';
import type { Table } from '../core/table/types';
import { activateBackend, watchDeviceLoss, type ActiveBackend } from './backend';
import { runBacktest, type BacktestConfig, type BacktestResult } from '../core/backtest/backtest';
import { simulatePolicies, type Policy, type SimulationResult } from '../core/backtest/policy';
import { runAudit, type AuditConfig, type AuditResult } from '../core/audit/audit';
import { compareCleaned, type CleanedComparison } from '../core/audit/compare';
import { allInLoops, setNetworkEngine, type NetworkEngine } from '../core/model/neural/engine';
import type { EnsembleSpec, ModelChoice } from '../core/model/spec';
import { withFoldWorkers } from './fold-pool';

export interface TrainProgress {
	stage: 'starting' | 'preparing' | 'training' | 'evaluating';
	detail?: string;
	/** The place in a counted stage: cross-validation fold k of n. */
	part?: { index: number; total: number };
	epoch?: EpochLog;
	/** The run starts over (on another backend): the curve so far is void. */
	restart?: boolean;
	/** A candidate of an automatic choice starts: its own curve, its own steps. */
	candidate?: { index: number; total: number; iterations: number; step: 'epoch' | 'iteration' };
}

/** Backends that live on a GPU that can be lost. */
const GPU_BACKENDS: ReadonlySet<BackendName> = new Set(['webgpu', 'webgl']);

let cancelled = false;

/** How the run is labelled when no tfjs backend computes: every network trains in plain loops. */
const LOOPS: ActiveBackend = { name: 'cpu', adapter: 'JavaScript loops' };

/**
 * Starts a tfjs backend only when a network of `model` trains on one (the trees need none, and
 * small networks train in loops); says which computes.
 */
async function computeFor(
	model: ModelChoice | EnsembleSpec,
	order: BackendName[]
): Promise<ActiveBackend> {
	if (allInLoops(model)) return LOOPS;
	return activateBackend(order);
}

/**
 * Lets queued messages (Cancel) run: a message through a fresh channel is a task, so every task
 * already queued runs first. Unlike setTimeout(0) it is never clamped to 4 ms.
 */
function yieldToEvents(): Promise<void> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
}

/** Cancel and yield, as every call of this worker but a training run (which a lost GPU stops too) reads them. */
const steering = { isCancelled: () => cancelled, yieldToEvents };

/** The train worker's functions: one run per worker, so a crash or a lost GPU ends only that run. */
export const trainApi = {
	async train(
		table: Table,
		config: ExperimentConfig,
		backendOrder: BackendName[],
		onProgress: (progress: TrainProgress) => void,
		onBackend: (backend: ActiveBackend) => void,
		/** 'backend' when the user picked one: every network trains on it, none in loops. */
		engine: NetworkEngine = 'auto'
	): Promise<ExperimentResult> {
		cancelled = false;
		setNetworkEngine(engine);
		let order = backendOrder;
		let restart: TrainProgress | null = null;
		for (;;) {
			onProgress(restart ?? { stage: 'starting' });
			const backend = await computeFor(config.model, order);
			onBackend(backend);
			const loss = backend === LOOPS ? { reason: () => null } : watchDeviceLoss(backend.name);
			// Without a tfjs backend (trees, networks in loops) the folds run on every core.
			const hooks = { isCancelled: () => cancelled || loss.reason() !== null, yieldToEvents };
			try {
				return await withFoldWorkers(backend === LOOPS ? hooks : null, (runFolds) =>
					runExperiment(table, config, {
						runFolds,
						onStage: (stage, detail, part) => onProgress({ stage, detail, part }),
						onEpoch: (epoch) => onProgress({ stage: 'training', epoch }),
						onCandidate: ({ index, total, model }) =>
							onProgress({
								stage: 'training',
								candidate: {
									index,
									total,
									iterations: iterationsOf(model),
									step: stepName(model)
								}
							}),
						// A lost device stops the run like Cancel, after the current batch.
						...hooks
					})
				);
			} catch (error) {
				const reason = loss.reason();
				if (reason === null || cancelled) throw error;
				// Stop, fall back: the run starts over on the next backend off the GPU.
				const rest = order.filter((b) => !GPU_BACKENDS.has(b));
				order = rest.length ? rest : ['wasm', 'cpu'];
				restart = {
					stage: 'starting',
					restart: true,
					detail: `the GPU was lost (${reason}); starting again on ${order[0]!.toUpperCase()}`
				};
			}
		}
	},

	/**
	 * A backtest: one fit per origin on the rows up to it, scored on the next periods. Cancel stops
	 * it between (or inside) fits.
	 */
	async backtest(
		table: Table,
		config: BacktestConfig,
		backendOrder: BackendName[],
		onProgress: (done: number, total: number, what: string) => void
	): Promise<BacktestResult> {
		cancelled = false;
		await computeFor(config.model, backendOrder);
		return runBacktest(table, config, { ...steering, onProgress });
	},

	/** The retraining policies replayed over the periods (one fit per retrain). */
	async policies(
		table: Table,
		config: Omit<BacktestConfig, 'horizon'>,
		policies: Policy[],
		backendOrder: BackendName[],
		onProgress: (done: number, total: number, what: string) => void
	): Promise<SimulationResult> {
		cancelled = false;
		await computeFor(config.model, backendOrder);
		return simulatePolicies(table, config, policies, { ...steering, onProgress });
	},

	/**
	 * The data audit (the trees and the small network train in loops: no compute backend). Cancel
	 * stops it between folds.
	 */
	async audit(
		table: Table,
		config: AuditConfig,
		onProgress: (done: number, total: number, what: string) => void
	): Promise<AuditResult> {
		cancelled = false;
		// The network trains in loops here as in the fold workers, whatever engine a run before set.
		setNetworkEngine('auto');
		// The out-of-fold fits on every core.
		return withFoldWorkers(steering, (runFolds) =>
			runAudit(table, config, { ...steering, onProgress, runFolds })
		);
	},

	/**
	 * The fair test of an audit: the original rows and the rows without `drop`, one spec, scored
	 * on the same untouched test rows.
	 */
	async compareCleaned(
		table: Table,
		config: ExperimentConfig,
		drop: number[],
		backendOrder: BackendName[]
	): Promise<CleanedComparison> {
		cancelled = false;
		const backend = await computeFor(config.model, backendOrder);
		return withFoldWorkers(backend === LOOPS ? steering : null, (runFolds) =>
			compareCleaned(table, config, new Set(drop), { ...steering, runFolds })
		);
	},

	/** Stops the run after the current batch. */
	cancel(): void {
		cancelled = true;
	},

	/** For tests: tensors alive in this worker. */
	tensors(): number {
		return tf.memory().numTensors;
	}
};

export type TrainApi = typeof trainApi;
