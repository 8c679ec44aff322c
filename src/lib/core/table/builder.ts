import { ByteDictionary, hashBytes } from './bytedict';
import { NOT_NUMBER, parseNumberBytes } from './number';
import type { Column } from './types';

/** Tokens that mean "no value" (pandas' defaults, minus the exotic ones). */
const MISSING_TOKENS = new Set([
	'',
	'NA',
	'N/A',
	'n/a',
	'NaN',
	'nan',
	'NAN',
	'null',
	'NULL',
	'Null',
	'None',
	'none',
	'#N/A',
	'<NA>'
]);
const MAX_MISSING_TOKEN = 4;
/** Columns with more distinct values than this are text: the byte cache stops growing. */
const BYTE_CACHE_LIMIT = 65_536;

const utf8 = new TextDecoder('utf-8');
const QUOTE = 34;

/**
 * Accumulates one column while a file streams by. It stays numeric (a growing Float64Array) for
 * as long as every value parses as a number, and falls back to dictionary-coded strings the
 * first time one does not; the numbers seen so far then become their shortest text.
 */
export class ColumnBuilder {
	private numeric = true;
	private values: Float64Array;
	private codes: Int32Array | null = null;
	private dictionary: Map<string, number> | null = null;
	private categories: string[] = [];
	private byteCache: ByteDictionary | null = null;
	length = 0;

	/** `capacity`: rows expected, so that a big file does not grow its arrays ten times. */
	constructor(
		readonly name: string,
		private readonly decimal: number = 46,
		capacity = 1024
	) {
		this.values = new Float64Array(Math.max(16, capacity));
	}

	/** Adds the bytes `buf[start, end)`; `escaped` = a quoted field with `""` inside. */
	addBytes(buf: Uint8Array, start: number, end: number, escaped: boolean): void {
		while (start < end && buf[start] === 32) start++;
		while (end > start && buf[end - 1] === 32) end--;
		if (end - start <= MAX_MISSING_TOKEN && isMissingToken(buf, start, end)) {
			this.addMissing();
			return;
		}
		if (this.numeric) {
			const value = parseNumberBytes(buf, start, end, this.decimal);
			if (value !== NOT_NUMBER) {
				this.pushNumber(value);
				return;
			}
			this.becomeCoded();
		}
		if (escaped) {
			this.pushCode(decodeField(buf, start, end).replaceAll('""', '"'));
			return;
		}
		const cache = this.byteCache!;
		const hash = hashBytes(buf, start, end);
		const cached = cache.get(buf, start, end, hash);
		if (cached >= 0) {
			this.pushKnownCode(cached);
			return;
		}
		const code = this.pushCode(decodeField(buf, start, end));
		if (cache.count < BYTE_CACHE_LIMIT) cache.set(buf, start, end, hash, code);
	}

	/** Adds a value that is already a string (JSON, type conversions). */
	addText(text: string): void {
		const trimmed = text.trim();
		if (MISSING_TOKENS.has(trimmed)) {
			this.addMissing();
			return;
		}
		if (this.numeric) {
			const bytes = new TextEncoder().encode(trimmed);
			const value = parseNumberBytes(bytes, 0, bytes.length, this.decimal);
			if (value !== NOT_NUMBER) {
				this.pushNumber(value);
				return;
			}
			this.becomeCoded();
		}
		this.pushCode(text);
	}

	/** Adds a value typed as a string by its source (a Parquet string column): never parsed. */
	addString(text: string): void {
		if (this.numeric) this.becomeCoded();
		this.pushCode(text);
	}

	/** Adds a number that needs no parsing (JSON numbers). */
	addNumber(value: number): void {
		if (this.numeric) this.pushNumber(value);
		else this.pushCode(String(value));
	}

	addMissing(): void {
		if (this.numeric) this.pushNumber(NaN);
		else this.pushCode(null);
	}

	/** The finished column; its `type` is provisional until `inferColumnType` runs. */
	finish(): Column {
		if (this.numeric) {
			const values =
				this.values.length === this.length ? this.values : this.values.slice(0, this.length);
			return { storage: 'float', name: this.name, type: 'numeric', values };
		}
		return {
			storage: 'coded',
			name: this.name,
			type: 'categorical',
			codes: this.codes!.slice(0, this.length),
			categories: this.categories
		};
	}

	private pushNumber(value: number): void {
		if (this.length === this.values.length) this.values = grow(this.values);
		this.values[this.length++] = value;
	}

	private pushKnownCode(code: number): void {
		let codes = this.codes!;
		if (this.length === codes.length) codes = this.codes = grow(codes);
		codes[this.length++] = code;
	}

	/** Appends `text` (null = missing) and returns its code. */
	private pushCode(text: string | null): number {
		let codes = this.codes!;
		if (this.length === codes.length) codes = this.codes = grow(codes);
		if (text === null) {
			codes[this.length++] = -1;
			return -1;
		}
		const dictionary = this.dictionary!;
		let code = dictionary.get(text);
		if (code === undefined) {
			code = this.categories.length;
			dictionary.set(text, code);
			this.categories.push(text);
		}
		codes[this.length++] = code;
		return code;
	}

	private becomeCoded(): void {
		this.numeric = false;
		this.dictionary = new Map();
		this.byteCache = new ByteDictionary();
		this.codes = new Int32Array(Math.max(1024, this.values.length));
		const numbers = this.values;
		const count = this.length;
		this.values = new Float64Array(0);
		this.length = 0;
		const comma = this.decimal === 44;
		for (let i = 0; i < count; i++) {
			const v = numbers[i]!;
			if (Number.isNaN(v)) this.pushCode(null);
			else this.pushCode(comma ? String(v).replace('.', ',') : String(v));
		}
	}
}

function grow<T extends Float64Array | Int32Array>(array: T): T {
	const next = new (array.constructor as new (n: number) => T)(array.length * 2);
	next.set(array);
	return next;
}

/** First bytes of the missing tokens: N n # < (anything else is a value). */
function mayBeMissing(first: number): boolean {
	return first === 78 || first === 110 || first === 35 || first === 60;
}

function isMissingToken(buf: Uint8Array, start: number, end: number): boolean {
	if (start === end) return true;
	if (!mayBeMissing(buf[start]!)) return false;
	let s = '';
	for (let i = start; i < end; i++) {
		const c = buf[i]!;
		if (c > 127 || c === QUOTE) return false;
		s += String.fromCharCode(c);
	}
	return MISSING_TOKENS.has(s);
}

/** ASCII fields (the common case) skip TextDecoder's per-call cost. */
function decodeField(buf: Uint8Array, start: number, end: number): string {
	const length = end - start;
	if (length <= 24) {
		let ascii = true;
		for (let i = start; i < end; i++) {
			if (buf[i]! > 127) {
				ascii = false;
				break;
			}
		}
		if (ascii)
			return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
	}
	return utf8.decode(buf.subarray(start, end));
}

/** True when `text` is one of the tokens read as a missing value. */
export function isMissingText(text: string): boolean {
	return MISSING_TOKENS.has(text.trim());
}
