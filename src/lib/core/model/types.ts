import type { HalfLife } from './recency';
import type { ColumnProfile } from '../profile/types';
import type { FittedRecipe, RecipeSpec } from '../recipe/types';
import type { IsotonicMap } from '../stats/isotonic';
import type { RunConformal } from '../conformal/calibrate';
import type { RunContributions } from './contributions/run';
import type { ProbabilityCalibration } from '../calibration/probabilities';
import type { ReferenceSample } from './reservoir';
import type { EpochLog, SavedModel, TrainHooks } from './family';
import type { Curves, MetricSet, RobustnessPoint } from './results';
import type { EnsembleSpec, ModelChoice, ModelSpec } from './spec';
import type { SplitSpec } from './split';
import type { PreparedTarget, PrimaryMetric, Task } from './task';
import type { Table } from '../table/types';

/** What one experiment is asked to do: the data's target, recipe, split and model. */
export interface ExperimentConfig {
	target: string;
	task: Task | 'auto';
	recipe: RecipeSpec;
	split: SplitSpec;
	/**
	 * One family's spec, or `auto` (the best of linear, trees and MLP by validation score), or an
	 * ensemble an earlier run chose (replayed by a retrain: its members train their fixed steps).
	 */
	model: ModelChoice | EnsembleSpec;
	robustness: boolean;
	importance: boolean;
	/** k-fold cross-validation on the train + validation rows (stratified for classes); 0 = off. */
	crossValidation?: number;
	/**
	 * Refit the chosen model on the training + validation rows with the epochs / iterations that
	 * validation chose, before the test rows score it (default on; `false`: keep it as trained).
	 */
	refit?: boolean;
	/**
	 * After the test rows have scored the model, fit the deployed model again on every row (train
	 * + validation + test) with the chosen settings — default on. Never with a held-out test file
	 * (`split.heldOutFrom`): the user keeps that file out on purpose.
	 */
	finalRefit?: boolean;
	/**
	 * How an automatic choice is made: `folds` (default) on k folds below FOLD_CHOICE_MAX_ROWS
	 * training + validation rows, on the validation slice above; `holdout` always on the slice
	 * (and conformal bounds calibrate on the validation rows, not on folds).
	 */
	choice?: 'folds' | 'holdout';
	/**
	 * Recency weights: each training row counts 0.5^(age / half-life) on the split's date column
	 * (`split.timeColumn`), the newest training row the reference. Absent: every row counts the same.
	 */
	halfLife?: HalfLife;
}

/** Everything an experiment measured and made (the run's result). */
export interface ExperimentResult {
	task: Task;
	/** The spec that was trained (an automatic choice's winner). */
	model: ModelSpec;
	/** Every candidate trained on this split, with its validation score: the leaderboard. */
	candidates: Candidate[];
	/**
	 * Cancel stopped an automatic choice after some candidates had finished: the best of those was
	 * kept and evaluated on the test rows, without the refit, robustness or importance (absent on
	 * older runs: false).
	 */
	interrupted?: boolean;
	/**
	 * The kept model trained on a sample of this many training rows: its time on all of them was
	 * over the automatic choice's budget. It was not refitted on more rows.
	 */
	sampledRows?: number;
	labels: string[];
	primaryMetric: PrimaryMetric;
	rows: { train: number; validation: number; test: number };
	droppedTarget: number;
	/**
	 * When the kept model was refitted on the training + validation rows: their number and the
	 * epochs / iterations it trained; null when it was kept as trained on the training rows.
	 */
	refit: { rows: number; steps: number } | null;
	/**
	 * The deployed model was fitted again on every row after the test rows scored it (their
	 * number and its epochs / iterations): the test score belongs to the model fitted without the
	 * test rows. Null (or absent on older runs) when the deployed model is the one tested.
	 */
	finalRefit?: { rows: number; steps: number } | null;
	/** The fitted recipe of the kept model (refitted with it). */
	recipe: FittedRecipe;
	/** Regression targets are trained scaled: y' = (y − center) / scale. */
	targetScale: { center: number; scale: number } | null;
	history: EpochLog[];
	bestEpoch: number;
	stoppedEarly: boolean;
	validation: MetricSet;
	test: MetricSet;
	baseline: MetricSet;
	curves: Curves;
	robustness: RobustnessPoint[];
	/**
	 * Permutation importance per input column: the mean drop of the test score over
	 * PERMUTATION_REPEATS shuffles, and its standard deviation (absent on runs made before it).
	 */
	importance: { column: string; drop: number; std?: number }[];
	/**
	 * Each input column's contributions on a sample of the test rows (exact TreeSHAP, a linear
	 * model's exact values, or an estimate): mean |contribution| and a dependence plot's points.
	 * Null when importance was not asked for or the explanation failed its check (absent on
	 * older runs).
	 */
	contributions?: RunContributions | null;
	/** Trees: each input column's share of the split gain of the kept model; null for others. */
	gainImportance: { column: string; share: number }[] | null;
	/** Classifiers: P(right | confidence), isotonic on the validation rows, for CBPE. */
	calibration: IsotonicMap | null;
	/**
	 * Conformal bounds calibrated on the validation rows, with their coverage on the test rows;
	 * null without validation rows (absent on runs made before them).
	 */
	conformal?: RunConformal | null;
	/**
	 * Classifiers: the Platt / temperature map of the probabilities and its evidence — held-out
	 * log loss raw and calibrated (cross-fitted), and the test log loss both ways; `map` null when
	 * it did not lower the held-out log loss beyond chance (absent on runs made before it).
	 */
	probabilityCalibration?:
		(ProbabilityCalibration & { test: { raw: number; calibrated: number } }) | null;
	/** Validation score of each fold (the primary metric), when cross-validation was asked for. */
	crossValidation: { k: number; scores: number[]; mean: number; std: number } | null;
	timings: { prepare: number; train: number; evaluate: number };
	/** What the run made beside its numbers: the model and the drift reference (kept apart). */
	artifacts: ExperimentArtifacts;
}

/** One model trained on a run's split, and how it did on the validation rows. */
export interface Candidate {
	model: ModelSpec;
	/** The primary metric on the validation rows (null without validation rows). */
	validation: number | null;
	/** The validation loss (log loss, or RMSE for regression): the tie-breaker. */
	loss: number | null;
	/** Seconds to fit. */
	seconds: number;
	chosen: boolean;
	/**
	 * Absent or `trained`: it finished. `stopped`: Cancel stopped it mid-fit; `not started`: Cancel
	 * came before it. Neither has a score; the choice was made among the finished ones.
	 */
	status?: 'trained' | 'stopped' | 'not started' | 'skipped';
	/**
	 * A candidate whose estimated time on the whole split was over the budget: trained on a
	 * seeded sample of `rows` of the `of` training rows (the same validation rows score it), or
	 * skipped (`status: 'skipped'`, rows 0) when even the smallest sample would not fit.
	 */
	budget?: { rows: number; of: number; estimate: number; seconds: number };
	/** Why a candidate was skipped, in words. */
	reason?: string;
	/**
	 * When the choice was made on folds (small data): `validation` is the mean over the k folds,
	 * with their standard deviation here. Absent when one validation slice decided.
	 */
	folds?: { k: number; mean: number; std: number };
	/**
	 * The ensemble candidate only: its out-of-fold gain over the best single candidate (`over`,
	 * a family), paired row by row, with the gain's standard error. It is chosen when the gain is
	 * above one standard error.
	 */
	gain?: { over: string; value: number; error: number };
}

/** An experiment's measurements: everything but its artifacts (what a list of runs shows). */
export type ExperimentSummary = Omit<ExperimentResult, 'artifacts'>;

/** The heavy part of a result: the trained model and the training rows' reference. */
export interface ExperimentArtifacts {
	/** The trained model, serialised by its family. */
	model: SavedModel;
	/** Raw values of up to 10,000 training rows (inputs and target): the drift reference. */
	referenceSample: ReferenceSample;
	/**
	 * Exact per-column statistics of the training rows (inputs and target): histograms, category
	 * counts, quartiles.
	 */
	referenceColumns: ColumnProfile[];
}

/** Progress, cancel and yield: how the caller follows and steers an experiment. */
export interface ExperimentHooks extends TrainHooks {
	/** A stage starts; `part` is its place in a counted stage (cross-validation fold k of n). */
	onStage?: (
		stage: 'preparing' | 'training' | 'evaluating',
		detail?: string,
		part?: { index: number; total: number }
	) => void;
	/** A candidate of an automatic choice starts training (its curve starts over). */
	onCandidate?: (candidate: { index: number; total: number; model: ModelSpec }) => void;
	/**
	 * Runs the fold fits of the automatic choice, of the out-of-fold predictions and of an audit;
	 * absent: in turn on this thread. The CLI's worker threads and the studio's fold workers
	 * spread them (`fold-lanes.ts`: the same numbers, in any order).
	 */
	runFolds?: FoldRunner;
}

/**
 * One fit of a fold: `spec` fitted on the fold's train rows (with early stopping on a part of
 * them, or `fixedSteps` on all of them) and scored on its validation rows. A pure function of the
 * experiment's table, config and target and of these fields, so fits may run in any order, on any
 * thread, and give the same numbers.
 */
export interface FoldJob {
	spec: ModelSpec;
	fold: { train: Int32Array; validation: Int32Array };
	/** The train rows are in time order (a forward-chaining fold): stop on the newest. */
	timeOrdered: boolean;
	/** The spec trains fixed steps (a refit's): every train row is fitted, none held for stopping. */
	fixedSteps: boolean;
	/**
	 * The rows early stopping watches, chosen by the caller (the audit's tenth); `fold.train` then
	 * holds only the rows fitted. Absent: `timeOrdered` and `fixedSteps` decide.
	 */
	stop?: Int32Array;
	/** What a progress line says while it runs ("Linear, fold 2"). */
	label: string;
}

/** A fold job's result: its metrics, predictions (probabilities, or target units), kept step. */
export interface FoldScore {
	metrics: MetricSet;
	predicted: Float64Array;
	bestStep: number;
	/** The fit's own time, in seconds (summed per candidate: its cost on one core). */
	seconds: number;
}

/** What every job of a batch shares. */
export interface FoldContext {
	table: Table;
	config: ExperimentConfig;
	target: PreparedTarget;
}

/**
 * Runs a batch of fold jobs and returns their scores in the jobs' order; `started(job, index)` is
 * called as each begins (`index`: how many have begun, for progress).
 */
export type FoldRunner = (
	context: FoldContext,
	jobs: FoldJob[],
	started: (job: FoldJob, index: number) => void,
	/**
	 * The calling thread's own work, run once when it has no job of the batch left while other
	 * lanes still fit (their tail, which it would otherwise wait out). A runner without other
	 * lanes may skip it: the caller does what was not done.
	 */
	meanwhile?: () => void
) => Promise<FoldScore[]>;
