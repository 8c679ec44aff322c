import type { Table } from '../table/types';
import { concatenated } from '../stats/rows';
import { stdOf } from '../stats/summary';
import { refitSpec } from './choose';
import { crossFitted, pairedGain, selectWeights, type Truth } from './ensemble/select';
import { primaryScore } from './score';
import { runFolds } from './cross-validate';
import { familyEntry } from './families';
import {
	autoCandidates,
	type EnsembleSpec,
	type FamilySpec,
	type ModelChoice,
	type ModelSpec
} from './spec';
import { kFolds, type Split } from './split';
import { primaryMetric, type PreparedTarget } from './task';
import type { Candidate, ExperimentConfig, ExperimentHooks, FoldJob } from './types';

/**
 * Below this many training + validation rows an automatic choice is made on k folds, not on one
 * validation slice: on a few hundred rows one slice is chance (a 93-row table chose an MLP on 10
 * rows and lost 15 points). Above it the slice holds thousands of rows and folds cost k fits.
 */
export const FOLD_CHOICE_MAX_ROWS = 20_000;
/** Folds of the choice (fewer when a class has fewer rows). */
export const CHOICE_FOLDS = 5;

/** What the folds chose: the spec, and every candidate's mean score over the folds. */
export interface FoldChoice {
	spec: ModelSpec;
	candidates: Candidate[];
}

/**
 * Predictions of rows by models that did not fit them, fold by fold: the table rows, each row's
 * fold, and the outputs (n × k probabilities, or values in target units).
 */
export interface OutOfFold {
	rows: Int32Array;
	folds: Int32Array;
	outputs: Float64Array;
}

/**
 * Scores every candidate of an automatic choice on k folds of the training + validation rows
 * (stratified for classes; forward-chaining on a time split: each fold trains on what came
 * before it, never on the future) and keeps, by the mean score, the simplest within one standard
 * error of the best, paired row by row on the out-of-fold predictions (`pickSimplestPaired`). Null when the choice is
 * one spec or the rows are many: the holdout decides then.
 */
export async function chooseByFolds(
	table: Table,
	config: ExperimentConfig,
	choice: ModelChoice | EnsembleSpec,
	target: PreparedTarget,
	split: Split,
	times: Float64Array | undefined,
	hooks: ExperimentHooks
): Promise<FoldChoice | null> {
	// One spec (a family's, or an ensemble replayed) has nothing to choose between.
	if (choice.kind !== 'auto') return null;
	const specs: FamilySpec[] = autoCandidates(choice);
	const rows = Int32Array.from([...split.train, ...split.validation]);
	if (specs.length < 2 || rows.length > FOLD_CHOICE_MAX_ROWS || config.choice === 'holdout')
		return null;
	const folds = choiceFolds(rows, target, times, config.split.seed);
	if (!folds) return null;
	const primary = primaryMetric(target.task);
	const jobs: FoldJob[] = specs.flatMap((spec) =>
		folds.map((fold, f) => ({
			spec,
			fold,
			timeOrdered: times !== undefined,
			fixedSteps: false,
			label: `${familyEntry(spec.kind).label}, fold ${f + 1}`
		}))
	);
	const scored = await runFolds({ table, config, target }, jobs, hooks, (job, index) =>
		hooks.onStage?.('training', `choosing on ${folds.length} folds: ${job.label}`, {
			index,
			total: jobs.length
		})
	);
	const candidates: Candidate[] = [];
	// Every candidate's out-of-fold predictions, row by row of the folds' validation rows in fold
	// order, and the steps each fold kept: what the ensemble is selected from.
	const oof: Float64Array[] = [];
	const steps: number[][] = [];
	specs.forEach((spec, s) => {
		const mine = scored.slice(s * folds.length, (s + 1) * folds.length);
		const scores = mine.map((r) => r.metrics[primary]!);
		const losses = mine.map(
			(r) => (target.task === 'regression' ? r.metrics.rmse : r.metrics.log_loss) ?? NaN
		);
		oof.push(
			concatenated(
				mine.map((r) => r.predicted),
				(n) => new Float64Array(n)
			)
		);
		steps.push(mine.map((r) => r.bestStep));
		const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
		candidates.push({
			model: spec,
			validation: mean,
			loss: losses.reduce((a, b) => a + b, 0) / losses.length,
			seconds: mine.reduce((sum, r) => sum + r.seconds, 0),
			chosen: false,
			folds: { k: folds.length, mean, std: scores.length > 1 ? stdOf(scores, 1) : 0 }
		});
	});
	const best = candidates.reduce(
		(b, c, i) => (c.validation! > candidates[b]!.validation! ? i : b),
		0
	);
	let chosen = pickSimplestPaired(oof, best, outOfFoldTruth(folds, target));
	// The ensemble replaces that choice only when it beats the best single candidate beyond
	// chance: its out-of-fold gain, paired row by row, above one standard error.
	const ensemble = ensembleCandidate(specs, oof, steps, folds, target, choice.seed, oof[best]!);
	if (ensemble) {
		ensemble.candidate.gain = {
			over: candidates[best]!.model.kind,
			value: ensemble.gain.gain,
			error: ensemble.gain.error
		};
		candidates.push(ensemble.candidate);
		if (ensemble.gain.gain > ensemble.gain.error) chosen = candidates.length - 1;
	}
	candidates[chosen]!.chosen = true;
	return { spec: candidates[chosen]!.model, candidates };
}

/** Each out-of-fold row's fold, in the order the out-of-fold predictions hold them. */
function foldIndex(folds: { validation: Int32Array }[]): Int32Array {
	return Int32Array.from(folds.flatMap((f, i) => Array.from(f.validation, () => i)));
}

/**
 * The kept model's settings fitted on each fold of the training + validation rows (the folds of
 * the choice) and predicting the rest: what probability calibration and conformal bounds fit on.
 * `spec` trains fixed steps (the refit's) on every row of a fold, so that each fold's model is
 * the deployed one on a fifth fewer rows — a fold model that also held rows back for early
 * stopping fitted two thirds of them, and its weaker, less sure predictions taught the
 * calibration to soften a better model (wine: test log loss 0.008 → 0.027). Null when the rows
 * are too many (the validation rows then suffice), too few for folds, or the run asked for the
 * holdout.
 */
export async function outOfFoldPredictions(
	table: Table,
	config: ExperimentConfig,
	spec: ModelSpec,
	target: PreparedTarget,
	split: Split,
	times: Float64Array | undefined,
	hooks: ExperimentHooks
): Promise<OutOfFold | null> {
	const rows = Int32Array.from([...split.train, ...split.validation]);
	if (rows.length > FOLD_CHOICE_MAX_ROWS || config.choice === 'holdout') return null;
	const folds = choiceFolds(rows, target, times, config.split.seed);
	if (!folds) return null;
	const jobs: FoldJob[] = folds.map((fold, f) => ({
		spec,
		fold,
		timeOrdered: times !== undefined,
		fixedSteps: true,
		label: `fold ${f + 1}`
	}));
	const parts = (
		await runFolds({ table, config, target }, jobs, hooks, (_, index) =>
			hooks.onStage?.(
				'evaluating',
				`calibrating probabilities and bounds on ${folds.length} folds`,
				{ index, total: folds.length }
			)
		)
	).map((r) => r.predicted);
	return {
		rows: Int32Array.from(folds.flatMap((f) => [...f.validation])),
		folds: foldIndex(folds),
		outputs: concatenated(parts, (n) => new Float64Array(n))
	};
}

/** The targets of the folds' validation rows, in the order the out-of-fold predictions hold them. */
function outOfFoldTruth(folds: { validation: Int32Array }[], target: PreparedTarget): Truth {
	const rows = Int32Array.from(folds.flatMap((f) => [...f.validation]));
	return target.classes
		? { classes: Int32Array.from(rows, (r) => target.classes[r]!), k: target.labels.length }
		: { values: Float64Array.from(rows, (r) => target.values[r]!) };
}

/**
 * The one-standard-error rule on paired evidence: the simplest candidate (in training order:
 * linear, trees, MLP) whose out-of-fold deficit against the best, row by row on the same rows,
 * is within one standard error of that difference (and, for accuracy, within one row's worth).
 * Pairing is what makes it evidence: on a few hundred rows two models' mean scores differ by more
 * than a textbook standard error of either while they err on the same rows (diabetes, 331 rows:
 * the MLP's R² 0.05 above the linear model's on the folds, 0.06 below it on the test file).
 */
export function pickSimplestPaired(oof: Float64Array[], best: number, truth: Truth): number {
	const n = 'classes' in truth ? truth.classes.length : truth.values.length;
	for (let i = 0; i < oof.length; i++) {
		if (i === best) return i;
		const { gain, error } = pairedGain(oof[best]!, oof[i]!, truth);
		if (gain <= Math.max(error, 'classes' in truth ? 1 / n : 0) + 1e-12) return i;
	}
	return best;
}

/**
 * The candidates combined (Caruana's greedy selection on their out-of-fold predictions), as one
 * more candidate scored on the same folds: each fold's score is the blend's whose weights were
 * selected on the other folds only; with it, its paired gain over the best single candidate. Null
 * when the selection keeps a single candidate. The members train the median of the steps their
 * folds kept, without early stopping.
 */
function ensembleCandidate(
	specs: FamilySpec[],
	oof: Float64Array[],
	steps: number[][],
	folds: { validation: Int32Array }[],
	target: PreparedTarget,
	seed: number,
	/** The best single candidate's out-of-fold predictions. */
	best: Float64Array
): { candidate: Candidate; gain: { gain: number; error: number } } | null {
	const started = performance.now();
	const rows = Int32Array.from(folds.flatMap((f) => [...f.validation]));
	const foldOf = foldIndex(folds);
	const truth = outOfFoldTruth(folds, target);
	const weights = selectWeights(oof, truth);
	if (weights.filter((w) => w > 0).length < 2) return null;
	const width = 'k' in truth ? truth.k : 1;
	const unit = target.task === 'regression' ? { center: 0, scale: 1 } : null;
	const { scores, losses, blended } = crossFitted(
		oof,
		truth,
		foldOf,
		folds.length,
		(blended, at) => {
			const matrix = new Float64Array(at.length * width);
			at.forEach((i, j) => matrix.set(blended.subarray(i * width, (i + 1) * width), j * width));
			return primaryScore(
				matrix,
				Int32Array.from(at, (i) => rows[i]!),
				target,
				unit
			);
		}
	);
	const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
	const members = specs.flatMap((spec, i) =>
		weights[i]! > 0
			? [{ spec: refitSpec(spec, median(steps[i]!)) as FamilySpec, weight: weights[i]! }]
			: []
	);
	const spec: EnsembleSpec = { kind: 'ensemble', members, seed };
	const candidate: Candidate = {
		model: spec,
		validation: mean,
		loss:
			(target.task === 'regression' ? losses.map(Math.sqrt) : losses).reduce((a, b) => a + b, 0) /
			losses.length,
		seconds: (performance.now() - started) / 1000,
		chosen: false,
		folds: { k: folds.length, mean, std: scores.length > 1 ? stdOf(scores, 1) : 0 }
	};
	return { candidate, gain: pairedGain(blended, best, truth) };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * k folds of `rows`: forward-chaining by time when `times` are given (k + 1 blocks in time order;
 * fold i trains on blocks 1…i and is scored on block i + 1), else stratified for classes with k
 * lowered to the smallest class's row count (at least 2). Null when there are too few rows.
 */
export function choiceFolds(
	rows: Int32Array,
	target: PreparedTarget,
	times: Float64Array | undefined,
	seed: number
): { train: Int32Array; validation: Int32Array }[] | null {
	if (times) {
		const ordered = Int32Array.from(rows).sort((a, b) => times[a]! - times[b]! || a - b);
		const block = Math.floor(ordered.length / (CHOICE_FOLDS + 1));
		if (block < 2) return null;
		return Array.from({ length: CHOICE_FOLDS }, (_, i) => ({
			train: ordered.slice(0, (i + 1) * block),
			validation: ordered.slice(
				(i + 1) * block,
				i === CHOICE_FOLDS - 1 ? ordered.length : (i + 2) * block
			)
		}));
	}
	let k = CHOICE_FOLDS;
	if (target.classes) {
		const counts = new Map<number, number>();
		for (const r of rows) counts.set(target.classes[r]!, (counts.get(target.classes[r]!) ?? 0) + 1);
		k = Math.min(k, ...counts.values());
	}
	if (k < 2 || rows.length < 2 * k) return null;
	return kFolds(rows, k, seed, target.classes ?? undefined);
}
