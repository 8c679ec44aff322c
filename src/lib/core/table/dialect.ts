import { parseNumberText, NOT_NUMBER } from './number';
import type { Dialect, FileFormat, LineEnding } from './types';

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
export function sniffDialect(sample: Uint8Array, fileName = ''): Dialect {
	const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
	const body = bom ? sample.subarray(3) : sample;
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true });
	} catch {
		// Good enough to find delimiters and a header; the import itself asks for the encoding.
		text = new TextDecoder('windows-1252').decode(body);
	}
	const format = detectFormat(text, fileName);
	const base: Dialect = {
		format,
		delimiter: ',',
		quote: '"',
		header: true,
		lineEnding: detectLineEnding(text),
		bom,
		decimal: '.',
		// Never guessed: invalid UTF-8 stops the import and the user picks the encoding.
		encoding: 'utf-8'
	};
	if (format === 'json') return base;
	const delimiter = detectDelimiter(text, fileName);
	const records = splitRecords(text, delimiter, '"', SNIFF_RECORDS);
	const decimal = detectDecimal(records, delimiter);
	return { ...base, delimiter, decimal, header: detectHeader(records, decimal) };
}

function detectFormat(text: string, fileName: string): FileFormat {
	if (/\.json$/i.test(fileName)) return 'json';
	if (/\.(csv|tsv|tab|txt)$/i.test(fileName)) return 'csv';
	return /^\s*\[/.test(text) ? 'json' : 'csv';
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
