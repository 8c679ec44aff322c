import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SNIFF_BYTES, sniffDialect } from '../lib/core/table/dialect';
import { readTable } from '../lib/core/table/read';
import type { Dialect, Encoding, ParseReport, Table } from '../lib/core/table/types';

export interface ReadFileOptions {
	delimiter?: string;
	encoding?: Encoding;
	header?: boolean;
}

/** Reads a CSV / TSV / JSON file into a typed table with the studio's reader, streamed. */
export async function readFileTable(
	path: string,
	options: ReadFileOptions = {}
): Promise<{ table: Table; dialect: Dialect; report: ParseReport }> {
	const { size } = await stat(path);
	const handle = await open(path);
	const head = new Uint8Array(Math.min(size, SNIFF_BYTES));
	await handle.read(head, 0, head.length, 0);
	await handle.close();
	const sniffed = sniffDialect(head, basename(path));
	const dialect: Dialect = {
		...sniffed,
		delimiter: options.delimiter === 'tab' ? '\t' : (options.delimiter ?? sniffed.delimiter),
		encoding: options.encoding ?? sniffed.encoding,
		header: (options.header ?? true) && sniffed.header
	};
	const { table, report } = await readTable(createReadStream(path, { highWaterMark: 1 << 20 }), {
		dialect,
		totalBytes: size,
		sample: head
	});
	return { table, dialect, report };
}

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
