import { DriftwoodError, errorCode } from '../errors';
import { familyEntry, fitModel } from './families';
import type { FitData, FitOutcome, TrainedModel } from './family';
import { fitDataOf, type PreparedFold } from './fold';
import type { MetricSet } from './results';
import { score } from './score';
import { sampleIndices, seededRandom } from '../stats/random';
import {
	DEFAULT_BUDGET_SECONDS,
	candidatesOf,
	iterationsOf,
	type EnsembleSpec,
	type ModelChoice,
	type ModelSpec
} from './spec';
import { formatDuration } from './eta';
import type { PreparedTarget } from './task';
import { primaryMetric } from './task';
import type { Candidate, ExperimentHooks } from './types';

/** The model a run keeps: its spec, the trained model, its curve, and every candidate's score. */
export interface Chosen {
	spec: ModelSpec;
	model: TrainedModel;
	outcome: FitOutcome;
	/** The winner's validation metrics (empty without validation rows). */
	validation: MetricSet;
	/** The winner's validation matrix (null without validation rows). */
	validationMatrix: Float64Array | null;
	candidates: Candidate[];
	/**
	 * Cancel came while an automatic choice was training a later candidate: the finished ones were
	 * kept and the best of them chosen (the run goes on without a refit); false otherwise.
	 */
	interrupted: boolean;
	/**
	 * The kept model trained on a sample of this many training rows (its time on all of them was
	 * over the budget): it is kept as trained, without a refit on more rows.
	 */
	sampledRows?: number;
}

/** Higher is better: the primary metric, then the lower validation loss. */
function better(a: Candidate, b: Candidate): boolean {
	const [sa, sb] = [a.validation ?? -Infinity, b.validation ?? -Infinity];
	if (sa !== sb) return sa > sb;
	return (a.loss ?? Infinity) < (b.loss ?? Infinity);
}

/**
 * The standard error of a validation score on `n` rows: √(a(1 − a)/n) for accuracy, and
 * (1 − R²)·√(2/n) for R² (the relative error of a mean of squared Gaussian errors).
 */
export function scoreError(metric: 'accuracy' | 'r2', score: number, n: number): number {
	if (n <= 0) return 0;
	return metric === 'accuracy'
		? Math.sqrt(Math.max(0, score * (1 - score)) / n)
		: Math.max(0, 1 - score) * Math.sqrt(2 / n);
}

/**
 * How far below the best validation score a simpler candidate may be and still be kept: one
 * standard error, and for accuracy at least one row's worth (a single row is always chance).
 */
export function choiceTolerance(metric: 'accuracy' | 'r2', best: number, n: number): number {
	if (n <= 0) return 0;
	return Math.max(scoreError(metric, best, n), metric === 'accuracy' ? 1 / n : 0);
}

/**
 * The one-standard-error rule (Breiman et al., as in glmnet's lambda.1se): of the candidates
 * scoring within one standard error of the best, keep the simplest, in the order they were
 * trained (linear, trees, MLP). On a few hundred validation rows, a point of accuracy is one or
 * two rows: chance, not evidence that the more complex model generalises better.
 */
export function pickSimplest(
	candidates: Candidate[],
	metric: 'accuracy' | 'r2',
	validationRows: number
): number {
	let best = 0;
	for (let i = 1; i < candidates.length; i++)
		if (better(candidates[i]!, candidates[best]!)) best = i;
	const top = candidates[best]!.validation;
	if (top === null) return best;
	const tolerance = choiceTolerance(metric, top, validationRows);
	const floor = top - tolerance - 1e-12;
	const simplest = candidates.findIndex((c) => c.validation !== null && c.validation >= floor);
	return simplest >= 0 ? simplest : best;
}

/**
 * Trains each candidate of `choice` on the same split (each as its family reads missing values)
 * and keeps, by validation score
 * (never by test), the simplest within one standard error of the best (`pickSimplest`), disposing
 * the others. One spec is one candidate. An automatic choice without validation rows is refused:
 * it would have nothing honest to choose by.
 */
/** The smallest sample a candidate over its budget trains on (fewer rows: it is skipped). */
export const MIN_SAMPLE_ROWS = 5_000;

/**
 * What a candidate does with its budget: train on every row when its estimate fits, else on the
 * sample that fits (rows in proportion to the time), or not at all when that sample is under
 * MIN_SAMPLE_ROWS — except the first (simplest) candidate, which always trains, on at least
 * MIN_SAMPLE_ROWS rows, so that a choice always has an answer.
 */
export function budgetPlan(
	estimate: number | null,
	rows: number,
	budgetSeconds: number,
	first: boolean
): { rows: number } | { skip: string } | null {
	if (estimate === null || estimate <= budgetSeconds) return null;
	const fits = Math.floor((rows * budgetSeconds) / estimate);
	if (fits >= MIN_SAMPLE_ROWS || first)
		return { rows: Math.min(rows, Math.max(fits, MIN_SAMPLE_ROWS)) };
	return {
		skip: `about ${formatDuration(estimate)} on all ${rows.toLocaleString('en-US')} training rows, over the budget of ${formatDuration(budgetSeconds)}; a sample that fits would hold fewer than ${MIN_SAMPLE_ROWS.toLocaleString('en-US')} rows`
	};
}

/** A seeded sample of `rows` of the training rows (kept in their order), validation untouched. */
export function sampleFitData(data: FitData, rows: number, seed: number): FitData {
	const kept = sampleIndices(data.y.length, rows, seededRandom(seed ^ 0x5a3b1e));
	const x = new Float32Array(rows * data.inputs);
	kept.forEach((r, i) =>
		x.set(data.x.subarray(r * data.inputs, (r + 1) * data.inputs), i * data.inputs)
	);
	return { ...data, x, y: Float32Array.from(kept, (r) => data.y[r]!) };
}

export async function trainChoice(
	/** The split as this candidate's family reads it (one preparation per way of reading). */
	foldOf: (spec: ModelSpec) => PreparedFold,
	choice: ModelChoice | EnsembleSpec,
	target: PreparedTarget,
	validationRows: Int32Array,
	hooks: ExperimentHooks
): Promise<Chosen> {
	const specs = candidatesOf(choice);
	if (specs.length > 1 && validationRows.length === 0)
		throw new DriftwoodError(
			'The automatic choice picks the model by its validation score: give the split a validation share (or pick one model family).',
			'experiment'
		);
	const primary = primaryMetric(target.task);
	const candidates: Candidate[] = [];
	// The candidates that trained, each with its place on the leaderboard.
	const trained: (Omit<Chosen, 'candidates' | 'interrupted'> & { at: number })[] = [];
	let interrupted = false;
	const budget =
		choice.kind === 'auto' ? (choice.budgetSeconds ?? DEFAULT_BUDGET_SECONDS) : Infinity;
	try {
		for (let index = 0; index < specs.length; index++) {
			const spec = specs[index]!;
			if (specs.length > 1) {
				hooks.onCandidate?.({ index: index + 1, total: specs.length, model: spec });
				hooks.onStage?.(
					'training',
					`candidate ${index + 1} of ${specs.length}: ${familyEntry(spec.kind).label}`
				);
			}
			const fold = foldOf(spec);
			let data = fitDataOf(fold);
			let sampled: Candidate['budget'];
			if (specs.length > 1) {
				// On a big table, say how long this candidate may take before it starts; over the
				// budget, it trains on a sample that fits, or is skipped (the leaderboard says which).
				const estimate = await estimateSeconds(data, spec, target.task, hooks);
				const rows = data.y.length;
				const plan = budgetPlan(estimate, rows, budget, index === 0);
				if (plan && 'skip' in plan) {
					candidates.push({
						model: spec,
						validation: null,
						loss: null,
						seconds: 0,
						chosen: false,
						status: 'skipped',
						budget: { rows: 0, of: rows, estimate: estimate!, seconds: budget },
						reason: plan.skip
					});
					continue;
				}
				if (plan) {
					sampled = { rows: plan.rows, of: rows, estimate: estimate!, seconds: budget };
					data = sampleFitData(data, plan.rows, spec.seed);
				}
				if (estimate !== null)
					hooks.onStage?.(
						'training',
						`candidate ${index + 1} of ${specs.length}: ${familyEntry(spec.kind).label} — ${
							sampled
								? `on a sample of ${sampled.rows.toLocaleString('en-US')} rows (all ${rows.toLocaleString('en-US')}: about ${formatDuration(estimate)}, over the budget)`
								: `at most about ${formatDuration(estimate)}`
						} (timed on ${PROBE_ROWS.toLocaleString('en-US')} rows)`
					);
			}
			const started = performance.now();
			let fitted;
			try {
				fitted = await fitModel(data, spec, target.task, hooks);
			} catch (error) {
				// Cancel during a later candidate keeps the ones that finished: hours of training
				// (a linear model and trees on millions of rows) are not thrown away for the last one.
				if (!(errorCode(error) === 'cancelled' && trained.length > 0)) throw error;
				const seconds = (performance.now() - started) / 1000;
				candidates.push({
					model: spec,
					validation: null,
					loss: null,
					seconds,
					chosen: false,
					status: 'stopped'
				});
				for (const rest of specs.slice(index + 1))
					candidates.push({
						model: rest,
						validation: null,
						loss: null,
						seconds: 0,
						chosen: false,
						status: 'not started'
					});
				interrupted = true;
				break;
			}
			const { model, outcome } = fitted;
			const seconds = (performance.now() - started) / 1000;
			let matrix: Float64Array | null;
			try {
				matrix = validationRows.length ? await model.predict(fold.xVal) : null;
			} catch (error) {
				model.dispose();
				throw error;
			}
			const validation = matrix
				? score(matrix, validationRows, target, fold.targetScale).metrics
				: {};
			trained.push({
				spec,
				model,
				outcome,
				validation,
				validationMatrix: matrix,
				at: candidates.length,
				...(sampled ? { sampledRows: sampled.rows } : {})
			});
			candidates.push({
				model: spec,
				validation: validation[primary] ?? null,
				loss: (target.task === 'regression' ? validation.rmse : validation.log_loss) ?? null,
				seconds,
				chosen: false,
				...(sampled ? { budget: sampled } : {})
			});
		}
	} catch (error) {
		for (const t of trained) t.model.dispose();
		throw error;
	}
	if (trained.length === 0)
		throw new DriftwoodError('No candidate finished training.', 'experiment');
	// The choice among those that trained (skipped and stopped ones have no score).
	const chosen = pickSimplest(
		trained.map((t) => candidates[t.at]!),
		primary,
		validationRows.length
	);
	candidates[trained[chosen]!.at]!.chosen = true;
	trained.forEach((t, i) => {
		if (i !== chosen) t.model.dispose();
	});
	const kept = trained[chosen]!;
	return {
		spec: kept.spec,
		model: kept.model,
		outcome: kept.outcome,
		validation: kept.validation,
		validationMatrix: kept.validationMatrix,
		...(kept.sampledRows !== undefined ? { sampledRows: kept.sampledRows } : {}),
		candidates,
		interrupted
	};
}

/**
 * The chosen spec, to be trained again on the training and validation rows together: as many
 * epochs (iterations) as validation chose, and no early stopping, since no rows are left out.
 */
export function refitSpec(spec: ModelSpec, best: number): ModelSpec {
	// An ensemble's members train fixed steps already (those their folds chose).
	if (spec.kind === 'ensemble') return spec;
	const steps = Math.max(1, best);
	return spec.kind === 'gbdt'
		? { ...spec, maxIterations: steps, patience: 0 }
		: { ...spec, epochs: steps, patience: 0 };
}

/** Tables above this many training rows get a timed probe before each candidate. */
const PROBE_MIN_ROWS = 50_000;
/** Rows the probe trains on. */
const PROBE_ROWS = 5_000;
/** Steps (epochs, iterations) the probe trains. */
const PROBE_STEPS = 2;

/**
 * How long a candidate may take on the whole split, at most (every epoch or iteration its spec
 * allows; early stopping may end sooner): two steps on PROBE_ROWS rows, timed, scaled by the rows.
 * Null on small tables, where every candidate takes seconds and a probe would cost more than it
 * tells. (A 3-million-row MLP ran 482 s per epoch without a word of warning.)
 */
export async function estimateSeconds(
	data: FitData,
	spec: ModelSpec,
	task: PreparedTarget['task'],
	hooks: ExperimentHooks
): Promise<number | null> {
	const rows = data.y.length;
	if (rows < PROBE_MIN_ROWS) return null;
	const probe: FitData = {
		...data,
		x: data.x.subarray(0, PROBE_ROWS * data.inputs),
		y: data.y.subarray(0, PROBE_ROWS),
		xVal: data.xVal.subarray(0, 0),
		yVal: data.yVal.subarray(0, 0)
	};
	const started = performance.now();
	const { model } = await fitModel(probe, refitSpec(spec, PROBE_STEPS), task, {
		isCancelled: hooks.isCancelled
	});
	model.dispose();
	const perStep = (performance.now() - started) / 1000 / PROBE_STEPS;
	return perStep * (rows / PROBE_ROWS) * iterationsOf(spec);
}
