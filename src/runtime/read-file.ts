import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { asyncBufferFromFile } from 'hyparquet';
import { SNIFF_BYTES, sniffDialect } from '../lib/core/table/dialect';
import { readSource, type TableSource } from '../lib/core/table/source';
import type { Dialect, Encoding, MissingPolicy, ParseReport, Table } from '../lib/core/table/types';

/** How the CLI reads a data file: delimiter, encoding and header overrides (else sniffed). */
export interface ReadFileOptions {
	delimiter?: string;
	encoding?: Encoding;
	header?: boolean;
	/** Which cells are missing (`--na` / `--keep-na`; a bundle's own reading for its batches). */
	missing?: MissingPolicy;
}

/** Reads a CSV / TSV / JSON / JSON Lines / Parquet file into a typed table with the studio's reader. */
export async function readFileTable(
	path: string,
	options: ReadFileOptions = {}
): Promise<{ table: Table; dialect: Dialect; report: ParseReport }> {
	const { size } = await stat(path);
	const handle = await open(path);
	const head = new Uint8Array(Math.min(size, SNIFF_BYTES));
	await handle.read(head, 0, head.length, 0);
	await handle.close();
	const sniffed = sniffDialect(head, basename(path), options.encoding);
	const dialect: Dialect = {
		...sniffed,
		delimiter: options.delimiter === 'tab' ? '\t' : (options.delimiter ?? sniffed.delimiter),
		encoding: options.encoding ?? sniffed.encoding,
		header: (options.header ?? true) && sniffed.header,
		...(options.missing ? { missing: options.missing } : {})
	};
	const { table, report } = await readSource(fileSource(path, size), dialect, { sample: head });
	return { table, dialect, report };
}

/** A file on disk as a source: streamed for text, read by byte range for Parquet. */
function fileSource(path: string, size: number): TableSource {
	return {
		name: basename(path),
		size,
		chunks: () => createReadStream(path, { highWaterMark: 1 << 20 }),
		// hyparquet's own reader of a local file's byte ranges.
		random: () => asyncBufferFromFile(path)
	};
}

/** Is this a file-system error (no such file, no permission)? */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
	return (
		error instanceof Error &&
		typeof (error as NodeJS.ErrnoException).code === 'string' &&
		'syscall' in error
	);
}

/** The message for a file that cannot be read at all. */
export function describeFileError(error: NodeJS.ErrnoException, file: string): string {
	if (error.code === 'ENOENT') return `cannot read "${file}": no such file.`;
	if (error.code === 'EISDIR') return `cannot read "${file}": it is a folder, not a file.`;
	if (error.code === 'EACCES') return `cannot read "${file}": permission denied.`;
	return `cannot read "${file}": ${error.message}`;
}
