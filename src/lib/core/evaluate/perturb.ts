import { gaussian, seededRandom, shuffleInPlace } from '../stats/random';
import type { Column, Table } from '../table/types';

/** Shuffles per column for permutation importance (each a seeded permutation of the test rows). */
export const PERMUTATION_REPEATS = 3;

/**
 * The rows `rows` of a table as a new table, with some columns perturbed: the raw data a model
 * would see under noise or missing values. Columns not listed are copied untouched.
 */
export function gatherRows(
	table: Table,
	rows: Int32Array,
	change?: (column: Column, copy: Column) => void
): Table {
	return {
		rowCount: rows.length,
		columns: table.columns.map((column) => {
			const copy: Column =
				column.storage === 'float'
					? { ...column, values: Float64Array.from(rows, (r) => column.values[r]!) }
					: { ...column, codes: Int32Array.from(rows, (r) => column.codes[r]!) };
			change?.(column, copy);
			return copy;
		})
	};
}

/** Gaussian noise of `level` × each listed numeric column's `std` (keyed by column name). */
export function withNoise(
	table: Table,
	rows: Int32Array,
	stds: Map<string, number>,
	level: number,
	seed: number
): Table {
	const random = seededRandom(seed);
	return gatherRows(table, rows, (_, copy) => {
		const std = stds.get(copy.name);
		if (copy.storage !== 'float' || std === undefined) return;
		for (let i = 0; i < copy.values.length; i++) copy.values[i]! += level * std * gaussian(random);
	});
}

/** Each cell of the listed columns set missing with probability `share`. */
export function withMissing(
	table: Table,
	rows: Int32Array,
	columns: Set<string>,
	share: number,
	seed: number
): Table {
	const random = seededRandom(seed);
	return gatherRows(table, rows, (_, copy) => {
		if (!columns.has(copy.name)) return;
		if (copy.storage === 'float') {
			for (let i = 0; i < copy.values.length; i++) if (random() < share) copy.values[i] = NaN;
		} else {
			for (let i = 0; i < copy.codes.length; i++) if (random() < share) copy.codes[i] = -1;
		}
	});
}

/** The rows with one column's values shuffled among them (permutation importance). */
export function withPermuted(table: Table, rows: Int32Array, column: string, seed: number): Table {
	const random = seededRandom(seed);
	return gatherRows(table, rows, (_, copy) => {
		if (copy.name !== column) return;
		if (copy.storage === 'float') shuffleInPlace(copy.values, random);
		else shuffleInPlace(copy.codes, random);
	});
}
