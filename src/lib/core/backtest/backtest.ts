import { CancelledError } from '../model/family';
import type { PrimaryMetric, Task } from '../model/task';
import { stdOf } from '../stats/summary';
import type { Table } from '../table/types';
import { fitOn, historyOf, rowsOf, scoreOn, type HistoryConfig } from './history';
import { BacktestError } from './periods';

export { MIN_PERIODS } from './history';

/**
 * Rolling-origin evaluation: for each origin t, the recipe and model are fitted on every row up
 * to the end of period t and score each of the next `horizon` periods — what a model trained then
 * would have scored as it aged. The decay curve is the score by age (periods since training), its
 * mean and spread over the origins; each score stands beside the constant baseline fitted on the
 * same rows (the training class shares, or the training mean).
 */
export interface BacktestConfig extends HistoryConfig {
	/** Periods scored after each origin (the oldest age on the decay curve). */
	horizon: number;
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
	const history = historyOf(table, config);
	const { periods, first, metric } = history;
	// Origins: the end of every period with rows from the first training data's, up to the one
	// before the last.
	const originsAt: number[] = [];
	for (let o = first; o < periods.length - 1; o++) if (periods[o]!.rows.length) originsAt.push(o);
	const origins: BacktestResult['origins'] = [];
	for (let i = 0; i < originsAt.length; i++) {
		if (hooks.isCancelled?.()) throw new CancelledError();
		const o = originsAt[i]!;
		hooks.onProgress?.(i, originsAt.length, `training on the rows up to period ${o + 1}`);
		const model = await fitOn(table, history, rowsOf(periods, 0, o), history.experiment, hooks);
		const scores: BacktestScore[] = [];
		try {
			for (let age = 1; age <= config.horizon && o + age < periods.length; age++) {
				const rows = periods[o + age]!.rows;
				if (!rows.length) continue;
				const { value, baseline } = await scoreOn(table, history, model, rows);
				scores.push({ period: o + age, age, metric, value, baseline, rows: rows.length });
			}
		} finally {
			model.trained.dispose();
		}
		origins.push({
			trainedUntil: periods[o]!.end,
			period: o,
			trainRows: model.rows.length,
			scores
		});
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
		task: history.task,
		metric,
		periods: periods.map((p) => ({ start: p.start, end: p.end, rows: p.rows.length })),
		withoutTime: history.withoutTime,
		origins,
		decay,
		seconds: (performance.now() - started) / 1000
	};
}
