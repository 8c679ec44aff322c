import { baselineMean, baselineProbabilities } from '../evaluate/baseline';
import { familyEntry, fitModel } from '../model/families';
import type { TrainedModel } from '../model/family';
import { fitDataOf, prepareFold, type PreparedFold } from '../model/fold';
import { refitSpec } from '../model/choose';
import { calibrateConfidence, type ExperimentConfig } from '../model/experiment';
import type { IsotonicMap } from '../stats/isotonic';
import { concatenated, rowArgmax } from '../stats/rows';
import type { HalfLife } from '../model/recency';
import { primaryScore } from '../model/score';
import type { FamilySpec } from '../model/spec';
import {
	inferTask,
	prepareTarget,
	primaryMetric,
	type PreparedTarget,
	type PrimaryMetric,
	type Task
} from '../model/task';
import { findColumn } from '../recipe/fit';
import { transformTable } from '../recipe/transform';
import type { RecipeSpec } from '../recipe/types';
import type { Table } from '../table/types';
import { BacktestError, periodsOf, type Period, type PeriodSpec } from './periods';

/**
 * A table's history as the backtest and the policy simulator walk it: its periods, the first one
 * scored, and how a model is fitted on some periods and scored on another — one definition for
 * both, so that their numbers agree.
 */
export interface HistoryConfig {
	target: string;
	task: Task | 'auto';
	recipe: RecipeSpec;
	model: FamilySpec;
	/** The date column periods are cut from; null: blocks of rows in file order. */
	timeColumn: string | null;
	period: PeriodSpec;
	/** Recency weights for every fit (needs the date column). */
	halfLife?: HalfLife;
	/**
	 * The last period of the first training data (a monitor's: 0, the model's training data);
	 * absent, the first periods holding a fifth of the rows.
	 */
	firstTraining?: number;
}

/** At least this many periods with rows: one to train on, and two to score. */
export const MIN_PERIODS = 3;

export interface History {
	task: Task;
	metric: PrimaryMetric;
	target: PreparedTarget;
	periods: Period[];
	/** Rows left out: no time. */
	withoutTime: number;
	/** The last period of the first training data: it leaves a fifth of the rows (≥ 1 period). */
	first: number;
	/** The run settings every fit uses (a time split on the date column, no extras). */
	experiment: ExperimentConfig;
}

export function historyOf(table: Table, config: HistoryConfig): History {
	const targetColumn = findColumn(table, config.target);
	const task = config.task === 'auto' ? inferTask(targetColumn) : config.task;
	const target = prepareTarget(targetColumn, task);
	let times: Float64Array | null = null;
	if (config.timeColumn) {
		const column = findColumn(table, config.timeColumn);
		if (column.storage !== 'float' || column.type !== 'datetime')
			throw new BacktestError(
				`A backtest orders rows by a date column; "${config.timeColumn}" is ${column.type}. Name a date column, or use periods of N rows for data in time order.`
			);
		times = column.values;
	}
	const { periods, withoutTime } = periodsOf(target.rows, times, config.period);
	const filled = periods.filter((p) => p.rows.length > 0).length;
	if (filled < MIN_PERIODS)
		throw new BacktestError(
			`Only ${filled} ${filled === 1 ? 'period holds' : 'periods hold'} rows: a backtest needs at least ${MIN_PERIODS} (one to train on, two to score). Choose a shorter period.`
		);
	const total = periods.reduce((n, p) => n + p.rows.length, 0);
	let first = 0;
	if (config.firstTraining !== undefined) first = config.firstTraining;
	else
		for (let seen = 0; first < periods.length - 1; first++) {
			seen += periods[first]!.rows.length;
			if (seen >= Math.max(1, total / 5)) break;
		}
	return {
		task,
		metric: primaryMetric(task),
		target,
		periods,
		withoutTime,
		first,
		experiment: {
			target: config.target,
			task,
			recipe: { ...config.recipe, target: config.target },
			split: { kind: 'time', seed: 0, validation: 0, test: 0, timeColumn: config.timeColumn },
			model: config.model,
			robustness: false,
			importance: false,
			...(config.halfLife ? { halfLife: config.halfLife } : {})
		}
	};
}

/** A model fitted on `rows`, with its fold (recipe, target scale) and the rows themselves. */
export interface Fitted {
	trained: TrainedModel;
	fold: PreparedFold;
	rows: Int32Array;
	/**
	 * Classifiers: P(right | confidence) fitted on the validation slice's predictions (CBPE's
	 * calibration, as a run makes it), when asked for; null otherwise, for regression, or without
	 * a validation slice.
	 */
	calibration: IsotonicMap | null;
}

/** The periods `from`…`to` as one list of rows, in order. */
export function rowsOf(periods: Period[], from: number, to: number): Int32Array {
	return concatenated(
		periods.slice(from, to + 1).map((p) => p.rows),
		(n) => new Int32Array(n)
	);
}

/** The newest share of a fit's rows that chooses its epochs / iterations, as a run's validation. */
export const VALIDATION_SHARE = 0.15;
/** Fewer rows than this: no validation slice, the spec's steps as they are. */
const MIN_VALIDATION_ROWS = 50;

/**
 * The recipe and model fitted on `rows` (in time order; with recency weights when `experiment`
 * asks) as a run fits them: the newest VALIDATION_SHARE of the rows choose the epochs or
 * iterations (early stopping), then the same spec is fitted again on every row with that many —
 * so that a backtest measures what the studio deploys, not 100 unchecked trees.
 */
export async function fitOn(
	table: Table,
	history: History,
	rows: Int32Array,
	experiment: ExperimentConfig = history.experiment,
	hooks: { isCancelled?: () => boolean; yieldToEvents?: () => Promise<void> } = {},
	/** Also fit CBPE's calibration on the validation slice (only a label-free trigger reads it). */
	calibrate = false
): Promise<Fitted> {
	const spec = experiment.model as FamilySpec;
	const reads = familyEntry(spec.kind).readsMissing;
	const cut = rows.length - Math.round(rows.length * VALIDATION_SHARE);
	let steps = spec;
	let calibration: IsotonicMap | null = null;
	if (rows.length - cut >= MIN_VALIDATION_ROWS && cut >= MIN_VALIDATION_ROWS) {
		const validation = rows.subarray(cut);
		const chooser = prepareFold(
			table,
			experiment,
			history.target,
			rows.subarray(0, cut),
			validation,
			reads
		);
		const { model, outcome } = await fitModel(fitDataOf(chooser), spec, history.task, hooks);
		try {
			steps = refitSpec(spec, outcome.bestEpoch) as FamilySpec;
			if (calibrate && history.task !== 'regression') {
				const matrix = await model.predict(transformTable(chooser.recipe, table, validation));
				calibration = calibrateConfidence(
					matrix,
					Int32Array.from(chooser.yVal),
					history.target.labels.length
				);
			}
		} finally {
			model.dispose();
		}
	}
	const fold = prepareFold(table, experiment, history.target, rows, new Int32Array(0), reads);
	const { model } = await fitModel(fitDataOf(fold), steps, history.task, hooks);
	return { trained: model, fold, rows, calibration };
}

/** A fitted model's score on `rows`, beside the constant baseline of its own training rows. */
export async function scoreOn(
	table: Table,
	history: History,
	model: Fitted,
	rows: Int32Array
): Promise<{ value: number; baseline: number; confidence: Float64Array | null }> {
	const { fold } = model;
	const { target } = history;
	const predicted = await model.trained.predict(transformTable(fold.recipe, table, rows));
	const constant =
		target.task === 'regression'
			? baselineMean(
					Float64Array.from(model.rows, (r) => target.values[r]!),
					rows.length
				).map((v) => (v - fold.targetScale!.center) / fold.targetScale!.scale)
			: baselineProbabilities(
					Int32Array.from(model.rows, (r) => target.classes[r]!),
					target.labels.length,
					rows.length
				);
	// Classifiers: each row's top-class probability, what a label-free estimate reads.
	let confidence: Float64Array | null = null;
	if (target.task !== 'regression') {
		const k = target.labels.length;
		confidence = Float64Array.from(
			{ length: rows.length },
			(_, i) => predicted[i * k + rowArgmax(predicted, i, k)]!
		);
	}
	return {
		value: primaryScore(predicted, rows, target, fold.targetScale),
		baseline: primaryScore(constant, rows, target, fold.targetScale),
		confidence
	};
}
