import type { Column, Table } from '../core/table/types';
import type { StoredColumn, StoredTable } from './types';

/** A table as stored: every column's buffer as a plain ArrayBuffer of its own. */
export function toStoredTable(id: string, table: Table): StoredTable {
	return {
		id,
		rowCount: table.rowCount,
		columns: table.columns.map(toStoredColumn)
	};
}

function toStoredColumn(column: Column): StoredColumn {
	const array = column.storage === 'float' ? column.values : column.codes;
	const whole = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
	const buffer = (whole ? array.buffer : array.slice().buffer) as ArrayBuffer;
	return {
		name: column.name,
		type: column.type,
		storage: column.storage,
		buffer,
		categories: column.storage === 'coded' ? column.categories : null
	};
}

/** The typed-array table back from storage (views over the stored buffers, no copy). */
export function fromStoredTable(stored: StoredTable): Table {
	return {
		rowCount: stored.rowCount,
		columns: stored.columns.map((c): Column =>
			c.storage === 'float'
				? { storage: 'float', name: c.name, type: c.type, values: new Float64Array(c.buffer) }
				: {
						storage: 'coded',
						name: c.name,
						type: c.type,
						codes: new Int32Array(c.buffer),
						categories: c.categories ?? []
					}
		)
	};
}
