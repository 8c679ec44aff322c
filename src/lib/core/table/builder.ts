import { ByteDictionary, hashBytes } from './bytedict';
import { DEFAULT_MISSING_TOKENS, tokensToMissing, type BuiltColumn } from './missing';
import { NOT_NUMBER, parseNumberBytes } from './number';
import { InputError, type Column } from './types';

/** Tokens that may mean "no value" (pandas' defaults, minus the exotic ones, plus a lone `-`). */
const MISSING_TOKENS: ReadonlySet<string> = new Set(DEFAULT_MISSING_TOKENS);
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
	/** The missing tokens met (not the empty cell), in order of first sight, and their cells. */
	private tokenNames: string[] = [];
	private tokenCells: number[] = [];
	/** While numeric: per row, 1 + the index of the token read there (0 = not a token). */
	private tokenRows: Uint8Array | null = null;
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
		if (start === end) {
			this.addMissing();
			return;
		}
		if (end - start <= MAX_MISSING_TOKEN) {
			const token = missingToken(buf, start, end);
			if (token !== null) {
				this.addToken(token);
				return;
			}
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
		checkCellSize(text, this.name);
		const trimmed = text.trim();
		if (trimmed === '') {
			this.addMissing();
			return;
		}
		if (MISSING_TOKENS.has(trimmed)) {
			this.addToken(trimmed);
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
		checkCellSize(text, this.name);
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

	/**
	 * A cell that may mean "no value" (`None`, `NA`, `-`): whether it does is decided once the
	 * column is read (`readMissing`), so it is kept — as NaN with its row remembered while the
	 * column is numeric, as a category once it holds text.
	 */
	private addToken(token: string): void {
		let index = this.tokenNames.indexOf(token);
		if (index < 0) {
			index = this.tokenNames.length;
			this.tokenNames.push(token);
			this.tokenCells.push(0);
		}
		this.tokenCells[index]!++;
		if (!this.numeric) {
			this.pushCode(token);
			return;
		}
		this.pushNumber(NaN);
		let rows = this.tokenRows;
		if (!rows || rows.length < this.values.length) {
			const next = new Uint8Array(this.values.length);
			if (rows) next.set(rows);
			rows = this.tokenRows = next;
		}
		rows[this.length - 1] = index + 1;
	}

	/**
	 * The finished column with every token cell still told apart, for `readMissing` to decide.
	 * Its `type` is provisional until `inferColumnType` runs.
	 */
	finishBuilt(): BuiltColumn {
		const tokens = this.tokenNames.map((token, i) => ({ token, cells: this.tokenCells[i]! }));
		const rows = this.numeric && this.tokenRows ? this.tokenRows.subarray(0, this.length) : null;
		return { column: this.finishRaw(), tokens, tokenRows: rows };
	}

	/** The finished column, every token read as missing (rows typed in a form, a record). */
	finish(): Column {
		const built = this.finishBuilt();
		return tokensToMissing(built.column, new Set(built.tokens.map((t) => t.token)));
	}

	private finishRaw(): Column {
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
		const tokenRows = this.tokenRows;
		this.tokenRows = null;
		for (let i = 0; i < count; i++) {
			const v = numbers[i]!;
			const token = tokenRows ? tokenRows[i]! : 0;
			if (token > 0) this.pushCode(this.tokenNames[token - 1]!);
			else if (Number.isNaN(v)) this.pushCode(null);
			else this.pushCode(comma ? String(v).replace('.', ',') : String(v));
		}
	}
}

/** The longest cell read from JSON or Parquet (CSV rows are bounded as they stream). */
const MAX_CELL_CHARS = 16 << 20;

function checkCellSize(text: string, column: string): void {
	if (text.length > MAX_CELL_CHARS)
		throw new InputError(
			`A cell of "${column}" holds ${(text.length / (1 << 20)).toFixed(0)} million characters: Driftwood reads cells of up to ${MAX_CELL_CHARS / (1 << 20)} million.`,
			'too-large'
		);
}

function grow<T extends Float64Array | Int32Array>(array: T): T {
	const next = new (array.constructor as new (n: number) => T)(array.length * 2);
	next.set(array);
	return next;
}

/** First bytes of the missing tokens: N n # < - (anything else is a value). */
function mayBeMissing(first: number): boolean {
	return first === 78 || first === 110 || first === 35 || first === 60 || first === 45;
}

/** The token `buf[start, end)` spells, or null when it is not one (`-1` is a number). */
function missingToken(buf: Uint8Array, start: number, end: number): string | null {
	const first = buf[start]!;
	if (!mayBeMissing(first)) return null;
	if (first === 45) return end - start === 1 ? '-' : null;
	let s = '';
	for (let i = start; i < end; i++) {
		const c = buf[i]!;
		if (c > 127 || c === QUOTE) return null;
		s += String.fromCharCode(c);
	}
	return MISSING_TOKENS.has(s) ? s : null;
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

/** True when `text` is empty or one of the tokens that may be read as a missing value. */
export function isMissingText(text: string): boolean {
	const trimmed = text.trim();
	return trimmed === '' || MISSING_TOKENS.has(trimmed);
}
