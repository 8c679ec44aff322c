import { formatDateTime } from '../table/datetime';
import type { Table } from '../table/types';
import type { SchemaColumnSpec } from './manifest';

/** A value of a row outside the range its column had in the training rows. */
export interface RangeNote {
	column: string;
	value: number;
	range: [number, number];
	side: 'below' | 'above';
	/** How far outside, in widths of the training range (0.5: half the range beyond its end). */
	spans: number;
	/** The note in words, for the page. */
	text: string;
}

/** Beyond this many range widths a value is "far" outside. */
const FAR = 0.1;

/**
 * The numeric and datetime values of row `row` (of a table already fitted to the schema) that lie
 * outside their training range, with how far: there the model extrapolates (trees hold their last
 * leaf, linear models keep going), so its answer deserves less trust.
 */
export function outsideTrainingRange(
	schema: readonly SchemaColumnSpec[],
	table: Table,
	row: number
): RangeNote[] {
	const notes: RangeNote[] = [];
	for (const spec of schema) {
		if (!spec.range || (spec.type !== 'numeric' && spec.type !== 'datetime')) continue;
		const column = table.columns.find((c) => c.name === spec.name);
		if (!column || column.storage !== 'float') continue;
		const value = column.values[row]!;
		const [lo, hi] = spec.range;
		if (!Number.isFinite(value) || (value >= lo && value <= hi)) continue;
		const side = value < lo ? 'below' : 'above';
		const width = hi - lo;
		const spans = width > 0 ? (side === 'below' ? lo - value : value - hi) / width : Infinity;
		const show = (v: number) =>
			spec.type === 'datetime' ? formatDateTime(v) : String(Number(v.toPrecision(6)));
		const how = spans > FAR ? 'far ' : '';
		notes.push({
			column: spec.name,
			value,
			range: [lo, hi],
			side,
			spans,
			text: `${spec.name} ${show(value)} is ${how}${side} the training range ${show(lo)} … ${show(hi)}${Number.isFinite(spans) && spans > FAR ? ` (${spans.toFixed(1)}× its width beyond)` : ''}: the model extrapolates here.`
		});
	}
	return notes;
}
