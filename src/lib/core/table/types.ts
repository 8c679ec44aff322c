import { DriftwoodError, type ErrorCode } from '../errors';

/** What a column means to the user; the storage below follows from it. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';

/** Every column type, in the order the type pickers list them. */
export const COLUMN_TYPES: readonly ColumnType[] = [
	'numeric',
	'categorical',
	'boolean',
	'datetime',
	'text',
	'id'
];

/** Numbers and instants: one double per row, `NaN` = missing (datetime = epoch ms, UTC). */
export interface FloatColumn {
	storage: 'float';
	name: string;
	type: ColumnType;
	values: Float64Array;
}

/** Strings, dictionary-coded: `codes[i]` indexes `categories`, `-1` = missing. */
export interface CodedColumn {
	storage: 'coded';
	name: string;
	type: ColumnType;
	codes: Int32Array;
	categories: string[];
}

/** A column: numbers and instants as floats, everything else as category codes. */
export type Column = FloatColumn | CodedColumn;

/** A table as columns of typed arrays, never as row objects (they transfer and store whole). */
export interface Table {
	rowCount: number;
	columns: Column[];
}

/** The line endings a CSV was read with. */
export type LineEnding = 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';
/** The text encodings Driftwood reads. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1';
/** Delimited text, a JSON array of records, JSON Lines (one record a line), Parquet or Arrow IPC. */
export type FileFormat = 'csv' | 'json' | 'jsonl' | 'parquet' | 'arrow';

/** How a delimited file is written; detected, shown to the user, and overridable. */
export interface Dialect {
	format: FileFormat;
	delimiter: string;
	quote: string;
	header: boolean;
	lineEnding: LineEnding;
	bom: boolean;
	decimal: '.' | ',';
	encoding: Encoding;
	/** Which cells are read as missing; absent = each token fitted to its column. */
	missing?: MissingPolicy;
}

/** What happened while reading a file, for the user and for the dataset version's record. */
export interface ParseReport {
	rows: number;
	bytes: number;
	/** Physical line numbers (1-based, header = line 1) of rows left out for a wrong field count. */
	raggedLines: number[];
	raggedCount: number;
	/** Header names that were renamed: empty, duplicated. */
	renamed: { from: string; to: string }[];
	blankLines: number;
	/** Cells that may mean "no value" (`None`, `NA`, `-`), per column and token, and how each was read. */
	missingTokens?: MissingTokenCount[];
}

/** A failure the user can act on: `message` says what is wrong and what to do. */
export class InputError extends DriftwoodError {
	constructor(message: string, code: ErrorCode) {
		super(message, code);
		this.name = 'InputError';
	}
}

/** How cells that may mean "no value" are read; the default fits each token to its column. */
export interface MissingPolicy {
	/** `keep`: no token is missing, only empty cells (the CLI's `--keep-na`). */
	mode?: 'fit' | 'keep';
	/** Tokens read as missing in every column, the defaults or any other (`--na`). */
	tokens?: string[];
	/** The user's choice per column and token: true = missing, false = a value. */
	columns?: Record<string, Record<string, boolean>>;
}

/** Why a token was read as it was. */
export type MissingReason =
	| 'numbers' // the rest of the column is numbers: it can only be a hole
	| 'dates' // likewise for dates
	| 'rare' // a word column where the token is under FREQUENT_TOKEN_SHARE of the rows
	| 'frequent' // a word column where it is common enough to be an answer
	| 'chosen' // the user's switch
	| 'listed' // named by `--na`
	| 'kept'; // `--keep-na`

/** One token of one column: how many cells, and how it was read. */
export interface MissingTokenCount {
	column: string;
	token: string;
	cells: number;
	missing: boolean;
	reason: MissingReason;
}
