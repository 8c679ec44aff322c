import { tableFromIPC, Type } from '@uwdata/flechette';
import { errorMessage } from '../errors';
import { ColumnBuilder } from './builder';
import { inferColumnType } from './infer';
import type { ReadProgress } from './read';
import { InputError, type Column, type ParseReport, type Table } from './types';

/** Arrow IPC is decoded whole (its footer indexes the batches): a ceiling for the tab's memory. */
export const MAX_ARROW_BYTES = 1024 * 1024 * 1024;

/** How an Arrow read reports progress and is cancelled. */
export interface ArrowOptions {
	onProgress?: (progress: ReadProgress) => void;
	isCancelled?: () => boolean;
}

/**
 * Reads Arrow IPC bytes (decoded by flechette) into typed columns, column by column and record
 * batch by record batch: numbers stay numbers (64-bit integers past 2^53 become text, as in the
 * other readers), dates and timestamps become instants, strings and dictionaries categories,
 * booleans words. Nested columns (lists, structs, maps) are refused by name.
 */
export function readArrowTable(
	bytes: Uint8Array,
	options: ArrowOptions = {}
): { table: Table; report: ParseReport } {
	let decoded;
	try {
		decoded = tableFromIPC(bytes, { useBigInt: true });
	} catch (error) {
		throw new InputError(
			`This Arrow file cannot be read (${errorMessage(error)}). Export it again as an uncompressed Arrow IPC (Feather v2) file, or as Parquet.`,
			'arrow'
		);
	}
	const rowCount = decoded.numRows;
	if (decoded.numCols === 0)
		throw new InputError('The Arrow file has no columns to import.', 'no-columns');
	if (rowCount === 0)
		throw new InputError('The Arrow file has no rows: there is nothing to import.', 'empty');
	const columns: Column[] = [];
	decoded.schema.fields.forEach((field, index) => {
		if (options.isCancelled?.())
			throw new InputError('Import cancelled. Nothing was saved.', 'cancelled');
		const child = decoded.getChildAt(index);
		const typeId = valueType(field.type);
		if (NESTED.has(typeId))
			throw new InputError(
				`The Arrow column "${field.name}" holds nested values (lists, structs or maps), which Driftwood does not import. Flatten it, or drop it, and export again.`,
				'arrow'
			);
		const instants = typeId === Type.Date || typeId === Type.Timestamp;
		if (instants) {
			const values = new Float64Array(rowCount);
			for (let i = 0; i < rowCount; i++) values[i] = toNumber(child.at(i));
			columns.push({ storage: 'float', name: field.name, type: 'datetime', values });
		} else {
			const builder = new ColumnBuilder(field.name, 46, rowCount);
			for (let i = 0; i < rowCount; i++) add(builder, child.at(i));
			columns.push(inferColumnType(builder.finish()));
		}
		options.onProgress?.({
			bytes: Math.round((bytes.length * (index + 1)) / decoded.numCols),
			totalBytes: bytes.length,
			rows: rowCount
		});
	});
	return {
		table: { rowCount, columns },
		report: {
			rows: rowCount,
			bytes: bytes.length,
			raggedLines: [],
			raggedCount: 0,
			renamed: [],
			blankLines: 0
		}
	};
}

const NESTED = new Set<number>([
	Type.List,
	Type.LargeList,
	Type.FixedSizeList,
	Type.Struct,
	Type.Map,
	Type.Union,
	Type.ListView,
	Type.LargeListView
]);

/** A dictionary column is read as its values' type. */
function valueType(type: { typeId: number; dictionary?: { typeId: number } }): number {
	return type.typeId === Type.Dictionary && type.dictionary ? type.dictionary.typeId : type.typeId;
}

function add(builder: ColumnBuilder, value: unknown): void {
	if (value === null || value === undefined) builder.addMissing();
	else if (typeof value === 'number') builder.addNumber(value);
	else if (typeof value === 'bigint') {
		// int64 past 2^53 has no exact double: the column becomes text, as in the other readers.
		if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER))
			builder.addNumber(Number(value));
		else builder.addString(value.toString());
	} else if (typeof value === 'string') builder.addString(value);
	else if (typeof value === 'boolean') builder.addString(String(value));
	else if (value instanceof Uint8Array)
		builder.addString(Array.from(value, (b) => b.toString(16).padStart(2, '0')).join(''));
	else builder.addString(String(value));
}

function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	if (value instanceof Date) return value.getTime();
	return NaN;
}
