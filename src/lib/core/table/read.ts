import { CsvReader } from './csv';
import { ChunkDecoder, utf16WithoutBomError } from './decode';
import { JsonLinesReader } from './jsonl';
import { binaryFileError, detectBinary, utf16Bom, utf16WithoutBom, utf8Bom } from './magic';
import { readJsonRecords } from './json';
import { readMissing, type MissingPolicy, type MissingTokenCount } from './missing';
import { InputError, type Dialect, type ParseReport, type Table } from './types';

/** JSON is parsed whole (JSON.parse), so it gets a lower ceiling than streamed CSV. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

/** How far a streamed read is: bytes and rows. */
export interface ReadProgress {
	bytes: number;
	totalBytes: number;
	rows: number;
}

/** How a file is read: its dialect, size and progress callback. */
export interface ReadOptions {
	dialect: Dialect;
	totalBytes: number;
	onProgress?: (progress: ReadProgress) => void;
	/** The file's first bytes: to size the columns once, and to recognise a binary file or UTF-16. */
	sample?: Uint8Array;
	/** Checked between chunks; when it returns true the read stops with a `cancelled` error. */
	isCancelled?: () => boolean;
	/** How tokens such as `None` are read; default: the dialect's, else fitted to each column. */
	missing?: MissingPolicy;
}

/**
 * Reads a whole file, chunk by chunk, into a typed `Table` with inferred column types. The same
 * function serves the studio's data worker and the CLI; only the chunk source differs.
 */
export async function readTable(
	chunks: AsyncIterable<Uint8Array>,
	options: ReadOptions
): Promise<{ table: Table; report: ParseReport }> {
	const { dialect, totalBytes, onProgress, isCancelled } = options;
	if (dialect.format === 'json' && totalBytes > MAX_JSON_BYTES) {
		throw new InputError(
			`This JSON file is ${formatMB(totalBytes)}; JSON files are read whole and the limit is ${formatMB(MAX_JSON_BYTES)}. Export it as CSV, which streams, and import that.`,
			'too-large'
		);
	}
	if (dialect.format === 'parquet' || dialect.format === 'arrow') {
		throw new InputError(
			`A ${dialect.format === 'parquet' ? 'Parquet' : 'Arrow'} file is not read as a text stream: use readSource.`,
			dialect.format
		);
	}
	const decoder = new ChunkDecoder(dialect.encoding);
	const csv =
		dialect.format === 'csv'
			? new CsvReader(dialect, estimateRows(totalBytes, options.sample))
			: null;
	const lines = dialect.format === 'jsonl' ? new JsonLinesReader() : null;
	const jsonParts: string[] = [];
	const textDecoder = new TextDecoder();
	let bytes = 0;
	let first = true;
	for await (const piece of chunks) {
		if (isCancelled?.()) throw cancelled();
		// Node's Buffer is a Uint8Array subclass: one plain view type keeps the scanner monomorphic.
		let chunk = new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
		bytes += chunk.length;
		if (first) {
			first = false;
			checkTextStart(options.sample ?? chunk, dialect);
			if (utf8Bom(chunk)) chunk = chunk.subarray(3);
		}
		const utf8 = decoder.toUtf8(chunk);
		if (csv) csv.push(utf8);
		else if (lines) lines.push(utf8);
		else jsonParts.push(textDecoder.decode(utf8, { stream: true }));
		onProgress?.({ bytes, totalBytes, rows: csv ? csv.rows : lines ? lines.rows : 0 });
	}
	const tail = decoder.toUtf8(new Uint8Array(0), true);
	let result;
	if (csv) {
		if (tail.length) csv.push(tail);
		result = csv.finish();
	} else if (lines) {
		if (tail.length) lines.push(tail);
		result = lines.finish();
	} else {
		jsonParts.push(textDecoder.decode(tail));
		result = readJsonRecords(jsonParts.join(''));
	}
	result.report.bytes = bytes;
	const rowCount = result.report.rows;
	const policy = options.missing ?? dialect.missing;
	const decimal = dialect.decimal.charCodeAt(0);
	const missingTokens: MissingTokenCount[] = [];
	const columns = result.columns.map((built) => {
		const { column, counts } = readMissing(built, rowCount, policy, decimal);
		missingTokens.push(...counts);
		return column;
	});
	result.report.missingTokens = missingTokens;
	return { table: { rowCount, columns }, report: result.report };
}

/**
 * The guard on a text read's first bytes, whatever dialect was chosen: a binary file is refused
 * for what it is, and UTF-16 read as a single-byte encoding is caught before it becomes junk.
 */
function checkTextStart(head: Uint8Array, dialect: Dialect): void {
	const binary = detectBinary(head);
	if (binary) throw binaryFileError(binary);
	if (dialect.encoding !== 'utf-16le' && dialect.encoding !== 'utf-16be') {
		const order = utf16Bom(head) ?? utf16WithoutBom(head);
		if (order) throw utf16WithoutBomError(order);
	}
}

/** Rows a file of `totalBytes` probably holds, from the line length of its first bytes (+10 %). */
export function estimateRows(totalBytes: number, sample?: Uint8Array): number {
	if (!sample || sample.length === 0) return 1024;
	let lines = 0;
	for (const b of sample) if (b === 10) lines++;
	if (lines < 2) return 1024;
	return Math.min(50_000_000, Math.ceil((totalBytes / sample.length) * lines * 1.1));
}

/** The error a Cancel button produces. */
export function cancelled(): InputError {
	return new InputError('Import cancelled. Nothing was saved.', 'cancelled');
}

/** Bytes in megabytes: one decimal under 10 MB, whole above. */
export function formatMB(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Chunks of a byte array, for tests and for data already in memory. */
export async function* chunksOf(bytes: Uint8Array, size = 1 << 20): AsyncIterable<Uint8Array> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A WHATWG ReadableStream as an async iterable (File.stream(), fetch bodies). */
export async function* chunksOfStream(
	stream: ReadableStream<Uint8Array>
): AsyncIterable<Uint8Array> {
	const reader = stream.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}
