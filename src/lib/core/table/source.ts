import { asyncBufferOfBlob, readParquetTable, type AsyncBuffer } from './parquet';
import { cancelled, chunksOfStream, formatMB, readTable, type ReadProgress } from './read';
import { MAX_ARROW_BYTES, readArrowTable } from './arrow';
import {
	InputError,
	type Dialect,
	type MissingPolicy,
	type ParseReport,
	type Table
} from './types';

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
	if (dialect.format === 'arrow') return readArrowTable(await wholeFile(source, options), options);
	return readTable(source.chunks(), { ...options, dialect, totalBytes: source.size });
}

/** A source's bytes in one array (Arrow IPC is decoded whole), with progress and a ceiling. */
async function wholeFile(source: TableSource, options: SourceOptions): Promise<Uint8Array> {
	if (source.size > MAX_ARROW_BYTES)
		throw new InputError(
			`This Arrow file is ${formatMB(source.size)}; Arrow files are read whole and the limit is ${formatMB(MAX_ARROW_BYTES)}. Export it as Parquet, which Driftwood reads by row group, and import that.`,
			'too-large'
		);
	const bytes = new Uint8Array(source.size);
	let at = 0;
	for await (const chunk of source.chunks()) {
		if (options.isCancelled?.()) throw cancelled();
		if (at + chunk.length > bytes.length)
			throw new InputError('The file grew while it was read.', 'arrow');
		bytes.set(chunk, at);
		at += chunk.length;
		options.onProgress?.({ bytes: at, totalBytes: source.size, rows: 0 });
	}
	return bytes.subarray(0, at);
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
