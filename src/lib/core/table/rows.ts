import { DriftwoodError } from '../errors';
import type { Column, Table } from './types';

/** Some rows of some columns, as a new table (codes keep their categories). */
export function takeRows(table: Table, rows: Int32Array, names: string[]): Table {
	const columns = names.map((name): Column => {
		const column = table.columns.find((c) => c.name === name);
		if (!column) throw new DriftwoodError(`The table has no column "${name}".`, 'schema');
		if (column.storage === 'float') {
			const values = new Float64Array(rows.length);
			for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]!]!;
			return { ...column, values };
		}
		const codes = new Int32Array(rows.length);
		for (let i = 0; i < rows.length; i++) codes[i] = column.codes[rows[i]!]!;
		return { ...column, codes };
	});
	return { rowCount: rows.length, columns };
}
