import { DriftwoodError } from '../errors';
import { quantileSelected, sortFloat64 } from '../stats/sort';
import { meanOf } from '../stats/summary';
import type { Column, Table } from '../table/types';
import { datePart } from './dates';
import type { FittedNumeric, FittedRecipe, FittedStep, NumericOptions, RecipeSpec } from './types';

/** A recipe the data cannot support (code `recipe`). */
export class RecipeError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'recipe');
		this.name = 'RecipeError';
	}
}

const OTHER = 'other';

/**
 * Learns a recipe's state from the training rows only (`rows` indexes the table): fill values,
 * clip bounds, scaling, kept categories. The result is plain JSON, the one input of `transform`.
 */
export function fitRecipe(spec: RecipeSpec, table: Table, rows: Int32Array): FittedRecipe {
	const steps: FittedStep[] = [];
	const features: string[] = [];
	for (const step of spec.steps) {
		if (step.kind === 'drop') continue;
		const column = findColumn(table, step.column);
		if (step.kind === 'numeric') {
			const values = gatherNumbers(column, rows, (v) => v);
			const numeric = fitNumeric(values, step.numeric);
			steps.push({ column: step.column, kind: 'numeric', numeric });
			features.push(step.column);
			if (numeric.indicator) features.push(`${step.column} is missing`);
		} else if (step.kind === 'datetime') {
			const parts = step.parts.map((part) => ({
				part,
				numeric: fitNumeric(
					gatherNumbers(column, rows, (v) => datePart(v, part)),
					step.numeric
				)
			}));
			steps.push({ column: step.column, kind: 'datetime', parts });
			for (const p of parts) {
				features.push(`${step.column} ${p.part}`);
				if (p.numeric.indicator) features.push(`${step.column} ${p.part} is missing`);
			}
		} else {
			if (column.storage !== 'coded') {
				throw new RecipeError(
					`"${step.column}" holds numbers: encode it as numeric, or change its type to categorical first.`
				);
			}
			const options = step.categorical;
			const counts = new Float64Array(column.categories.length);
			let missing = 0;
			for (const r of rows) {
				const code = column.codes[r]!;
				if (code < 0) missing++;
				else counts[code]!++;
			}
			const order = Array.from(counts.keys())
				.filter((code) => counts[code]! > 0)
				.sort((a, b) => counts[b]! - counts[a]! || a - b);
			const fill =
				options.impute === 'constant'
					? options.constant
					: order.length
						? column.categories[order[0]!]!
						: null;
			const limit = options.encode === 'onehot' ? Math.max(1, options.maxCategories) : Infinity;
			const kept = order.slice(0, limit).map((code) => column.categories[code]!);
			if (options.impute === 'constant' && missing > 0 && !kept.includes(options.constant))
				kept.push(options.constant);
			const other = order.length > kept.length || options.encode === 'onehot';
			steps.push({
				column: step.column,
				kind: 'categorical',
				categories: kept,
				fill,
				encode: options.encode,
				other
			});
			if (options.encode === 'ordinal') features.push(step.column);
			else {
				for (const c of kept) features.push(`${step.column}=${c}`);
				features.push(`${step.column}=${OTHER}`);
			}
		}
	}
	if (features.length === 0) {
		throw new RecipeError(
			'The recipe keeps no feature: every column is dropped. Keep at least one column besides the target.'
		);
	}
	return { version: 1, target: spec.target, steps, features };
}

/**
 * The recipe for a model that reads missing values itself (the trees): every numeric feature,
 * date parts included, passes a missing value on as NaN, and a categorical column a missing
 * category as a one-hot block with no 1 (ordinal: NaN). Fills and scales stay as fitted (the
 * missing flags too), so the rest of the recipe is unchanged.
 */
export function keepMissing(recipe: FittedRecipe): FittedRecipe {
	const kept = (numeric: FittedNumeric): FittedNumeric => ({ ...numeric, keepMissing: true });
	return {
		...recipe,
		steps: recipe.steps.map((step) =>
			step.kind === 'numeric'
				? { ...step, numeric: kept(step.numeric) }
				: step.kind === 'datetime'
					? { ...step, parts: step.parts.map((p) => ({ ...p, numeric: kept(p.numeric) })) }
					: { ...step, keepMissing: true }
		)
	};
}

function fitNumeric(values: Float64Array, options: NumericOptions): FittedNumeric {
	// Order statistics by selection, not a sort (a recipe is fitted on every fold of a choice or
	// an audit); the mean over the values sorted, as it always was summed.
	const present = values.filter((v) => Number.isFinite(v));
	const n = present.length;
	const median = n ? quantileSelected(present, 0.5) : 0;
	const fill =
		options.impute === 'constant'
			? options.constant
			: !n
				? 0
				: options.impute === 'mean'
					? meanOf(sortFloat64(present))
					: median;
	const clipLower = options.clip && n ? quantileSelected(present, options.clip.lower) : null;
	const clipUpper = options.clip && n ? quantileSelected(present, options.clip.upper) : null;
	// Scaling statistics of the column as the model will see it: filled, then clipped.
	const seen = new Float64Array(values.length);
	for (let i = 0; i < values.length; i++) {
		let v = Number.isFinite(values[i]!) ? values[i]! : fill;
		if (clipLower !== null && v < clipLower) v = clipLower;
		if (clipUpper !== null && v > clipUpper) v = clipUpper;
		seen[i] = v;
	}
	let center = 0;
	let scale = 1;
	if (options.scale === 'standard' && seen.length) {
		center = meanOf(seen);
		let squares = 0;
		for (const v of seen) squares += (v - center) * (v - center);
		scale = Math.sqrt(squares / seen.length);
	} else if (options.scale === 'minmax' && seen.length) {
		let lo = Infinity;
		let hi = -Infinity;
		for (const v of seen) {
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		center = lo;
		scale = hi - lo;
	} else if (options.scale === 'robust' && seen.length) {
		const values = seen.slice();
		center = quantileSelected(values, 0.5);
		scale = quantileSelected(values, 0.75) - quantileSelected(values, 0.25);
	}
	// A constant feature (scale 0) stays at 0 instead of dividing by zero, as sklearn does.
	if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
	return { fill, indicator: options.indicator, clipLower, clipUpper, center, scale };
}

function gatherNumbers(column: Column, rows: Int32Array, map: (v: number) => number): Float64Array {
	if (column.storage !== 'float') {
		throw new RecipeError(
			`"${column.name}" holds text: encode it as categorical, or change its type to numeric first.`
		);
	}
	const out = new Float64Array(rows.length);
	for (let i = 0; i < rows.length; i++) out[i] = map(column.values[rows[i]!]!);
	return out;
}

/** The column named `name`; a recipe error naming it when the table has none. */
export function findColumn(table: Table, name: string): Column {
	const column = table.columns.find((c) => c.name === name);
	if (!column) throw new RecipeError(`The column "${name}" is missing from the data.`);
	return column;
}
