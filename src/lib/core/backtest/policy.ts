import type { AutopilotPolicy } from '../drift/autopilot';
import { inputDrift } from '../drift/inputs';
import { estimateAccuracy } from '../drift/cbpe';
import { performanceDropped } from '../drift/rules';
import { gatherRows } from '../evaluate/perturb';
import { scoreError } from '../model/choose';
import { CancelledError } from '../model/family';
import type { HalfLife } from '../model/recency';
import { stdOf } from '../stats/summary';
import type { Table } from '../table/types';
import type { BacktestHooks } from './backtest';
import { fitOn, historyOf, rowsOf, scoreOn, type HistoryConfig } from './history';

/**
 * The retraining-policy simulator: the history replayed period by period, as production would
 * have lived it. A model is trained on the periods before the first scored one; each later period
 * is scored by the model in service then (its labels arrive after it), and the policy decides from
 * that period whether to retrain before the next: never, every k periods, on dataset drift (the
 * monitor's rule, the period against the model's training rows), or on a measured drop (the score
 * below the model's first period's by more than two standard errors). A retrain fits on all history,
 * the last W periods, or all history with recency weights.
 */
export interface Policy {
	name: string;
	trigger: 'never' | 'every' | 'drift' | 'measured-drop' | 'estimated-drop';
	/** `every`: periods between retrains. */
	every?: number;
	window: 'all' | 'sliding';
	/** `sliding`: periods in the window. */
	windowPeriods?: number;
	halfLife?: HalfLife;
}

export interface PolicyResult {
	policy: Policy;
	/** Per scored period: the score of the model in service, and whether it was retrained after. */
	scores: { period: number; value: number; baseline: number; retrainedAfter: boolean }[];
	mean: number;
	worst: number;
	retrains: number;
	/** Seconds spent fitting (the initial fit excluded: every policy pays it). */
	seconds: number;
}

export interface SimulationResult {
	metric: 'accuracy' | 'r2';
	periods: { start: number; end: number; rows: number }[];
	policies: PolicyResult[];
	/** The recommended policy's index: the best mean, ties (within a standard error) to fewer retrains. */
	recommended: number;
	/** The recommended policy against `never`, paired over the scored periods. */
	gainOverNever: { value: number; error: number } | null;
}

/** The policies replayed by default: the questions a team asks of its retraining cadence. */
export function defaultPolicies(halfLife: HalfLife | null): Policy[] {
	return [
		{ name: 'never', trigger: 'never', window: 'all' },
		{ name: 'every period', trigger: 'every', every: 1, window: 'all' },
		{ name: 'every 3 periods', trigger: 'every', every: 3, window: 'all' },
		{
			name: 'every period, last 4 periods',
			trigger: 'every',
			every: 1,
			window: 'sliding',
			windowPeriods: 4
		},
		...(halfLife
			? [
					{
						name: 'every period, recency-weighted',
						trigger: 'every' as const,
						every: 1,
						window: 'all' as const,
						halfLife
					}
				]
			: []),
		{ name: 'on drift', trigger: 'drift', window: 'all' },
		{ name: 'on measured drop', trigger: 'measured-drop', window: 'all' },
		{ name: 'on estimated drop (CBPE)', trigger: 'estimated-drop', window: 'all' }
	];
}

/** Rows of the drift reference at most: the newest of the model's training rows. */
const REFERENCE_ROWS = 10_000;

export async function simulatePolicies(
	table: Table,
	config: HistoryConfig,
	policies: Policy[],
	hooks: BacktestHooks = {}
): Promise<SimulationResult> {
	// Each policy brings its own weights: the run's half-life, if any, is not applied to all.
	const history = historyOf(table, { ...config, halfLife: undefined });
	const { periods, first, metric } = history;
	const scored = periods.map((_, i) => i).filter((i) => i > first && periods[i]!.rows.length > 0);
	const inputs = config.recipe.steps.filter((s) => s.kind !== 'drop').map((s) => s.column);
	const fits = policies.length * scored.length;
	let done = 0;
	const results: PolicyResult[] = [];
	// A label-free estimate (CBPE) exists for classifiers only.
	for (const policy of policies.filter(
		(p) => p.trigger !== 'estimated-drop' || history.task !== 'regression'
	)) {
		const experiment = policy.halfLife
			? { ...history.experiment, halfLife: policy.halfLife }
			: history.experiment;
		const fit = (from: number, to: number) =>
			fitOn(
				table,
				history,
				rowsOf(periods, from, to),
				experiment,
				hooks,
				policy.trigger === 'estimated-drop'
			);
		let model = await fit(0, first);
		let trainedAt = first;
		// The model's score on its first period in service: what a drop is measured from.
		let reference: { value: number; rows: number } | null = null;
		let trainedOn: Table | null = null;
		let seconds = 0;
		let retrains = 0;
		const scores: PolicyResult['scores'] = [];
		try {
			for (const t of scored) {
				if (hooks.isCancelled?.()) throw new CancelledError();
				hooks.onProgress?.(done++, fits, `${policy.name}: period ${t + 1}`);
				const rows = periods[t]!.rows;
				const { value, baseline, confidence } = await scoreOn(table, history, model, rows);
				reference ??= { value, rows: rows.length };
				let retrain = false;
				if (policy.trigger === 'every') retrain = t - trainedAt >= (policy.every ?? 1);
				else if (policy.trigger === 'measured-drop')
					retrain =
						value < reference.value - 2 * differenceError(metric, reference, value, rows.length);
				else if (policy.trigger === 'estimated-drop' && confidence && model.calibration) {
					// The monitor's CBPE rule, before the period's labels: the whole 95 % band of the
					// label-free estimate more than the drop below the model's first period in service.
					const estimate = estimateAccuracy(confidence, model.calibration);
					retrain = performanceDropped({
						value: estimate.value,
						upper: estimate.upper,
						reference: reference.value,
						estimated: true
					});
				} else if (policy.trigger === 'drift') {
					// The model's reference is gathered once per model, not once per period.
					trainedOn ??= gatherRows(table, model.rows.slice(-REFERENCE_ROWS));
					// The monitor's rule on the model's own recipe: a date through its parts.
					retrain = inputDrift(
						model.fold.recipe,
						inputs,
						trainedOn,
						gatherRows(table, rows)
					).datasetDrift;
				}
				// Labels of the last period come too late to matter: no retrain after it.
				retrain &&= t < periods.length - 1;
				scores.push({ period: t, value, baseline, retrainedAfter: retrain });
				if (retrain) {
					const started = performance.now();
					model.trained.dispose();
					const from =
						policy.window === 'sliding' ? Math.max(0, t + 1 - (policy.windowPeriods ?? 4)) : 0;
					model = await fit(from, t);
					seconds += (performance.now() - started) / 1000;
					retrains++;
					trainedAt = t;
					reference = null;
					trainedOn = null;
				}
				await hooks.yieldToEvents?.();
			}
		} finally {
			model.trained.dispose();
		}
		const values = scores.map((s) => s.value);
		results.push({
			policy,
			scores,
			mean: values.reduce((a, b) => a + b, 0) / values.length,
			worst: Math.min(...values),
			retrains,
			seconds
		});
	}
	hooks.onProgress?.(fits, fits, 'done');
	return {
		metric,
		periods: periods.map((p) => ({ start: p.start, end: p.end, rows: p.rows.length })),
		policies: results,
		...recommend(results)
	};
}

/**
 * The standard error of the difference between two periods' scores (independent rows), each at
 * least one row's worth for accuracy: a perfect first period (no error at all) does not make every
 * later miss a "drop".
 */
function differenceError(
	metric: 'accuracy' | 'r2',
	reference: { value: number; rows: number },
	value: number,
	rows: number
): number {
	const one = (score: number, n: number) =>
		Math.max(scoreError(metric, score, n), metric === 'accuracy' ? 1 / n : 0);
	return Math.hypot(one(reference.value, reference.rows), one(value, rows));
}

/**
 * The best mean score; policies within one standard error of it (the best's own per-period
 * differences against each, paired) count as ties, won by the fewest retrains.
 */
export function recommend(
	results: PolicyResult[]
): Pick<SimulationResult, 'recommended' | 'gainOverNever'> {
	let best = 0;
	results.forEach((r, i) => {
		if (r.mean > results[best]!.mean) best = i;
	});
	let recommended = best;
	results.forEach((r, i) => {
		const { value, error } = paired(results[best]!, r);
		const tie = value <= error;
		const better = results[recommended]!;
		if (
			tie &&
			(r.retrains < better.retrains || (r.retrains === better.retrains && r.mean > better.mean))
		)
			recommended = i;
	});
	const never = results.find((r) => r.policy.trigger === 'never');
	return {
		recommended,
		gainOverNever: never ? paired(results[recommended]!, never) : null
	};
}

/** How much `a` beats `b`, paired over the periods both scored, with its standard error. */
function paired(a: PolicyResult, b: PolicyResult): { value: number; error: number } {
	const d = a.scores.map((s, i) => s.value - b.scores[i]!.value);
	const value = d.reduce((x, y) => x + y, 0) / d.length;
	const error = d.length > 1 ? stdOf(d, 1) / Math.sqrt(d.length) : 0;
	return { value, error };
}

/**
 * The simulator's recommendation as an autopilot policy, one labelled batch standing for one
 * period; `never` turns the autopilot off. Auto-promote and the hold-out stay as they were: the
 * simulation says when and on what to retrain, not how much to trust a win.
 */
export function autopilotFromSimulation(
	simulated: Policy,
	current: AutopilotPolicy,
	source: string
): AutopilotPolicy {
	return {
		...current,
		enabled: simulated.trigger !== 'never',
		// A drop measured or estimated in the simulation: the autopilot acts on labelled batches,
		// so it measures the drop there.
		trigger:
			simulated.trigger === 'every'
				? { kind: 'every', every: simulated.every ?? 1 }
				: simulated.trigger === 'drift'
					? { kind: 'drift' }
					: { kind: 'drop' },
		window:
			simulated.window === 'sliding'
				? { kind: 'batches', count: simulated.windowPeriods ?? 4 }
				: { kind: 'all' },
		halfLife: simulated.halfLife ?? null,
		source
	};
}
