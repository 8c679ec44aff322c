import { errorMessage } from '../errors';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ColumnBuilder } from './builder';
import { inferColumnType } from './infer';
import { InputError, type Column, type ParseReport, type Table } from './types';

export type { AsyncBuffer };

/** How far a Parquet read is: row groups and rows. */
export interface ParquetProgress {
	bytes: number;
	totalBytes: number;
	rows: number;
}

/** What a Parquet read reports to and how it is stopped. */
export interface ParquetOptions {
	onProgress?: (progress: ParquetProgress) => void;
	isCancelled?: () => boolean;
}

/** A leaf of the Parquet schema, read into one column named by its path (`a.b` inside a struct). */
interface Leaf {
	name: string;
	/** The top-level column hyparquet assembles, and the path inside its struct values. */
	top: string;
	path: string[];
	datetime: boolean;
}

/**
 * Reads a Parquet file (hyparquet, all codecs) row group by row group into the same typed columns
 * as the CSV reader: numbers as numbers, int64 beyond 2^53 kept as text (never rounded), dates and
 * timestamps as datetime, strings (dictionary pages included) as categories or text. Struct columns
 * are flattened (`address.city`); list and map columns are refused by name.
 */
export async function readParquetTable(
	file: AsyncBuffer,
	options: ParquetOptions = {}
): Promise<{ table: Table; report: ParseReport }> {
	const metadata = await readMetadata(file);
	const leaves = schemaLeaves(parquetSchema(metadata));
	if (leaves.length === 0)
		throw new InputError('The Parquet file has no columns to import.', 'no-columns');
	const rowCount = Number(metadata.num_rows);
	if (rowCount === 0)
		throw new InputError('The Parquet file has no rows: there is nothing to import.', 'empty');
	const builders = leaves.map((leaf) => new LeafBuilder(leaf, rowCount));
	const tops = [...new Set(leaves.map((l) => l.top))];
	let rowStart = 0;
	let bytes = 0;
	for (const group of metadata.row_groups) {
		if (options.isCancelled?.())
			throw new InputError('Import cancelled. Nothing was saved.', 'cancelled');
		const rowEnd = rowStart + Number(group.num_rows);
		const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
		try {
			await parquetRead({
				file,
				metadata,
				rowStart,
				rowEnd,
				columns: tops,
				compressors,
				onChunk(chunk) {
					const list = chunks.get(chunk.columnName) ?? [];
					list.push({ rowStart: chunk.rowStart, data: chunk.columnData });
					chunks.set(chunk.columnName, list);
				}
			});
		} catch (error) {
			throw damaged(error);
		}
		for (const builder of builders) {
			const parts = (chunks.get(builder.leaf.top) ?? []).sort((a, b) => a.rowStart - b.rowStart);
			// Chunks may hold rows outside the group: take each row of [rowStart, rowEnd) once.
			let next = rowStart;
			for (const part of parts) {
				const from = Math.max(next, part.rowStart);
				const to = Math.min(rowEnd, part.rowStart + part.data.length);
				for (let r = from; r < to; r++) builder.add(part.data[r - part.rowStart]);
				next = Math.max(next, to);
			}
			if (next !== rowEnd) {
				throw new InputError(
					`The Parquet file is damaged: column "${builder.leaf.name}" has ${next - rowStart} of the ${rowEnd - rowStart} rows its row group declares. Export it again.`,
					'parquet'
				);
			}
		}
		rowStart = rowEnd;
		bytes += Number(group.total_compressed_size ?? group.total_byte_size);
		options.onProgress?.({ bytes, totalBytes: file.byteLength, rows: rowStart });
	}
	const columns = builders.map((b) => b.finish());
	return {
		table: { rowCount, columns },
		report: {
			rows: rowCount,
			bytes: file.byteLength,
			raggedLines: [],
			raggedCount: 0,
			renamed: [],
			blankLines: 0
		}
	};
}

/** A Blob or File as hyparquet's random-access buffer (reads only the byte ranges it needs). */
export function asyncBufferOfBlob(blob: Blob): AsyncBuffer {
	return {
		byteLength: blob.size,
		slice: (start, end) => blob.slice(start, end).arrayBuffer()
	};
}

async function readMetadata(file: AsyncBuffer): Promise<FileMetaData> {
	try {
		return await parquetMetadataAsync(file);
	} catch (error) {
		throw damaged(error);
	}
}

function damaged(error: unknown): InputError {
	if (error instanceof InputError) return error;
	const detail = errorMessage(error);
	return new InputError(
		`This Parquet file cannot be read (${detail}): it is truncated or damaged. Export or download it again.`,
		'parquet'
	);
}

/** The leaves of the schema; structs flattened, lists and maps refused by name. */
function schemaLeaves(root: SchemaTree): Leaf[] {
	const leaves: Leaf[] = [];
	const walk = (node: SchemaTree, top: string, path: string[]) => {
		const { element } = node;
		const converted = element.converted_type;
		const logical = element.logical_type?.type;
		const repeated = element.repetition_type === 'REPEATED';
		if (
			repeated ||
			converted === 'LIST' ||
			converted === 'MAP' ||
			converted === 'MAP_KEY_VALUE' ||
			logical === 'LIST' ||
			logical === 'MAP'
		) {
			const name = [top, ...path].filter(Boolean).join('.');
			throw new InputError(
				`The Parquet column "${name}" is a list or a map: Driftwood reads flat tables. Flatten or drop that column (for example with pandas: df.drop(columns=["${name}"])) and import again.`,
				'parquet'
			);
		}
		if (node.children.length) {
			for (const child of node.children) walk(child, top, [...path, child.element.name]);
			return;
		}
		const datetime =
			converted === 'DATE' ||
			converted === 'TIMESTAMP_MILLIS' ||
			converted === 'TIMESTAMP_MICROS' ||
			logical === 'DATE' ||
			logical === 'TIMESTAMP' ||
			element.type === 'INT96';
		leaves.push({ name: [top, ...path].join('.'), top, path, datetime });
	};
	for (const child of root.children) walk(child, child.element.name, []);
	return leaves;
}

/** Collects one leaf's values: datetime as epoch ms, the rest through the CSV reader's builder. */
class LeafBuilder {
	private readonly builder: ColumnBuilder;
	private readonly instants: Float64Array | null;
	private length = 0;

	constructor(
		readonly leaf: Leaf,
		rows: number
	) {
		this.builder = new ColumnBuilder(leaf.name, 46, leaf.datetime ? 16 : rows);
		this.instants = leaf.datetime ? new Float64Array(rows) : null;
	}

	add(raw: unknown): void {
		let value = raw;
		for (const key of this.leaf.path) {
			value =
				value !== null && typeof value === 'object'
					? (value as Record<string, unknown>)[key]
					: undefined;
		}
		if (this.instants) {
			this.instants[this.length++] = value instanceof Date ? value.getTime() : toNumber(value);
			return;
		}
		this.length++;
		if (value === null || value === undefined) this.builder.addMissing();
		else if (typeof value === 'number') this.builder.addNumber(value);
		else if (typeof value === 'bigint') {
			// int64 past 2^53 has no exact double: the column becomes text, as in the CSV reader.
			if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER))
				this.builder.addNumber(Number(value));
			else this.builder.addString(value.toString());
		} else if (typeof value === 'boolean') this.builder.addString(String(value));
		else if (typeof value === 'string') this.builder.addString(value);
		else if (value instanceof Date) this.builder.addNumber(value.getTime());
		else if (value instanceof Uint8Array) this.builder.addString(hex(value));
		else
			this.builder.addString(
				JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
			);
	}

	finish(): Column {
		if (this.instants) {
			return { storage: 'float', name: this.leaf.name, type: 'datetime', values: this.instants };
		}
		return inferColumnType(this.builder.finish());
	}
}

function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	return NaN;
}

function hex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
