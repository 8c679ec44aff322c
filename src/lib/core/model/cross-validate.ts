import type { Table } from '../table/types';
import { stdOf } from '../stats/summary';
import { familyEntry, fitModel } from './families';
import { fitDataOf, prepareFold } from './fold';
import type { ModelSpec } from './spec';
import type {
	ExperimentConfig,
	ExperimentHooks,
	FoldContext,
	FoldJob,
	FoldRunner,
	FoldScore
} from './types';
import type { MetricSet } from './results';
import { score } from './score';
import { transformTable } from '../recipe/transform';
import { seededRandom, shuffleInPlace } from '../stats/random';
import { kFolds, type Split } from './split';
import type { PreparedTarget, PrimaryMetric } from './task';

/**
 * k-fold cross-validation on the rows outside the test split: each fold fits its own recipe and
 * model on the other folds and is scored on itself. The test rows stay untouched.
 */
export async function crossValidate(
	table: Table,
	config: ExperimentConfig,
	spec: ModelSpec,
	target: PreparedTarget,
	split: Split,
	primary: PrimaryMetric,
	hooks: ExperimentHooks
): Promise<{ k: number; scores: number[]; mean: number; std: number }> {
	const k = config.crossValidation!;
	const rows = Int32Array.from([...split.train, ...split.validation]);
	const folds = kFolds(rows, k, config.split.seed, target.classes ?? undefined);
	const scores: number[] = [];
	for (let f = 0; f < folds.length; f++) {
		hooks.onStage?.('evaluating', `cross-validation fold ${f + 1} of ${k}`, {
			index: f + 1,
			total: k
		});
		const { metrics } = await scoreFold(table, config, spec, target, folds[f]!, hooks);
		scores.push(metrics[primary]!);
	}
	const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
	const std = scores.length > 1 ? stdOf(scores, 1) : 0;
	return { k, scores, mean, std };
}

/**
 * One fold: the recipe and `spec` fitted on its train rows only, the metrics of its predictions
 * on its validation rows (cross-validation and the fold choice of an automatic run), the
 * predictions themselves (probabilities, or values in target units) and the step training kept.
 *
 * Early stopping (the MLP's epochs, the trees' iterations) watches rows carved out of the fold's
 * train rows (`stoppingRows`), never the rows the fold is scored on: a model that stopped at its
 * best epoch on the scored rows was graded on its own choice, which flattered every iterative
 * candidate against the linear model (that has no early stopping), measured.
 */
export async function scoreFold(
	table: Table,
	config: ExperimentConfig,
	spec: ModelSpec,
	target: PreparedTarget,
	fold: { train: Int32Array; validation: Int32Array },
	hooks: ExperimentHooks,
	/** Which train rows early stopping watches (as a `FoldJob` says; default: a random fifth). */
	stopping: Partial<Pick<FoldJob, 'timeOrdered' | 'fixedSteps' | 'stop'>> = {}
): Promise<{ metrics: MetricSet; predicted: Float64Array; bestStep: number }> {
	const { fit, stop } = stopping.stop
		? { fit: fold.train, stop: stopping.stop }
		: stopping.fixedSteps
			? { fit: fold.train, stop: new Int32Array(0) }
			: stoppingRows(fold.train, stopping.timeOrdered ?? false, config.split.seed);
	const prepared = prepareFold(
		table,
		config,
		target,
		fit,
		stop,
		familyEntry(spec.kind).readsMissing
	);
	const { model, outcome } = await fitModel(fitDataOf(prepared), spec, target.task, {
		isCancelled: hooks.isCancelled,
		yieldToEvents: hooks.yieldToEvents
	});
	try {
		const predicted = await model.predict(transformTable(prepared.recipe, table, fold.validation));
		const metrics = score(predicted, fold.validation, target, prepared.targetScale).metrics;
		const scale = prepared.targetScale;
		return {
			metrics,
			predicted: scale ? predicted.map((v) => v * scale.scale + scale.center) : predicted,
			bestStep: outcome.bestEpoch
		};
	} finally {
		model.dispose();
	}
}

/**
 * The fold jobs of `hooks`' runner (in turn on this thread when it has none), with progress:
 * `progress(job, index)` as each starts.
 */
export function runFolds(
	context: FoldContext,
	jobs: FoldJob[],
	hooks: ExperimentHooks,
	progress: (job: FoldJob, index: number) => void,
	/** Work for the calling thread while other lanes finish (`FoldRunner`); may be skipped. */
	meanwhile?: () => void
): Promise<FoldScore[]> {
	return (hooks.runFolds ?? foldsInTurn(hooks))(context, jobs, progress, meanwhile);
}

/** The default runner: each job in turn on this thread, with the hooks' cancel and yield. */
export function foldsInTurn(hooks: ExperimentHooks): FoldRunner {
	return async ({ table, config, target }, jobs, started) => {
		const out: FoldScore[] = [];
		for (const job of jobs) {
			started(job, out.length + 1);
			out.push(await timedFold(table, config, target, job, hooks));
		}
		return out;
	};
}

/** One job's fold fit and score, timed. */
export async function timedFold(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	job: FoldJob,
	hooks: ExperimentHooks = {}
): Promise<FoldScore> {
	const began = performance.now();
	const result = await scoreFold(table, config, job.spec, target, job.fold, hooks, job);
	return { ...result, seconds: (performance.now() - began) / 1000 };
}

/** The share of a fold's train rows its early stopping watches. */
const STOPPING_SHARE = 0.2;

/**
 * A fold's train rows parted into rows to fit and rows for early stopping: the newest fifth when
 * they are in time order, else a seeded random fifth. Under ten rows, all fit (no stopping rows:
 * training runs its full length).
 */
export function stoppingRows(
	train: Int32Array,
	timeOrdered: boolean,
	seed: number
): { fit: Int32Array; stop: Int32Array } {
	if (train.length < 10) return { fit: train, stop: new Int32Array(0) };
	const k = Math.max(1, Math.round(train.length * STOPPING_SHARE));
	const order = timeOrdered
		? train
		: shuffleInPlace(Int32Array.from(train), seededRandom(seed ^ 0x5709));
	const fit = order.slice(0, order.length - k);
	const stop = order.slice(order.length - k);
	return timeOrdered ? { fit, stop } : { fit: fit.sort(), stop: stop.sort() };
}
