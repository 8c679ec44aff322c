import type { TableProfile } from '../profile/types';
import { timeColumnOf } from '../model/split';
import { stdOf } from '../stats/summary';
import type { BacktestResult } from './backtest';
import type { SimulationResult } from './policy';
import { defaultUnit, type PeriodUnit } from './periods';

/** What a backtest of this dataset starts from: its date column and the period that suits it. */
export function backtestDefaults(
	profile: TableProfile,
	target: string
): { timeColumn: string | null; unit: PeriodUnit } {
	const time = timeColumnOf(profile, target);
	if (!time || time.min === null || time.max === null) return { timeColumn: null, unit: 'month' };
	return { timeColumn: time.name, unit: defaultUnit([time.min, time.max]) };
}

/**
 * How much the score changes from the first age to the last, paired over the origins that scored
 * both (their own difficulty cancels), with its standard error; null with fewer than two such
 * origins. The words say whether the change is beyond noise (two standard errors).
 */
export function decayChange(result: BacktestResult): {
	from: number;
	to: number;
	change: number;
	error: number;
	origins: number;
	words: string;
} | null {
	const ages = result.decay.map((d) => d.age);
	if (ages.length < 2) return null;
	const from = ages[0]!;
	const to = ages[ages.length - 1]!;
	const diffs: number[] = [];
	for (const o of result.origins) {
		const a = o.scores.find((s) => s.age === from);
		const b = o.scores.find((s) => s.age === to);
		if (a && b) diffs.push(b.value - a.value);
	}
	if (diffs.length < 2) return null;
	const change = diffs.reduce((x, y) => x + y, 0) / diffs.length;
	const error = stdOf(diffs, 1) / Math.sqrt(diffs.length);
	const beyond = Math.abs(change) > 2 * error;
	const words = `From ${from} to ${to} periods after training, the ${result.metric} changes by ${change >= 0 ? '+' : ''}${change.toFixed(4)} ± ${error.toFixed(4)} (paired over ${diffs.length} origins): ${beyond ? (change < 0 ? 'the model goes stale: retrain before that loss matters' : 'later periods are easier, not a sign of staleness') : 'no change beyond noise over this horizon'}.`;
	return { from, to, change, error, origins: diffs.length, words };
}

/** The simulator's recommendation in words, with its gain over never (paired by period). */
export function recommendationWords(result: SimulationResult): string {
	const best = result.policies[result.recommended]!;
	const gain = result.gainOverNever;
	const sign = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;
	if (best.policy.trigger === 'never' || !gain)
		return `Recommended: ${best.policy.name} — no policy beat training once by more than a standard error over these ${best.scores.length} periods.`;
	return `Recommended: ${best.policy.name} (${best.retrains} retrain${best.retrains === 1 ? '' : 's'}) — ${result.metric} ${sign(gain.value)} ± ${gain.error.toFixed(4)} a period over never, paired by period${gain.value > 2 * gain.error ? '' : ' (within noise: two standard errors)'}. Policies within a standard error of the best mean tie, and the fewest retrains win.`;
}

/** How many of a backtest's scores fall below the constant baseline on the same rows, in words. */
export function belowBaselineWords(result: BacktestResult): string | null {
	const scores = result.origins.flatMap((o) => o.scores);
	const below = scores.filter((s) => s.value < s.baseline).length;
	if (!below) return null;
	return `${below} of ${scores.length} scores fall below the constant baseline on the same rows: there the model did worse than always answering ${result.task === 'regression' ? 'the training mean' : 'the commonest training class'}.`;
}
