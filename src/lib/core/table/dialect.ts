import { parseNumberText, NOT_NUMBER } from './number';
import { binaryFileError, detectBinary, isArrow, isParquet, utf16Bom, utf8Bom } from './magic';
import type { Dialect, Encoding, FileFormat, LineEnding } from './types';

/** The delimiters the sniffer tries, with their names. */
export const DELIMITERS: readonly { value: string; label: string }[] = [
	{ value: ',', label: 'comma ,' },
	{ value: ';', label: 'semicolon ;' },
	{ value: '\t', label: 'tab' },
	{ value: '|', label: 'pipe |' }
];

/** How many bytes of the file the sniffer reads. */
export const SNIFF_BYTES = 64 * 1024;
const SNIFF_RECORDS = 50;

/**
 * Guesses how a file is written from its first bytes: format, delimiter, header, line endings,
 * BOM, decimal separator. Only a guess: the user sees it and can change any of it.
 */
export function sniffDialect(sample: Uint8Array, fileName = '', encoding?: Encoding): Dialect {
	// What the bytes are comes first: a PNG named .csv is still a PNG.
	const binary = detectBinary(sample);
	if (binary) throw binaryFileError(binary);
	if (isParquet(sample) || /\.parquet$/i.test(fileName))
		return { ...TEXT_DEFAULTS, format: 'parquet' };
	if (isArrow(sample) || /\.(arrow|feather|arrows|ipc)$/i.test(fileName))
		return { ...TEXT_DEFAULTS, format: 'arrow' };
	const utf16 = utf16Bom(sample);
	const bom = utf16 !== null || utf8Bom(sample);
	// A BOM says the encoding for sure; otherwise UTF-8, and invalid UTF-8 stops the import so that
	// the user picks the encoding (never guessed).
	const chosen: Encoding = encoding ?? utf16 ?? 'utf-8';
	let text: string;
	if (chosen === 'utf-8') {
		const body = bom ? sample.subarray(3) : sample;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true });
		} catch {
			// Good enough to find delimiters and a header; the import itself asks for the encoding.
			text = new TextDecoder('windows-1252').decode(body);
		}
	} else {
		// Keeps a character cut at the sample's end out of the text (stream), BOM consumed.
		text = new TextDecoder(chosen).decode(sample, { stream: true });
	}
	const format = detectFormat(text, fileName);
	const base: Dialect = {
		...TEXT_DEFAULTS,
		format,
		lineEnding: detectLineEnding(text),
		bom,
		encoding: chosen
	};
	if (format === 'json' || format === 'jsonl') return base;
	const delimiter = detectDelimiter(text, fileName);
	const records = splitRecords(text, delimiter, '"', SNIFF_RECORDS);
	const decimal = detectDecimal(records, delimiter);
	return { ...base, delimiter, decimal, header: detectHeader(records, decimal) };
}

const TEXT_DEFAULTS: Dialect = {
	format: 'csv',
	delimiter: ',',
	quote: '"',
	header: true,
	lineEnding: 'lf',
	bom: false,
	decimal: '.',
	encoding: 'utf-8'
};

function detectFormat(text: string, fileName: string): FileFormat {
	if (/\.(jsonl|ndjson)$/i.test(fileName)) return 'jsonl';
	if (/\.(csv|tsv|tab|txt)$/i.test(fileName)) return 'csv';
	if (/^\s*\[/.test(text)) return 'json';
	// One object a line: the first line parses alone (in a `.json` file, the first two lines, so
	// that one object written on one line stays JSON and is refused as not an array).
	if (/^\s*\{/.test(text) && leadingObjectLines(text, /\.json$/i.test(fileName) ? 2 : 1))
		return 'jsonl';
	return /\.json$/i.test(fileName) || /^\s*\{/.test(text) ? 'json' : 'csv';
}

function leadingObjectLines(text: string, count: number): boolean {
	const lines = text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.slice(0, count);
	if (lines.length < count) return false;
	return lines.every((line) => {
		try {
			const value: unknown = JSON.parse(line);
			return value !== null && typeof value === 'object' && !Array.isArray(value);
		} catch {
			return false;
		}
	});
}

function detectLineEnding(text: string): LineEnding {
	let crlf = 0;
	let lf = 0;
	let cr = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 13) {
			if (text.charCodeAt(i + 1) === 10) {
				crlf++;
				i++;
			} else cr++;
		} else if (c === 10) lf++;
	}
	const kinds = [crlf > 0, lf > 0, cr > 0].filter(Boolean).length;
	if (kinds === 0) return 'none';
	if (kinds > 1) return 'mixed';
	return crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr';
}

function detectDelimiter(text: string, fileName: string): string {
	if (/\.(tsv|tab)$/i.test(fileName)) return '\t';
	let best = ',';
	let bestScore = -1;
	for (const { value } of DELIMITERS) {
		const records = splitRecords(text, value, '"', SNIFF_RECORDS);
		if (records.length === 0) continue;
		// The last record of a sample may be cut short: judge the complete ones.
		const judged = records.length > 2 ? records.slice(0, -1) : records;
		const counts = judged.map((r) => r.length);
		const mode = modeOf(counts);
		if (mode < 2) continue;
		const consistency = counts.filter((c) => c === mode).length / counts.length;
		const score = consistency * 1000 + Math.min(mode, 999);
		if (score > bestScore) {
			bestScore = score;
			best = value;
		}
	}
	return best;
}

function detectDecimal(records: string[][], delimiter: string): '.' | ',' {
	if (delimiter === ',') return '.';
	let comma = 0;
	let dot = 0;
	for (const record of records.slice(1)) {
		for (const field of record) {
			if (/^[-+]?\d+,\d+$/.test(field.trim())) comma++;
			else if (/^[-+]?\d*\.\d+$/.test(field.trim())) dot++;
		}
	}
	return comma > 0 && comma > dot ? ',' : '.';
}

/** The first record is data, not a header, when one of its fields is a number. */
function detectHeader(records: string[][], decimal: '.' | ','): boolean {
	const first = records[0];
	if (!first) return true;
	return !first.some(
		(field) => field.trim() !== '' && parseNumberText(field, decimal) !== NOT_NUMBER
	);
}

function modeOf(values: number[]): number {
	const counts = new Map<number, number>();
	let best = 0;
	let bestCount = 0;
	for (const v of values) {
		const c = (counts.get(v) ?? 0) + 1;
		counts.set(v, c);
		if (c > bestCount || (c === bestCount && v > best)) {
			best = v;
			bestCount = c;
		}
	}
	return best;
}

/** A small quote-aware splitter for the sniffer's sample (the real parser scans bytes). */
export function splitRecords(
	text: string,
	delimiter: string,
	quote: string,
	maxRecords: number
): string[][] {
	const records: string[][] = [];
	let fields: string[] = [];
	let field = '';
	let inQuotes = false;
	for (let i = 0; i < text.length && records.length < maxRecords; i++) {
		const c = text[i]!;
		if (inQuotes) {
			if (c === quote) {
				if (text[i + 1] === quote) {
					field += quote;
					i++;
				} else inQuotes = false;
			} else field += c;
		} else if (c === quote && field === '') inQuotes = true;
		else if (c === delimiter) {
			fields.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			fields.push(field);
			if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
			fields = [];
			field = '';
		} else field += c;
	}
	if ((field !== '' || fields.length > 0) && records.length < maxRecords) {
		fields.push(field);
		records.push(fields);
	}
	return records;
}
