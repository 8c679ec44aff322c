import { countDistinctSorted, sortFloat64 } from '../stats/sort';
import { parseDateTime } from './datetime';
import type { CodedColumn, Column, FloatColumn } from './types';

const TRUE_WORDS = new Set(['true', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n']);
const ID_NAME = /(^|[^a-z])(id|uuid|guid|key)$|^(id|uuid|guid)[^a-z]/i;
/** Few distinct values relative to rows: a categorical; many: free text. */
const TEXT_MIN_LEVELS = 50;
const TEXT_MIN_UNIQUE_SHARE = 0.5;
const ID_MIN_ROWS = 20;

/**
 * Gives a freshly read column its type: numeric / categorical / boolean / datetime / text /
 * id-like. Numbers were already kept apart from codes (`007`) and ids past 2^53 by the reader.
 */
export function inferColumnType(column: Column): Column {
	return column.storage === 'float' ? inferFloat(column) : inferCoded(column);
}

function inferFloat(column: FloatColumn): Column {
	if (!ID_NAME.test(column.name)) return { ...column, type: 'numeric' };
	const present = column.values.filter((v) => !Number.isNaN(v));
	if (present.length >= ID_MIN_ROWS && present.every(Number.isInteger)) {
		if (countDistinctSorted(sortFloat64(present)) === present.length)
			return { ...column, type: 'id' };
	}
	return { ...column, type: 'numeric' };
}

function inferCoded(column: CodedColumn): Column {
	const { codes, categories } = column;
	const levels = categories.length;
	let present = 0;
	for (const code of codes) if (code >= 0) present++;
	if (present === 0) return { ...column, type: 'categorical' };

	const booleans = asBoolean(column);
	if (booleans) return booleans;

	const dates = categories.map(parseDateTime);
	if (dates.every((t) => !Number.isNaN(t))) {
		const values = new Float64Array(codes.length);
		codes.forEach((code, i) => (values[i] = code < 0 ? NaN : dates[code]!));
		return { storage: 'float', name: column.name, type: 'datetime', values };
	}

	const uniqueShare = levels / present;
	if (present >= ID_MIN_ROWS && levels === present) {
		const spaced = categories.some((c) => /\s/.test(c));
		if (ID_NAME.test(column.name) || !spaced) return { ...column, type: 'id' };
	}
	if (levels > TEXT_MIN_LEVELS && uniqueShare > TEXT_MIN_UNIQUE_SHARE) {
		return { ...column, type: 'text' };
	}
	return { ...column, type: 'categorical' };
}

/** Two words of a yes/no pair: recoded so that false = 0, true = 1. */
function asBoolean(column: CodedColumn): Column | null {
	const { categories } = column;
	if (categories.length !== 2) return null;
	const lower = categories.map((c) => c.trim().toLowerCase());
	const falseAt = lower.findIndex((c) => FALSE_WORDS.has(c));
	const trueAt = lower.findIndex((c) => TRUE_WORDS.has(c));
	if (falseAt < 0 || trueAt < 0) return null;
	if (falseAt === 0) return { ...column, type: 'boolean' };
	// Put the false word first so that code 1 means true.
	const codes = column.codes.map((c) => (c < 0 ? -1 : 1 - c));
	return { ...column, type: 'boolean', codes, categories: [categories[1]!, categories[0]!] };
}
