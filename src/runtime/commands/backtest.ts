import { belowBaselineWords } from '../../lib/core/backtest/summary';
import type { HalfLife } from '../../lib/core/model/recency';
import { runBacktest, type BacktestResult } from '../../lib/core/backtest/backtest';
import {
	defaultPolicies,
	simulatePolicies,
	type SimulationResult
} from '../../lib/core/backtest/policy';
import { halfLifeText } from '../../lib/core/model/recency';
import {
	BacktestError,
	defaultUnit,
	PERIOD_UNITS,
	periodName,
	type PeriodSpec,
	type PeriodUnit
} from '../../lib/core/backtest/periods';
import {
	DEFAULT_GBDT,
	DEFAULT_LINEAR,
	DEFAULT_MLP,
	type FamilySpec
} from '../../lib/core/model/spec';
import { timeColumnOf } from '../../lib/core/model/split';
import { profileTable } from '../../lib/core/profile/profile';
import { findColumn } from '../../lib/core/recipe/fit';
import { suggestRecipe } from '../../lib/core/recipe/suggest';
import { computeFor } from '../backend';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { textTable } from './profile';

/** The options of `driftwood backtest`. */
export interface BacktestOptions extends ReadFileOptions {
	target: string;
	model: 'gbdt' | 'linear' | 'mlp';
	/** month, quarter, …, or "<N>rows"; absent: the coarsest unit that gives at least 8 periods. */
	period?: string;
	/** The date column; absent: the first one the profile finds. */
	time?: string;
	horizon: number;
	seed: number;
	halfLife?: HalfLife;
}

export interface BacktestOutput {
	result: BacktestResult;
	timeColumn: string | null;
	period: PeriodSpec;
}

/** Parses `--period`: a calendar unit, or "<N>rows". */
export function parsePeriod(text: string): PeriodSpec {
	const rows = /^(\d+)\s*rows?$/i.exec(text.trim());
	if (rows) return { rows: Number(rows[1]) };
	if ((PERIOD_UNITS as string[]).includes(text)) return { unit: text as PeriodUnit };
	throw new BacktestError(
		`--period takes ${PERIOD_UNITS.join(', ')} or a number of rows such as 5000rows (got "${text}").`
	);
}

/** What a backtest and a policy simulation of a file run on: its table and their settings. */
async function prepared(path: string, options: BacktestOptions) {
	const { table } = await readFileTable(path, options);
	const profile = profileTable(table, options.target);
	findColumn(table, options.target);
	const timeColumn = options.time ?? timeColumnOf(profile, options.target)?.name ?? null;
	let period: PeriodSpec;
	if (options.period) period = parsePeriod(options.period);
	else if (timeColumn) {
		const column = findColumn(table, timeColumn);
		period = { unit: defaultUnit(column.storage === 'float' ? column.values : []) };
	} else
		throw new BacktestError(
			`"${path}" has no date column to cut periods from: pass --time <column>, or --period <N>rows if its rows are in time order.`
		);
	const model: FamilySpec =
		options.model === 'gbdt'
			? { ...DEFAULT_GBDT, seed: options.seed }
			: { ...(options.model === 'linear' ? DEFAULT_LINEAR : DEFAULT_MLP), seed: options.seed };
	await computeFor(model);
	// The studio's suggested recipe: a date column gives its calendar parts, never a raw instant.
	const recipe = suggestRecipe(profile, options.target);
	const config = {
		target: options.target,
		task: 'auto' as const,
		recipe,
		model,
		timeColumn,
		period,
		...(options.halfLife ? { halfLife: options.halfLife } : {})
	};
	return { table, config, timeColumn, period };
}

/** `driftwood backtest`: rolling-origin evaluation of the studio's default recipe and a model. */
export async function backtestFile(
	path: string,
	options: BacktestOptions
): Promise<BacktestOutput> {
	const { table, config, timeColumn, period } = await prepared(path, options);
	const result = await runBacktest(table, { ...config, horizon: options.horizon });
	return { result, timeColumn, period };
}

/** `driftwood policy`: the retraining policies replayed over the file's history. */
export async function policyFile(path: string, options: BacktestOptions): Promise<PolicyOutput> {
	const { table, config, timeColumn, period } = await prepared(path, options);
	const halfLife =
		options.halfLife ?? ('unit' in period ? { periods: 4, unit: period.unit } : null);
	// Each policy brings its own weights: the recency-weighted one, `--half-life` (default four periods).
	const result = await simulatePolicies(table, config, defaultPolicies(halfLife));
	return { result, timeColumn, period };
}

export interface PolicyOutput {
	result: SimulationResult;
	timeColumn: string | null;
	period: PeriodSpec;
}

/** The simulation as `--json` prints it (the issue's shape, snake_case). */
export function policyJson({ result }: PolicyOutput) {
	return {
		metric: result.metric,
		periods: result.periods.length,
		policies: result.policies.map((r) => ({
			name: r.policy.name,
			trigger: r.policy.trigger,
			every: r.policy.every ?? null,
			window:
				r.policy.window === 'sliding' ? `last ${r.policy.windowPeriods} periods` : 'all history',
			half_life: r.policy.halfLife ? halfLifeText(r.policy.halfLife) : null,
			scores: r.scores.map((s) => ({
				period: s.period,
				value: s.value,
				baseline: s.baseline,
				retrained_after: s.retrainedAfter
			})),
			mean: r.mean,
			worst: r.worst,
			retrains: r.retrains,
			seconds: r.seconds
		})),
		recommended: result.policies[result.recommended]!.policy.name,
		gain_over_never: result.gainOverNever
	};
}

/** The simulation as text: a table of the policies, then the recommendation. */
export function policyText({ result }: PolicyOutput): string {
	const f = (v: number) => v.toFixed(4);
	const best = result.policies[result.recommended]!;
	const gain = result.gainOverNever;
	return [
		`Retraining policies replayed over ${result.periods.length} periods (${result.metric} of the model in service, period by period):`,
		'',
		...textTable(
			['policy', 'mean', 'worst', 'retrains', 'fit s'],
			result.policies.map((r) => [
				r.policy.name,
				f(r.mean),
				f(r.worst),
				String(r.retrains),
				r.seconds.toFixed(1)
			]),
			1
		),
		'',
		`Recommended: ${best.policy.name} (the best mean; within a standard error, the fewest retrains)${
			gain && best.policy.trigger !== 'never'
				? ` — ${gain.value >= 0 ? '+' : ''}${f(gain.value)} ± ${f(gain.error)} over never, paired by period`
				: ''
		}.`,
		''
	].join('\n');
}

/** The backtest as `--json` prints it (the issue's shape, snake_case). */
export function backtestJson({ result, timeColumn, period }: BacktestOutput) {
	const dated = !('rows' in period) || timeColumn !== null;
	const when = (v: number) => (dated ? new Date(v).toISOString() : v);
	return {
		task: result.task,
		metric: result.metric,
		time_column: timeColumn,
		period: 'unit' in period ? period.unit : 'rows' in period ? `${period.rows}rows` : 'blocks',
		rows_without_time: result.withoutTime,
		periods: result.periods.map((p) => ({ start: when(p.start), end: when(p.end), rows: p.rows })),
		origins: result.origins.map((o) => ({
			trained_until: when(o.trainedUntil),
			train_rows: o.trainRows,
			scores: o.scores.map((s) => ({
				period: s.period,
				age: s.age,
				metric: s.metric,
				value: s.value,
				baseline: s.baseline,
				rows: s.rows
			}))
		})),
		decay: result.decay.map((d) => ({
			age: d.age,
			mean: d.mean,
			std: d.std,
			baseline: d.baseline,
			origins: d.origins
		})),
		seconds: result.seconds
	};
}

/** The backtest as text: the decay curve, then the score per period and age. */
export function backtestText({ result, timeColumn, period }: BacktestOutput): string {
	const unit =
		'unit' in period
			? `${period.unit}s`
			: 'rows' in period
				? `blocks of ${period.rows} rows`
				: 'blocks of rows';
	const label = (i: number) => periodName(result.periods[i]!, period, timeColumn !== null);
	const f = (v: number) => v.toFixed(4);
	const below = belowBaselineWords(result);
	return [
		`Backtest of ${result.task} on ${unit}${timeColumn ? ` of "${timeColumn}"` : ''}: ${result.periods.length} periods, ${result.origins.length} origins, ${result.seconds.toFixed(1)} s.`,
		`Each origin trains on every row up to its period's end and scores the next ones (${result.metric}, beside the constant baseline fitted on the same rows).`,
		...(result.withoutTime ? [`${result.withoutTime} rows without a date were left out.`] : []),
		...(below ? [`Warning: ${below}`] : []),
		'',
		'Decay (the score by the model’s age in periods):',
		...textTable(
			['age', `mean ${result.metric}`, 'std', 'baseline', 'origins'],
			result.decay.map((d) => [
				String(d.age),
				f(d.mean),
				f(d.std),
				f(d.baseline),
				String(d.origins)
			]),
			1
		),
		'',
		'Per period:',
		...textTable(
			['last period trained on', 'period scored', 'age', result.metric, 'baseline', 'rows'],
			result.origins.flatMap((o) =>
				o.scores.map((s) => [
					label(o.period),
					label(s.period),
					String(s.age),
					f(s.value),
					f(s.baseline),
					String(s.rows)
				])
			),
			2
		),
		''
	].join('\n');
}
