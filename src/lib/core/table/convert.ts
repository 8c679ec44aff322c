import { formatDateTime, parseDateTime } from './datetime';
import type { CodedColumn, Column, ColumnType, FloatColumn } from './types';

/** The result of changing a column's type: the new column and how many values did not fit. */
export type Conversion =
	{ ok: true; column: Column; lost: number } | { ok: false; message: string };

const FLOAT_TYPES: ReadonlySet<ColumnType> = new Set(['numeric', 'datetime']);

/**
 * Changes a column's type, the user's override of inference. Values that do not fit the new
 * type become missing and are counted in `lost`, so the UI can say what the change cost.
 */
export function convertColumn(column: Column, type: ColumnType): Conversion {
	if (column.type === type) return { ok: true, column, lost: 0 };
	if (type === 'id') return { ok: true, column: { ...column, type }, lost: 0 };
	if (FLOAT_TYPES.has(type)) return toFloat(column, type);
	const coded = column.storage === 'coded' ? column : floatToCoded(column);
	if (type === 'boolean') {
		const present = new Set<number>();
		for (const code of coded.codes) if (code >= 0) present.add(code);
		if (present.size > 2) {
			return {
				ok: false,
				message: `"${column.name}" has ${present.size} different values; a boolean column has at most two.`
			};
		}
	}
	return { ok: true, column: { ...coded, type }, lost: 0 };
}

function toFloat(column: Column, type: ColumnType): Conversion {
	if (column.storage === 'float') {
		if (type === 'datetime' && column.type === 'numeric') return numbersToDates(column);
		return { ok: true, column: { ...column, type }, lost: 0 };
	}
	const parse = type === 'datetime' ? parseDateTime : parseLooseNumber;
	const lookup = column.categories.map(parse);
	const values = new Float64Array(column.codes.length);
	let lost = 0;
	column.codes.forEach((code, i) => {
		const v = code < 0 ? NaN : lookup[code]!;
		if (code >= 0 && Number.isNaN(v)) lost++;
		values[i] = v;
	});
	return { ok: true, column: { storage: 'float', name: column.name, type, values }, lost };
}

/** Integers between 1000 and 3000 are years; other numbers are epoch milliseconds. */
function numbersToDates(column: FloatColumn): Conversion {
	let years = true;
	for (const v of column.values) {
		if (!Number.isNaN(v) && !(Number.isInteger(v) && v >= 1000 && v <= 3000)) {
			years = false;
			break;
		}
	}
	const values = years
		? column.values.map((v) => (Number.isNaN(v) ? NaN : Date.UTC(v, 0, 1)))
		: column.values.slice();
	return { ok: true, column: { ...column, type: 'datetime', values }, lost: 0 };
}

/** An explicit "this is a number" accepts `007` and decimal commas, unlike inference. */
function parseLooseNumber(text: string): number {
	const trimmed = text.trim();
	if (trimmed === '') return NaN;
	const value = Number(trimmed);
	if (!Number.isNaN(value)) return value;
	return /^[-+]?\d*,\d+$/.test(trimmed) ? Number(trimmed.replace(',', '.')) : NaN;
}

/** Numbers or instants as dictionary-coded text (`1.5`, `2024-03-01`). */
export function floatToCoded(column: FloatColumn): CodedColumn {
	const format = column.type === 'datetime' ? formatDateTime : String;
	const dictionary = new Map<string, number>();
	const categories: string[] = [];
	const codes = new Int32Array(column.values.length);
	column.values.forEach((v, i) => {
		if (Number.isNaN(v)) {
			codes[i] = -1;
			return;
		}
		const text = format(v);
		let code = dictionary.get(text);
		if (code === undefined) {
			code = categories.length;
			dictionary.set(text, code);
			categories.push(text);
		}
		codes[i] = code;
	});
	return { storage: 'coded', name: column.name, type: 'categorical', codes, categories };
}

/**
 * Why a column with `unique` distinct values cannot become `type`, or null when it can. Checked
 * on the page before the table is handed to the worker.
 */
export function conversionProblem(name: string, unique: number, type: ColumnType): string | null {
	if (type === 'boolean' && unique > 2) {
		return `"${name}" has ${unique} different values; a boolean column has at most two.`;
	}
	return null;
}
