import { ColumnBuilder } from './builder';
import type { BuiltColumn } from './missing';
import { InputError, type Dialect, type ParseReport } from './types';

const LF = 10;
const CR = 13;
const MAX_RAGGED_LINES = 50;
/** The longest row read (a cell, or a whole line, that never ends is refused past it). */
export const MAX_RECORD_BYTES = 16 << 20;
/** The most columns read (a power of two: the field arrays double up to it). */
export const MAX_COLUMNS = 16_384;
const utf8 = new TextDecoder('utf-8');

/**
 * A streaming CSV scanner over UTF-8 bytes, straight into typed columns. Feed it chunks with
 * `push`, then `finish`. A record cut by a chunk boundary is carried over and scanned again
 * whole, so nothing is committed half-way. Rows whose field count differs from the header's are
 * left out and reported by line number: columns never shift.
 */
export class CsvReader {
	private readonly delimiter: number;
	private readonly quote: number;
	private readonly decimal: number;
	private carry: Uint8Array | null = null;
	private builders: ColumnBuilder[] | null = null;
	private starts = new Int32Array(64);
	private ends = new Int32Array(64);
	private escaped = new Uint8Array(64);
	private line = 1;
	private headerNames: string[] | null = null;
	private readonly report: ParseReport = {
		rows: 0,
		bytes: 0,
		raggedLines: [],
		raggedCount: 0,
		renamed: [],
		blankLines: 0
	};

	/** `expectedRows` sizes the column arrays up front (an estimate is fine). */
	constructor(
		private readonly dialect: Dialect,
		private readonly expectedRows = 1024
	) {
		this.delimiter = dialect.delimiter.charCodeAt(0);
		this.quote = dialect.quote.charCodeAt(0);
		this.decimal = dialect.decimal.charCodeAt(0);
	}

	/** Rows committed so far. */
	get rows(): number {
		return this.report.rows;
	}

	/** Scans one chunk of UTF-8 bytes (BOM already removed). */
	push(chunk: Uint8Array): void {
		this.report.bytes += chunk.length;
		let buf = chunk;
		if (this.carry) {
			buf = new Uint8Array(this.carry.length + chunk.length);
			buf.set(this.carry);
			buf.set(chunk, this.carry.length);
		}
		const consumed = this.scan(buf, false);
		this.carry = consumed < buf.length ? buf.slice(consumed) : null;
		// A row that never ends (a cell of 100 MB, a quote never closed, a file of one huge line)
		// would be copied again with every chunk until memory runs out: stop it with a message.
		if (this.carry && this.carry.length > MAX_RECORD_BYTES)
			throw new InputError(
				`The row starting at line ${this.line} is longer than ${MAX_RECORD_BYTES / (1 << 20)} MB without ending. It may be a quote that is never closed, a single huge cell, or the wrong delimiter: Driftwood reads rows of up to ${MAX_RECORD_BYTES / (1 << 20)} MB.`,
				'too-large'
			);
	}

	/** Scans what is left and returns the columns (types still provisional) and the report. */
	finish(): { columns: BuiltColumn[]; report: ParseReport } {
		if (this.carry) {
			this.scan(this.carry, true);
			this.carry = null;
		}
		if (!this.headerNames) {
			throw new InputError(
				'The file is empty: there is nothing to import. Choose a file with a header row and at least one row of data.',
				'empty'
			);
		}
		const report = this.report;
		if (report.rows === 0 && report.raggedCount === 0) {
			const names = this.headerNames.slice(0, 5).join(', ');
			throw new InputError(
				`The file has a header (${this.headerNames.length} columns: ${names}${this.headerNames.length > 5 ? ', …' : ''}) but no rows of data. Add rows below the header, or untick "first row is a header" if that row is data.`,
				'header-only'
			);
		}
		if (report.raggedCount > report.rows) {
			throw new InputError(
				`${report.raggedCount} of ${report.raggedCount + report.rows} rows do not have the ${this.headerNames.length} fields of the header (first at line${report.raggedLines.length > 1 ? 's' : ''} ${report.raggedLines.slice(0, 5).join(', ')}). The delimiter is probably not ${describeDelimiter(this.dialect.delimiter)}: choose another one and import again.`,
				'ragged'
			);
		}
		return { columns: this.builders!.map((b) => b.finishBuilt()), report };
	}

	private scan(buf: Uint8Array, final: boolean): number {
		const D = this.delimiter;
		const Q = this.quote;
		const n = buf.length;
		let pos = 0;
		records: while (pos < n) {
			let i = pos;
			let fieldCount = 0;
			let lines = 0;
			for (;;) {
				if (fieldCount === this.starts.length) {
					if (fieldCount >= MAX_COLUMNS)
						throw new InputError(
							`Line ${this.line} has more than ${MAX_COLUMNS.toLocaleString('en-US')} fields: Driftwood reads at most ${MAX_COLUMNS.toLocaleString('en-US')} columns. Is the delimiter right?`,
							'too-large'
						);
					this.growFields();
				}
				if (i < n && buf[i] === Q) {
					let j = i + 1;
					let escaped = false;
					for (;;) {
						if (j >= n) {
							if (!final) break records;
							break;
						}
						const c = buf[j]!;
						if (c === Q) {
							if (j + 1 < n) {
								if (buf[j + 1] === Q) {
									escaped = true;
									j += 2;
									continue;
								}
							} else if (!final) break records;
							break;
						}
						if (c === LF || (c === CR && buf[j + 1] !== LF)) lines++;
						j++;
					}
					this.starts[fieldCount] = i + 1;
					this.ends[fieldCount] = Math.min(j, n);
					this.escaped[fieldCount] = escaped ? 1 : 0;
					fieldCount++;
					i = j + 1;
					// Stray bytes between a closing quote and the delimiter are dropped, as most readers do.
					while (i < n && buf[i] !== D && buf[i] !== LF && buf[i] !== CR) i++;
				} else {
					let j = i;
					while (j < n) {
						const c = buf[j]!;
						if (c === D || c === LF || c === CR) break;
						j++;
					}
					this.starts[fieldCount] = i;
					this.ends[fieldCount] = j;
					this.escaped[fieldCount] = 0;
					fieldCount++;
					i = j;
				}
				if (i >= n) {
					if (!final) break records;
					this.commit(buf, fieldCount);
					this.line += lines;
					pos = n;
					break records;
				}
				const c = buf[i]!;
				if (c === D) {
					i++;
					continue;
				}
				if (c === CR) {
					if (i + 1 < n) i += buf[i + 1] === LF ? 2 : 1;
					else if (!final) break records;
					else i++;
				} else i++;
				lines++;
				this.commit(buf, fieldCount);
				this.line += lines;
				pos = i;
				break;
			}
		}
		return pos;
	}

	private commit(buf: Uint8Array, fieldCount: number): void {
		if (fieldCount === 1 && this.starts[0] === this.ends[0] && !this.isQuotedAt(buf, 0)) {
			this.report.blankLines++;
			return;
		}
		if (!this.builders) {
			this.startColumns(buf, fieldCount);
			if (this.dialect.header) return;
		}
		const builders = this.builders!;
		if (fieldCount !== builders.length) {
			this.report.raggedCount++;
			if (this.report.raggedLines.length < MAX_RAGGED_LINES)
				this.report.raggedLines.push(this.line);
			return;
		}
		for (let f = 0; f < fieldCount; f++) {
			builders[f]!.addBytes(buf, this.starts[f]!, this.ends[f]!, this.escaped[f] === 1);
		}
		this.report.rows++;
	}

	private isQuotedAt(buf: Uint8Array, f: number): boolean {
		return buf[this.starts[f]! - 1] === this.quote;
	}

	private startColumns(buf: Uint8Array, fieldCount: number): void {
		const raw: string[] = [];
		for (let f = 0; f < fieldCount; f++) {
			let name = this.dialect.header
				? utf8.decode(buf.subarray(this.starts[f], this.ends[f])).trim()
				: `column_${f + 1}`;
			if (this.escaped[f]) name = name.replaceAll('""', '"');
			raw.push(name);
		}
		const { names, renamed } = uniqueNames(raw);
		this.report.renamed = renamed;
		this.headerNames = names;
		this.builders = names.map((name) => new ColumnBuilder(name, this.decimal, this.expectedRows));
	}

	private growFields(): void {
		const size = this.starts.length * 2;
		const starts = new Int32Array(size);
		starts.set(this.starts);
		const ends = new Int32Array(size);
		ends.set(this.ends);
		const escaped = new Uint8Array(size);
		escaped.set(this.escaped);
		this.starts = starts;
		this.ends = ends;
		this.escaped = escaped;
	}
}

/** Header names made unique and non-empty: `""` → `column_3`, a second `a` → `a_2`. */
export function uniqueNames(raw: string[]): {
	names: string[];
	renamed: { from: string; to: string }[];
} {
	const seen = new Set<string>();
	// A name the file itself holds is never given to another column: `a,a,a_2` makes the second
	// `a` into `a_3`, so that `a_2` stays the file's own column.
	const taken = new Set(raw);
	const renamed: { from: string; to: string }[] = [];
	const names = raw.map((original, i) => {
		let name = original === '' ? `column_${i + 1}` : original;
		if (seen.has(name) || (name !== original && taken.has(name))) {
			let k = 2;
			while (seen.has(`${name}_${k}`) || taken.has(`${name}_${k}`)) k++;
			name = `${name}_${k}`;
		}
		seen.add(name);
		if (name !== original) renamed.push({ from: original, to: name });
		return name;
	});
	return { names, renamed };
}

/** A delimiter in words ("comma", "tab"). */
export function describeDelimiter(delimiter: string): string {
	if (delimiter === '\t') return 'a tab';
	return `"${delimiter}"`;
}
