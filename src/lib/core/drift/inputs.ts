import { datePart } from '../recipe/dates';
import type { DatePart, FittedRecipe } from '../recipe/types';
import type { Column, Table } from '../table/types';
import { DriftError, driftReport } from './report';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { DriftReport } from './types';

const PART_NAMES: Record<DatePart, string> = {
	year: 'year',
	month: 'month',
	weekday: 'weekday',
	dayofyear: 'day of year',
	hour: 'hour'
};

/**
 * Parts that place an instant in a cycle (the year is a trend, not a position): their
 * distribution in a batch is the span of its dates, so their drift is never counted.
 */
const CALENDAR_PARTS: ReadonlySet<DatePart> = new Set(['month', 'weekday', 'dayofyear', 'hour']);

/** The name a date part is monitored under: `Date (month)`. */
export function partName(column: string, part: DatePart): string {
	return `${column} (${PART_NAMES[part]})`;
}

/**
 * The features a monitor compares, as the model reads them: a date column through the calendar
 * parts its recipe derives (month, weekday, …; the year only when the recipe has the trend),
 * never as the raw instant — every later batch would lie "100 % out of range" in a column the
 * model never sees. Other inputs as they are; `ignored` ones (the user's choice) not at all.
 * `raw` maps each feature back to the input column it comes from; `calendar` names the parts that
 * are a calendar position (compared, never counted as drifted).
 */
export function monitoredFeatures(
	recipe: Pick<FittedRecipe, 'steps'>,
	inputs: readonly string[],
	ignored: readonly string[] = []
): { features: string[]; raw: Map<string, string>; calendar: Set<string> } {
	const parts = dateParts(recipe);
	const skip = new Set(ignored);
	const features: string[] = [];
	const raw = new Map<string, string>();
	const calendar = new Set<string>();
	for (const name of inputs) {
		if (skip.has(name)) continue;
		const derived = parts.get(name);
		if (!derived) {
			features.push(name);
			raw.set(name, name);
			continue;
		}
		for (const part of derived) {
			const n = partName(name, part);
			features.push(n);
			raw.set(n, name);
			if (CALENDAR_PARTS.has(part)) calendar.add(n);
		}
	}
	return { features, raw, calendar };
}

/** A table with each date column of the recipe given its parts as numeric columns beside it. */
export function withDateParts(table: Table, recipe: Pick<FittedRecipe, 'steps'>): Table {
	const parts = dateParts(recipe);
	if (parts.size === 0) return table;
	const added: Column[] = [];
	for (const column of table.columns) {
		const wanted = parts.get(column.name);
		if (!wanted || column.storage !== 'float') continue;
		for (const part of wanted)
			added.push({
				storage: 'float',
				name: partName(column.name, part),
				type: 'numeric',
				values: column.values.map((ms) => datePart(ms, part))
			});
	}
	return { rowCount: table.rowCount, columns: [...table.columns, ...added] };
}

/** Each date step's parts, by column. */
function dateParts(recipe: Pick<FittedRecipe, 'steps'>): Map<string, DatePart[]> {
	const out = new Map<string, DatePart[]>();
	for (const step of recipe.steps)
		if (step.kind === 'datetime')
			out.set(
				step.column,
				step.parts.map((p) => p.part)
			);
	return out;
}

/**
 * A batch's inputs against reference rows as the monitor judges them — one rule for the monitor
 * and the policy simulator's "on drift": a date through its recipe's parts (calendar positions
 * compared, never counted), ignored inputs not at all, inputs the batch lacks left to the schema.
 */
export function inputDrift(
	recipe: Pick<FittedRecipe, 'steps'>,
	inputs: readonly string[],
	reference: Table,
	batch: Table,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	referenceRows = reference.rowCount
): DriftReport {
	const { features, raw, calendar } = monitoredFeatures(recipe, inputs, thresholds.ignored);
	if (features.length === 0)
		throw new DriftError(
			'Every input of this model is left out of monitoring: include at least one in the monitor’s settings.'
		);
	const present = new Set(batch.columns.map((c) => c.name));
	return driftReport(
		withDateParts(reference, recipe),
		withDateParts(batch, recipe),
		features.filter((f) => present.has(raw.get(f)!)),
		thresholds,
		referenceRows,
		calendar
	);
}
