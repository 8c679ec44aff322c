import type { CodedColumn, Column, Table } from '../table/types';
import { correlationRatio, cramersV } from './association';
import { correlationMatrix, pearson } from './correlation';
import { countDuplicateRows } from './duplicates';
import { calendarOf } from './calendar';
import { computeHistogram } from './histogram';
import { summarizeNumbers } from '../stats/summary';
import type { Association, ColumnProfile, TableProfile } from './types';
import { findWarnings } from './warnings';

/** Categories listed per column; the rest are summed as the remainder. */
export const TOP_CATEGORIES = 12;
/** The correlation matrix covers at most this many numeric columns. */
export const MAX_CORRELATION_COLUMNS = 30;

/**
 * Profiles a table: per-column statistics and charts' data, the numeric correlation matrix, each
 * feature's association with the target, and quality warnings. Pure: same table, same profile.
 */
export function profileTable(table: Table, target: string | null = null): TableProfile {
	const targetColumn = table.columns.find((c) => c.name === target) ?? null;
	const columns = table.columns.map((column) => {
		const profile = profileColumn(column);
		if (targetColumn && column !== targetColumn) {
			profile.association = associate(column, targetColumn);
		}
		return profile;
	});
	const numeric = table.columns
		.filter(
			(c): c is Extract<Column, { storage: 'float' }> =>
				c.storage === 'float' && c.type === 'numeric'
		)
		.slice(0, MAX_CORRELATION_COLUMNS);
	const correlation = correlationMatrix(
		numeric.map((c) => c.name),
		numeric.map((c) => c.values)
	);
	const duplicateRows = countDuplicateRows(table);
	return {
		rowCount: table.rowCount,
		target: targetColumn ? targetColumn.name : null,
		columns,
		correlation,
		duplicateRows,
		warnings: findWarnings(columns, table.rowCount, duplicateRows, targetColumn?.name ?? null)
	};
}

/** Statistics of one column. Coded columns get counts per category; float ones moments too. */
export function profileColumn(column: Column): ColumnProfile {
	if (column.storage === 'float') {
		const { sorted, ...summary } = summarizeNumbers(column.values);
		return {
			name: column.name,
			type: column.type,
			...summary,
			top: [],
			// Dates get bins on a time axis, never one bar per epoch millisecond.
			histogram: computeHistogram(sorted, column.type !== 'datetime'),
			association: null,
			...(column.type === 'datetime' ? { calendar: calendarOf(sorted) } : {})
		};
	}
	const { counts, missing } = countCodes(column);
	let unique = 0;
	for (const c of counts) if (c > 0) unique++;
	const order = Array.from(counts.keys())
		.filter((code) => counts[code]! > 0)
		.sort((a, b) => counts[b]! - counts[a]! || a - b);
	return {
		name: column.name,
		type: column.type,
		count: column.codes.length - missing,
		missing,
		unique,
		mean: null,
		std: null,
		min: null,
		p25: null,
		p50: null,
		p75: null,
		max: null,
		top: order.slice(0, TOP_CATEGORIES).map((code) => ({
			value: column.categories[code]!,
			count: counts[code]!
		})),
		histogram: null,
		association: null
	};
}

function countCodes(column: CodedColumn): { counts: Int32Array; missing: number } {
	const counts = new Int32Array(column.categories.length);
	let missing = 0;
	for (const code of column.codes) {
		if (code < 0) missing++;
		else counts[code]!++;
	}
	return { counts, missing };
}

/** Free text and identifiers would associate with anything: they are not ranked. */
function isRankable(column: Column): boolean {
	return column.type !== 'text' && column.type !== 'id';
}

function associate(feature: Column, target: Column): Association | null {
	if (!isRankable(feature)) return null;
	let value: number | null;
	let measure: Association['measure'];
	if (feature.storage === 'float' && target.storage === 'float') {
		const r = pearson(feature.values, target.values);
		value = r === null ? null : Math.abs(r);
		measure = 'pearson';
	} else if (feature.storage === 'coded' && target.storage === 'coded') {
		value = cramersV(
			feature.codes,
			target.codes,
			feature.categories.length,
			target.categories.length
		);
		measure = 'cramers_v';
	} else {
		const numeric =
			feature.storage === 'float' ? feature : (target as Extract<Column, { storage: 'float' }>);
		const groups = feature.storage === 'coded' ? feature : (target as CodedColumn);
		value = correlationRatio(numeric.values, groups.codes, groups.categories.length);
		measure = 'eta';
	}
	return value === null ? null : { measure, value };
}
