import { formatDateTime } from './datetime';
import type { Column, Table } from './types';

/** The text a user sees for row `row` of `column` ('' when missing). */
export function columnValueText(column: Column, row: number): string {
	if (column.storage === 'coded') {
		const code = column.codes[row]!;
		return code < 0 ? '' : column.categories[code]!;
	}
	const v = column.values[row]!;
	if (Number.isNaN(v)) return '';
	return column.type === 'datetime' ? formatDateTime(v) : String(v);
}

/** A column's number of rows, whatever its storage. */
export function columnLength(column: Column): number {
	return column.storage === 'float' ? column.values.length : column.codes.length;
}

/** Every buffer of a table, to hand to `postMessage`'s transfer list. */
export function tableBuffers(table: Table): ArrayBuffer[] {
	return table.columns.map(
		(c) => (c.storage === 'float' ? c.values.buffer : c.codes.buffer) as ArrayBuffer
	);
}
