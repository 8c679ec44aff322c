// Small builders shared by the unit tests: columns from plain values, and the plain CSV dialect.
import type { CodedColumn, Dialect, FloatColumn } from '../../src/lib/core/table/types';

/** A dictionary-coded column from strings (null = missing), categories in order of appearance. */
export function coded(name: string, values: (string | null)[]): CodedColumn {
	const categories = Array.from(new Set(values.filter((v): v is string => v !== null)));
	return {
		storage: 'coded',
		name,
		type: 'categorical',
		categories,
		codes: Int32Array.from(values, (v) => (v === null ? -1 : categories.indexOf(v)))
	};
}

/** A numeric column (NaN = missing). */
export function numeric(name: string, values: number[]): FloatColumn {
	return { storage: 'float', name, type: 'numeric', values: Float64Array.from(values) };
}

/** Comma-separated, quoted with ", a header row, UTF-8: what most files are. */
export const CSV_DIALECT: Dialect = {
	format: 'csv',
	delimiter: ',',
	quote: '"',
	header: true,
	lineEnding: 'lf',
	bom: false,
	decimal: '.',
	encoding: 'utf-8'
};
