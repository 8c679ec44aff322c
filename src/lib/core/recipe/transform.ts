import { formatDateTime } from '../table/datetime';
import type { Column, Table } from '../table/types';
import { datePart } from './dates';
import { findColumn } from './fit';
import type { FittedNumeric, FittedRecipe, OneHotGroup } from './types';

/**
 * Turns rows of a table into the model's input matrix (row-major Float32Array, n × features)
 * with a fitted recipe. The ONE implementation: the studio, the bundle runtime and the tests all
 * call it. Missing values, NaN and ±Infinity get the fitted fill (or stay missing where the recipe
 * keeps them missing, for the trees: NaN, or a one-hot block with no 1); unseen categories go to
 * "other";
 * a missing column is an error that names it.
 */
export function transformTable(
	recipe: FittedRecipe,
	table: Table,
	rows?: Int32Array
): Float32Array {
	const n = rows ? rows.length : table.rowCount;
	const width = recipe.features.length;
	const out = new Float32Array(n * width);
	const rowAt = rows ? (i: number) => rows[i]! : (i: number) => i;
	let offset = 0;
	for (const step of recipe.steps) {
		const column = findColumn(table, step.column);
		if (step.kind === 'numeric') {
			offset = writeNumeric(out, width, offset, n, step.numeric, (i) => numberAt(column, rowAt(i)));
		} else if (step.kind === 'datetime') {
			for (const part of step.parts) {
				offset = writeNumeric(out, width, offset, n, part.numeric, (i) =>
					datePart(numberAt(column, rowAt(i)), part.part)
				);
			}
		} else {
			const index = new Map(step.categories.map((c, i) => [c, i]));
			const lookup = codeLookup(column, index);
			const fillIndex = step.fill === null ? -1 : (index.get(step.fill) ?? -1);
			const otherIndex = step.categories.length;
			for (let i = 0; i < n; i++) {
				let k = lookup(rowAt(i));
				if (k === MISSING && step.keepMissing) {
					if (step.encode === 'ordinal') out[i * width + offset] = NaN;
					continue;
				}
				if (k === MISSING) k = fillIndex >= 0 ? fillIndex : otherIndex;
				else if (k === UNSEEN) k = otherIndex;
				if (step.encode === 'ordinal') out[i * width + offset] = k;
				else out[i * width + offset + k] = 1;
			}
			offset += step.encode === 'ordinal' ? 1 : step.categories.length + 1;
		}
	}
	return out;
}

const MISSING = -1;
const UNSEEN = -2;

/** Maps a row to the kept category's index, MISSING or UNSEEN, whatever the column's storage. */
function codeLookup(column: Column, index: Map<string, number>): (row: number) => number {
	if (column.storage === 'coded') {
		const byCode = Int32Array.from(column.categories, (c) => index.get(c) ?? UNSEEN);
		return (row) => {
			const code = column.codes[row]!;
			return code < 0 ? MISSING : byCode[code]!;
		};
	}
	const format = column.type === 'datetime' ? formatDateTime : String;
	return (row) => {
		const v = column.values[row]!;
		return Number.isNaN(v) ? MISSING : (index.get(format(v)) ?? UNSEEN);
	};
}

function numberAt(column: Column, row: number): number {
	if (column.storage === 'float') return column.values[row]!;
	const code = column.codes[row]!;
	return code < 0 ? NaN : Number(column.categories[code]);
}

function writeNumeric(
	out: Float32Array,
	width: number,
	offset: number,
	n: number,
	fitted: FittedNumeric,
	valueAt: (i: number) => number
): number {
	for (let i = 0; i < n; i++) {
		const raw = valueAt(i);
		const missing = !Number.isFinite(raw);
		let v = missing ? fitted.fill : raw;
		if (fitted.clipLower !== null && v < fitted.clipLower) v = fitted.clipLower;
		if (fitted.clipUpper !== null && v > fitted.clipUpper) v = fitted.clipUpper;
		out[i * width + offset] =
			missing && fitted.keepMissing ? NaN : (v - fitted.center) / fitted.scale;
		if (fitted.indicator) out[i * width + offset + 1] = missing ? 1 : 0;
	}
	return offset + (fitted.indicator ? 2 : 1);
}

/** The one-hot blocks of the matrix: per one-hot categorical step, its columns (at most one 1). */
export function oneHotGroups(recipe: FittedRecipe): OneHotGroup[] {
	const columns = featureColumns(recipe);
	const groups: OneHotGroup[] = [];
	for (const step of recipe.steps) {
		if (step.kind !== 'categorical' || step.encode !== 'onehot') continue;
		groups.push({ start: columns.indexOf(step.column), width: step.categories.length + 1 });
	}
	return groups;
}

/** The input column behind each feature of the matrix, in the matrix's order. */
export function featureColumns(recipe: FittedRecipe): string[] {
	const out: string[] = [];
	for (const step of recipe.steps) {
		const width =
			step.kind === 'numeric'
				? step.numeric.indicator
					? 2
					: 1
				: step.kind === 'datetime'
					? step.parts.reduce((n, p) => n + (p.numeric.indicator ? 2 : 1), 0)
					: step.encode === 'ordinal'
						? 1
						: step.categories.length + 1;
		for (let i = 0; i < width; i++) out.push(step.column);
	}
	return out;
}
