import { formatDateTime, parseDateTime } from '../table/datetime';
import { floatToCoded } from '../table/convert';
import { missingPolicyOf } from '../table/missing';
import { InputError, type Column, type MissingPolicy, type Table } from '../table/types';
import type { Manifest, SchemaColumnSpec } from './manifest';

/** A cell that could not be read as its column's type; it is treated as missing. */
export interface CellProblem {
	/** 1-based data row. */
	row: number;
	column: string;
	value: string;
	message: string;
}

const MAX_PROBLEMS = 1000;

/**
 * Fits a table to a model's input schema, by MLflow's signature rules: a missing required column
 * fails (naming every one); extra columns are ignored; only safe casts are made — numbers as text
 * for a categorical input, text that reads as a number (or date) for a numeric one. Anything else
 * becomes a missing value and is reported per row, never a crash.
 */
export function enforceSchema(
	schema: SchemaColumnSpec[],
	table: Table
): { table: Table; problems: CellProblem[]; problemCount: number } {
	const byName = new Map(table.columns.map((c) => [c.name, c]));
	const missing = schema.filter((c) => c.required && !byName.has(c.name)).map((c) => `"${c.name}"`);
	if (missing.length) {
		throw new InputError(
			`The data lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')} that the model needs. Add ${missing.length === 1 ? 'it' : 'them'} (with the same header) and try again.`,
			'no-columns'
		);
	}
	const problems: CellProblem[] = [];
	let problemCount = 0;
	const report = (problem: CellProblem) => {
		problemCount++;
		if (problems.length < MAX_PROBLEMS) problems.push(problem);
	};
	const columns: Column[] = [];
	for (const spec of schema) {
		const column = byName.get(spec.name);
		if (!column) continue;
		const wantsFloat = spec.type === 'numeric' || spec.type === 'datetime';
		if (wantsFloat && column.storage === 'coded') {
			const lookup = column.categories.map(
				cellParser(spec.type === 'datetime' ? 'datetime' : 'numeric')
			);
			const values = new Float64Array(column.codes.length);
			column.codes.forEach((code, i) => {
				if (code < 0) {
					values[i] = NaN;
					return;
				}
				const value = lookup[code]!;
				if (Number.isNaN(value)) {
					report({
						row: i + 1,
						column: spec.name,
						value: column.categories[code]!,
						message: `"${column.categories[code]}" is not ${spec.type === 'datetime' ? 'a date' : 'a number'}`
					});
				}
				values[i] = value;
			});
			columns.push({ storage: 'float', name: spec.name, type: spec.type, values });
		} else if (wantsFloat && column.storage === 'float') {
			if (spec.type === 'datetime' && column.type !== 'datetime') {
				// Plain numbers are not instants: refuse the cast rather than guess a unit.
				column.values.forEach((v, i) => {
					if (!Number.isNaN(v))
						report({
							row: i + 1,
							column: spec.name,
							value: String(v),
							message: `${v} is a number, not a date`
						});
				});
				columns.push({
					storage: 'float',
					name: spec.name,
					type: spec.type,
					values: new Float64Array(column.values.length).fill(NaN)
				});
			} else columns.push({ ...column, type: spec.type });
		} else if (column.storage === 'float') {
			const coded = floatToCoded(
				column.type === 'datetime' ? column : { ...column, type: 'numeric' }
			);
			columns.push({ ...coded, type: spec.type });
		} else columns.push({ ...column, type: spec.type });
	}
	return { table: { rowCount: table.rowCount, columns }, problems, problemCount };
}

/**
 * How a text cell is read as a numeric or datetime input (NaN: it cannot be): the one rule for
 * prediction and for the monitor's gate on unreadable inputs.
 */
export function cellParser(type: 'numeric' | 'datetime'): (text: string) => number {
	return type === 'datetime' ? parseDateTime : parseNumber;
}

function parseNumber(text: string): number {
	const trimmed = text.trim();
	if (trimmed === '') return NaN;
	const value = Number(trimmed);
	return Number.isFinite(value) ? value : NaN;
}

/** The text of a datetime schema value (for messages and CSV output). */
export function describeInstant(ms: number): string {
	return formatDateTime(ms);
}

/**
 * How a model reads tokens such as `None` in new rows: as it read its training file — a category
 * it learned (a feature's or, for classes, the target's label) is a value, any other token a hole.
 */
export function modelMissingPolicy(manifest: Pick<Manifest, 'schema' | 'model'>): MissingPolicy {
	const { target, labels } = manifest.model;
	return missingPolicyOf([
		...manifest.schema,
		...(labels.length ? [{ name: target, categories: labels }] : [])
	]);
}
