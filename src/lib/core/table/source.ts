import { asyncBufferOfBlob, readParquetTable, type AsyncBuffer } from './parquet';
import { chunksOfStream, readTable, type ReadProgress } from './read';
import type { Dialect, MissingPolicy, ParseReport, Table } from './types';

/**
 * A file to read, wherever it lives: a browser Blob/File, a file on disk (the CLI), bytes in
 * memory. Text formats stream through `chunks`; Parquet reads the byte ranges it needs.
 */
export interface TableSource {
	name: string;
	size: number;
	/** The file's bytes in order. */
	chunks(): AsyncIterable<Uint8Array>;
	/** Random access, for Parquet's footer and row groups. */
	random(): AsyncBuffer | Promise<AsyncBuffer>;
}

/** How a source is read: its first bytes (to size the columns), progress and cancel. */
export interface SourceOptions {
	/** The file's first bytes, to size the columns once. */
	sample?: Uint8Array;
	onProgress?: (progress: ReadProgress) => void;
	isCancelled?: () => boolean;
	/** How tokens such as `None` are read (text formats; Parquet has real nulls). */
	missing?: MissingPolicy;
}

/** Reads any supported file into a typed table: CSV/TSV, JSON, JSON Lines or Parquet. */
export async function readSource(
	source: TableSource,
	dialect: Dialect,
	options: SourceOptions = {}
): Promise<{ table: Table; report: ParseReport }> {
	if (dialect.format === 'parquet') return readParquetTable(await source.random(), options);
	return readTable(source.chunks(), { ...options, dialect, totalBytes: source.size });
}

/** A Blob or File as a source (the studio's workers). */
export function blobSource(blob: Blob & { name?: string }): TableSource {
	return {
		name: blob.name ?? '',
		size: blob.size,
		chunks: () => chunksOfStream(blob.stream()),
		random: () => asyncBufferOfBlob(blob)
	};
}
