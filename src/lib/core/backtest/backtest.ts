import { baselineMean, baselineProbabilities } from '../evaluate/baseline';
import { familyEntry, fitModel } from '../model/families';
import { fitDataOf, prepareFold } from '../model/fold';
import type { ExperimentConfig } from '../model/experiment';
import { primaryScore } from '../model/score';
import type { FamilySpec } from '../model/spec';
import type { HalfLife } from '../model/recency';
import { prepareTarget, primaryMetric, type PrimaryMetric, type Task } from '../model/task';
import { inferTask } from '../model/task';
import { findColumn } from '../recipe/fit';
import { transformTable } from '../recipe/transform';
import type { RecipeSpec } from '../recipe/types';
import { stdOf } from '../stats/summary';
import type { Table } from '../table/types';
import { CancelledError } from '../model/family';
import { BacktestError, periodsOf, type Period, type PeriodSpec } from './periods';

/**
 * Rolling-origin evaluation: for each origin t, the recipe and model are fitted on every row up
 * to the end of period t and score each of the next `horizon` periods — what a model trained then
 * would have scored as it aged. The decay curve is the score by age (periods since training), its
 * mean and spread over the origins; each score stands beside the constant baseline fitted on the
 * same rows (the training class shares, or the training mean).
 */
export interface BacktestConfig {
	target: string;
	task: Task | 'auto';
	recipe: RecipeSpec;
	model: FamilySpec;
	/** The date column periods are cut from; null: blocks of rows in file order. */
	timeColumn: string | null;
	period: PeriodSpec;
	/** Periods scored after each origin (the oldest age on the decay curve). */
	horizon: number;
	/** Recency weights for every fit (needs the date column). */
	halfLife?: HalfLife;
}

export interface BacktestScore {
	/** Index into `periods`. */
	period: number;
	/** Periods since the training data ended: 1 is the next period. */
	age: number;
	metric: PrimaryMetric;
	value: number;
	/** The constant baseline's score on the same rows. */
	baseline: number;
	rows: number;
}

export interface BacktestResult {
	task: Task;
	metric: PrimaryMetric;
	periods: { start: number; end: number; rows: number }[];
	/** Rows left out: no time, or no target. */
	withoutTime: number;
	origins: { trainedUntil: number; period: number; trainRows: number; scores: BacktestScore[] }[];
	decay: { age: number; mean: number; std: number; baseline: number; origins: number }[];
	seconds: number;
}

export interface BacktestHooks {
	onProgress?: (done: number, total: number, what: string) => void;
	isCancelled?: () => boolean;
	yieldToEvents?: () => Promise<void>;
}

/** At least this many periods with rows: one to train on, and two to score. */
export const MIN_PERIODS = 3;

export async function runBacktest(
	table: Table,
	config: BacktestConfig,
	hooks: BacktestHooks = {}
): Promise<BacktestResult> {
	const started = performance.now();
	if (!(Number.isInteger(config.horizon) && config.horizon >= 1))
		throw new BacktestError(
			`The horizon must be a whole number of periods, 1 or more (got ${config.horizon}).`
		);
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
	const metric = primaryMetric(task);
	const experiment: ExperimentConfig = {
		target: config.target,
		task,
		recipe: { ...config.recipe, target: config.target },
		split: { kind: 'time', seed: 0, validation: 0, test: 0, timeColumn: config.timeColumn },
		model: config.model,
		robustness: false,
		importance: false,
		...(config.halfLife ? { halfLife: config.halfLife } : {})
	};
	const reads = familyEntry(config.model.kind).readsMissing;
	// Origins: the end of every period from the first that leaves a fifth of the rows (at least
	// one period) to train on, up to the one before the last.
	const total = periods.reduce((n, p) => n + p.rows.length, 0);
	let first = 0;
	for (let seen = 0; first < periods.length - 1; first++) {
		seen += periods[first]!.rows.length;
		if (seen >= Math.max(1, total / 5)) break;
	}
	const originsAt: number[] = [];
	for (let o = first; o < periods.length - 1; o++) if (periods[o]!.rows.length) originsAt.push(o);
	const origins: BacktestResult['origins'] = [];
	const k = task === 'regression' ? 1 : target.labels.length;
	for (let i = 0; i < originsAt.length; i++) {
		if (hooks.isCancelled?.()) throw new CancelledError();
		const o = originsAt[i]!;
		hooks.onProgress?.(i, originsAt.length, `training on the rows up to period ${o + 1}`);
		const train = concatRows(periods.slice(0, o + 1));
		const fold = prepareFold(table, experiment, target, train, new Int32Array(0), reads);
		const { model } = await fitModel(fitDataOf(fold), config.model, task, {
			isCancelled: hooks.isCancelled,
			yieldToEvents: hooks.yieldToEvents
		});
		const scores: BacktestScore[] = [];
		try {
			for (let age = 1; age <= config.horizon && o + age < periods.length; age++) {
				const rows = periods[o + age]!.rows;
				if (!rows.length) continue;
				const predicted = await model.predict(transformTable(fold.recipe, table, rows));
				const constant =
					task === 'regression'
						? baselineMean(
								Float64Array.from(train, (r) => target.values![r]!),
								rows.length
							).map((v) => (v - fold.targetScale!.center) / fold.targetScale!.scale)
						: baselineProbabilities(
								Int32Array.from(train, (r) => target.classes![r]!),
								k,
								rows.length
							);
				scores.push({
					period: o + age,
					age,
					metric,
					value: primaryScore(predicted, rows, target, fold.targetScale),
					baseline: primaryScore(constant, rows, target, fold.targetScale),
					rows: rows.length
				});
			}
		} finally {
			model.dispose();
		}
		origins.push({ trainedUntil: periods[o]!.end, period: o, trainRows: train.length, scores });
		await hooks.yieldToEvents?.();
	}
	hooks.onProgress?.(originsAt.length, originsAt.length, 'done');
	const decay: BacktestResult['decay'] = [];
	for (let age = 1; age <= config.horizon; age++) {
		const at = origins.flatMap((o) => o.scores.filter((s) => s.age === age));
		if (!at.length) continue;
		const values = at.map((s) => s.value);
		decay.push({
			age,
			mean: values.reduce((a, b) => a + b, 0) / values.length,
			std: values.length > 1 ? stdOf(values, 1) : 0,
			baseline: at.reduce((a, s) => a + s.baseline, 0) / at.length,
			origins: at.length
		});
	}
	return {
		task,
		metric,
		periods: periods.map((p) => ({ start: p.start, end: p.end, rows: p.rows.length })),
		withoutTime,
		origins,
		decay,
		seconds: (performance.now() - started) / 1000
	};
}

function concatRows(periods: Period[]): Int32Array {
	const out = new Int32Array(periods.reduce((n, p) => n + p.rows.length, 0));
	let at = 0;
	for (const p of periods) {
		out.set(p.rows, at);
		at += p.rows.length;
	}
	return out;
}
