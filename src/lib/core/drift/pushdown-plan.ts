import { sortFloat64 } from '../stats/sort';
import type { DatePart, FittedRecipe } from '../recipe/types';
import type { Column, Table } from '../table/types';
import { binKeys, numericSpec, rangeEdges, rangeKeys, type BinSpec } from './bins';
import { monitoredFeatures, partName, withDateParts } from './inputs';
import { DriftError } from './report';
import { presentValues, textCounts } from './feature';

/**
 * One monitored feature as a warehouse computes it: the column it is read from, how (a number, an
 * instant in epoch milliseconds, a calendar part of an instant, a category's text) and the
 * reference bins it is counted in.
 */
export interface PushdownFeature {
	/** The name the drift report gives it (`Date (month)` for a date's part). */
	name: string;
	/** The batch column it is read from (a name from the bundle's schema, never user text). */
	column: string;
	read:
		{ kind: 'number' } | { kind: 'instant' } | { kind: 'part'; part: DatePart } | { kind: 'text' };
	spec: BinSpec;
	/**
	 * A range's inner edges as the query cuts it: the bins' own edges and the reference's
	 * 50-quantiles, so that the bins' counts are sums of these and KS and Wasserstein are bounded
	 * at fifty times the bins' resolution. Null for values and categories (counted exactly).
	 */
	cuts: number[] | null;
	/** A date's calendar position: compared, never counted as drifted. */
	calendar: boolean;
}

/** The name a summary gives the predictions' column (never a monitored input's). */
export const PREDICTION_FEATURE = '(prediction)';
/** The name a summary gives the target's column. */
export const TARGET_FEATURE = '(target)';

/** What a pushdown query counts: the monitored features, then the prediction column if named. */
export interface PushdownPlan {
	features: PushdownFeature[];
	/** The batch column holding the model's predictions (written by the job that scored it). */
	prediction: PushdownFeature | null;
	/** The batch column holding the target (labels joined later), counted in the target's bins. */
	target: PushdownFeature | null;
	/**
	 * With both: the model's score on the batch, counted where both are present — classes as
	 * (label, prediction) pairs by the model's label indices (a confusion matrix); numbers as the
	 * error's sums and the truth's, on the same rows.
	 */
	outcome: Outcome | null;
}

/** What a summary counts for the score: the columns, and the model's labels for classes. */
export type Outcome =
	| { kind: 'classes'; target: string; prediction: string; labels: string[] }
	| { kind: 'values'; target: string; prediction: string };

/** The names a summary gives the score's rows. */
export const OUTCOME_FEATURE = '(outcome)';
export const TRUTH_FEATURE = '(truth)';

/** A plan's features in the query's order: the inputs, then the predictions, then the target. */
export function plannedFeatures(plan: PushdownPlan): PushdownFeature[] {
	return [
		...plan.features,
		...(plan.prediction ? [plan.prediction] : []),
		...(plan.target ? [plan.target] : [])
	];
}

/**
 * The features a model's monitor compares (`monitoredFeatures`: dates through the recipe's
 * parts, ignored inputs left out), each with the bins of its reference values — the same bins the
 * raw path counts (`compareFeature`), so a summary of counts reproduces its statistics.
 */
export function pushdownPlan(
	recipe: Pick<FittedRecipe, 'steps'>,
	inputs: readonly string[],
	reference: Table,
	ignored: readonly string[] = [],
	prediction: { column: string; reference: Column } | null = null,
	target: { column: string; reference: Column } | null = null,
	/** The model's labels (classes) or null (numbers): with predictions and target, the score. */
	labels: string[] | null = null
): PushdownPlan {
	const { features, raw, calendar } = monitoredFeatures(recipe, inputs, ignored);
	if (features.length === 0) throw nothingToCount();
	for (const reserved of [PREDICTION_FEATURE, TARGET_FEATURE, OUTCOME_FEATURE, TRUTH_FEATURE])
		if (features.includes(reserved))
			throw new DriftError(
				`An input is named "${reserved}", a name a summary gives the model's own columns: rename it to monitor this model from a warehouse.`
			);
	const withParts = withDateParts(reference, recipe);
	const byName = new Map(withParts.columns.map((c) => [c.name, c]));
	const planned = features.map((name): PushdownFeature => {
		const column = raw.get(name)!;
		const ref = byName.get(name);
		if (!ref) throw new DriftError(`The model's reference has no column "${name}".`);
		const part = name === column ? null : partOf(recipe, column, name);
		const read: PushdownFeature['read'] = part
			? { kind: 'part', part }
			: ref.storage === 'coded'
				? { kind: 'text' }
				: ref.type === 'datetime'
					? { kind: 'instant' }
					: { kind: 'number' };
		const spec = specOf(ref);
		return { name, column, read, spec, cuts: cutsOf(spec, ref), calendar: calendar.has(name) };
	});
	return {
		features: planned,
		prediction: prediction ? outputFeature(PREDICTION_FEATURE, prediction) : null,
		target: target ? outputFeature(TARGET_FEATURE, target) : null,
		outcome:
			prediction && target
				? labels
					? { kind: 'classes', target: target.column, prediction: prediction.column, labels }
					: { kind: 'values', target: target.column, prediction: prediction.column }
				: null
	};
}

/**
 * A plan without the features read from `ignored` inputs (a monitor's settings changed after its
 * query was written): the same plan `pushdownPlan` makes with them ignored, without making it again.
 */
export function withoutIgnored(plan: PushdownPlan, ignored: readonly string[]): PushdownPlan {
	const skip = new Set(ignored);
	const features = plan.features.filter((f) => !skip.has(f.column));
	if (features.length === 0) throw nothingToCount();
	return { ...plan, features };
}

function nothingToCount(): DriftError {
	return new DriftError(
		'Every input of this model is left out of monitoring: there is nothing to count.'
	);
}

/** The predictions' or the target's column, counted in the bins of its reference values. */
function outputFeature(
	name: string,
	output: { column: string; reference: Column }
): PushdownFeature {
	const spec = specOf(output.reference);
	return {
		name,
		column: output.column,
		read: output.reference.storage === 'coded' ? { kind: 'text' } : { kind: 'number' },
		spec,
		cuts: cutsOf(spec, output.reference),
		calendar: false
	};
}

/** The reference bins of a column: its categories, or the bins of its finite values. */
export function specOf(column: Column): BinSpec {
	if (column.storage === 'coded')
		return { kind: 'categories', categories: Array.from(textCounts(column).counts.keys()) };
	const values = sortFloat64(presentValues(column.values));
	// A reference with no value at all has no bins: every batch value counts as "other".
	if (values.length === 0) return { kind: 'values', values: [], datetime: false };
	return numericSpec(values, column.type === 'datetime');
}

/**
 * The bins a summary counts a feature in, in order (besides `missing`): a range at its cuts; a
 * value spec's values, then its other values between, below and above the reference's.
 */
export function summaryKeys(f: Pick<PushdownFeature, 'spec' | 'cuts'>): string[] {
	if (f.spec.kind === 'range') return rangeKeys(f.spec.lo, f.cuts ?? rangeEdges(f.spec), f.spec.hi);
	if (f.spec.kind === 'values') return [...binKeys(f.spec), 'below', 'above'];
	return binKeys(f.spec);
}

/** For each of `summaryKeys`, the bin of `binKeys` (what the statistics count) it falls in. */
export function summaryBins(f: Pick<PushdownFeature, 'spec' | 'cuts'>): number[] {
	const keys = summaryKeys(f);
	const spec = f.spec;
	if (spec.kind === 'categories') return keys.map((_, i) => i);
	if (spec.kind === 'values') {
		const other = spec.values.length;
		return keys.map((_, i) => Math.min(i, other));
	}
	const edges = rangeEdges(spec);
	const inner = f.cuts ?? edges;
	const last = keys.length - 1;
	// Cut bin c starts at lo or at inner[c − 1]: its bin is 1 + the bin edges at or below that.
	return keys.map((_, k) =>
		k === 0
			? 0
			: k === last
				? spec.count + 1
				: 1 + edges.filter((e) => k > 1 && e <= inner[k - 2]!).length
	);
}

/** Reference quantiles added to a range's cuts (bounds on KS and Wasserstein tighten with them). */
const QUANTILE_CUTS = 50;

/** A range's inner cuts: its bins' edges and the reference values at each 1/50 quantile. */
function cutsOf(spec: BinSpec, column: Column): number[] | null {
	if (spec.kind !== 'range' || column.storage !== 'float') return null;
	const sorted = sortFloat64(presentValues(column.values));
	const cuts = rangeEdges(spec);
	for (let k = 1; k < QUANTILE_CUTS; k++)
		cuts.push(sorted[Math.floor((k * sorted.length) / QUANTILE_CUTS)]!);
	cuts.sort((a, b) => a - b);
	return cuts.filter((c, i) => c > spec.lo && c < spec.hi && (i === 0 || c !== cuts[i - 1]));
}

/** Which calendar part a derived feature is (its name is `partName(column, part)`). */
function partOf(recipe: Pick<FittedRecipe, 'steps'>, column: string, name: string): DatePart {
	for (const step of recipe.steps)
		if (step.kind === 'datetime' && step.column === column)
			for (const p of step.parts) if (partName(column, p.part) === name) return p.part;
	throw new DriftError(`"${name}" is not a date part of "${column}".`);
}
