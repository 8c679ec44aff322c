import { errorMessage } from '../errors';
import { ColumnBuilder } from './builder';
import { uniqueNames } from './csv';
import { readMissing, type BuiltColumn } from './missing';
import { InputError, type Column, type MissingPolicy, type ParseReport, type Table } from './types';

/**
 * Reads a JSON array of records (`[{"a": 1, "b": "x"}, …]`) into columns. Keys are collected in
 * a Map in order of first appearance (`__proto__` is a column like any other); a record without a
 * key is missing there; nested values are kept as their JSON text.
 */
export function readJsonRecords(text: string): { columns: BuiltColumn[]; report: ParseReport } {
	if (text.trim() === '') {
		throw new InputError('The file is empty: there is nothing to import.', 'empty');
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		const detail = errorMessage(error);
		throw new InputError(
			`This file is not valid JSON (${detail}). Driftwood reads a JSON array of records, like [{"a": 1, "b": "x"}].`,
			'json'
		);
	}
	if (!Array.isArray(data)) {
		throw new InputError(
			`This JSON file holds ${describe(data)}, not an array of records. Driftwood reads a JSON array of records, like [{"a": 1, "b": "x"}].`,
			'json'
		);
	}
	const records = new RecordColumns();
	for (const record of data) records.add(record, `Item ${records.rows + 1} of the JSON array`);
	const { columns, rows } = records.finishBuilt();
	if (rows === 0)
		throw new InputError('The JSON array is empty: there are no records to import.', 'empty');
	return recordsResult(columns, rows, text.length, 0, 'JSON records');
}

/**
 * The columns of records read from JSON or JSON Lines, with unique names and the parse report;
 * refused when the records have no field at all.
 */
export function recordsResult(
	columns: BuiltColumn[],
	rows: number,
	bytes: number,
	blankLines: number,
	what: 'JSON records' | 'JSON Lines records'
): { columns: BuiltColumn[]; report: ParseReport } {
	if (columns.length === 0) {
		throw new InputError(
			`The ${what} have no fields: there are no columns to import.`,
			'no-columns'
		);
	}
	const { names, renamed } = uniqueNames(columns.map((c) => c.column.name));
	columns.forEach((c, i) => (c.column.name = names[i]!));
	return {
		columns,
		report: { rows, bytes, raggedLines: [], raggedCount: 0, renamed, blankLines }
	};
}

/**
 * Columns from records (`[{a: 1}, …]`): keys collected in a Map in order of first appearance
 * (`__proto__` is a column like any other), a record without a key is missing there, nested
 * values kept as JSON text. Types are still to infer.
 */
export function columnsFromRecords(data: unknown[]): { columns: Column[]; rows: number } {
	const records = new RecordColumns();
	for (const record of data) records.add(record, `Item ${records.rows + 1} of the JSON array`);
	return records.finish();
}

/**
 * A typed table from records (rows typed in a form, the runtime's `predict(rows)`): tokens such
 * as `None` read by `policy` — a model's, so that a category it was trained on stays one.
 */
export function recordsTable(data: unknown[], policy?: MissingPolicy): Table {
	const records = new RecordColumns();
	for (const record of data) records.add(record, `Item ${records.rows + 1}`);
	const { columns, rows } = records.finishBuilt();
	return { rowCount: rows, columns: columns.map((b) => readMissing(b, rows, policy).column) };
}

/** Records added one at a time (JSON Lines streams them) into columns. */
export class RecordColumns {
	private readonly index = new Map<string, number>();
	private readonly builders: ColumnBuilder[] = [];
	rows = 0;

	/** Adds one record; `where` names it in the error when it is not an object. */
	add(record: unknown, where: string): void {
		if (record === null || typeof record !== 'object' || Array.isArray(record)) {
			throw new InputError(
				`${where} is ${describe(record)}, not a record. Every item must be an object like {"a": 1}.`,
				'json'
			);
		}
		for (const key of Object.keys(record)) {
			let column = this.index.get(key);
			if (column === undefined) {
				column = this.builders.length;
				this.index.set(key, column);
				const builder = new ColumnBuilder(key);
				for (let r = 0; r < this.rows; r++) builder.addMissing();
				this.builders.push(builder);
			}
			addValue(this.builders[column]!, (record as Record<string, unknown>)[key]);
		}
		this.rows++;
		for (const builder of this.builders) if (builder.length < this.rows) builder.addMissing();
	}

	/** The columns with every token read as missing (records typed in, a row to predict). */
	finish(): { columns: Column[]; rows: number } {
		return { columns: this.builders.map((b) => b.finish()), rows: this.rows };
	}

	/** The columns with their tokens told apart, for `readMissing` to decide. */
	finishBuilt(): { columns: BuiltColumn[]; rows: number } {
		return { columns: this.builders.map((b) => b.finishBuilt()), rows: this.rows };
	}
}

function addValue(builder: ColumnBuilder, value: unknown): void {
	if (value === null || value === undefined) builder.addMissing();
	else if (typeof value === 'number') builder.addNumber(value);
	else if (typeof value === 'string') builder.addText(value);
	else if (typeof value === 'boolean') builder.addText(String(value));
	else builder.addText(JSON.stringify(value));
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
