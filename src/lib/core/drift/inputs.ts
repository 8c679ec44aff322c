import { datePart } from '../recipe/dates';
import type { DatePart, FittedRecipe } from '../recipe/types';
import type { Column, Table } from '../table/types';

const PART_NAMES: Record<DatePart, string> = {
	year: 'year',
	month: 'month',
	weekday: 'weekday',
	dayofyear: 'day of year',
	hour: 'hour'
};

/** The name a date part is monitored under: `Date (month)`. */
export function partName(column: string, part: DatePart): string {
	return `${column} (${PART_NAMES[part]})`;
}

/**
 * The features a monitor compares, as the model reads them: a date column through the calendar
 * parts its recipe derives (month, weekday, …; the year only when the recipe has the trend),
 * never as the raw instant — every later batch would lie "100 % out of range" in a column the
 * model never sees. Other inputs as they are; `ignored` ones (the user's choice) not at all.
 * `raw` maps each feature back to the input column it comes from.
 */
export function monitoredFeatures(
	recipe: Pick<FittedRecipe, 'steps'>,
	inputs: readonly string[],
	ignored: readonly string[] = []
): { features: string[]; raw: Map<string, string> } {
	const parts = dateParts(recipe);
	const skip = new Set(ignored);
	const features: string[] = [];
	const raw = new Map<string, string>();
	for (const name of inputs) {
		if (skip.has(name)) continue;
		const derived = parts.get(name);
		const names = derived ? derived.map((p) => partName(name, p)) : [name];
		for (const n of names) {
			features.push(n);
			raw.set(n, name);
		}
	}
	return { features, raw };
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
