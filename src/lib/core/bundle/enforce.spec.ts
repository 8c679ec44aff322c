import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferColumnType } from '../table/infer';
import { columnsFromRecords } from '../table/json';
import type { Table } from '../table/types';
import { enforceSchema } from './enforce';
import type { SchemaColumnSpec } from './manifest';

const SCHEMA: SchemaColumnSpec[] = [
	{ name: 'x', type: 'numeric', required: true },
	{ name: 'colour', type: 'categorical', required: true, categories: ['red', 'blue'] },
	{ name: 'when', type: 'datetime', required: true }
];

function tableOf(records: Record<string, unknown>[]): Table {
	const { columns, rows } = columnsFromRecords(records);
	return { rowCount: rows, columns: columns.map(inferColumnType) };
}

const cellValue = fc.oneof(
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.integer(),
	fc.string({ maxLength: 8 }),
	fc.constant(null),
	fc.constantFrom('2024-01-02', 'red', 'blue', '', 'NaN', '1e3', '007')
);

describe('enforceSchema (property)', () => {
	it('fails exactly when a required column is missing, naming each; otherwise never throws', () => {
		fc.assert(
			fc.property(
				fc.subarray(['x', 'colour', 'when', 'extra']),
				fc.array(fc.tuple(cellValue, cellValue, cellValue, cellValue), {
					minLength: 1,
					maxLength: 20
				}),
				(present, cells) => {
					const records = cells.map((row) =>
						Object.fromEntries(present.map((name, i) => [name, row[i]]))
					);
					const table = tableOf(records);
					const names = new Set(table.columns.map((c) => c.name));
					const missing = SCHEMA.filter((s) => !names.has(s.name)).map((s) => s.name);
					if (missing.length) {
						expect(() => enforceSchema(SCHEMA, table)).toThrow(
							new RegExp(missing.map((m) => `"${m}"`).join(', '))
						);
						return;
					}
					const { table: out, problems, problemCount } = enforceSchema(SCHEMA, table);
					expect(out.columns.map((c) => c.name)).toEqual(['x', 'colour', 'when']);
					expect(out.columns.map((c) => c.storage)).toEqual(['float', 'coded', 'float']);
					expect(out.rowCount).toBe(table.rowCount);
					expect(problems.length).toBeLessThanOrEqual(problemCount);
					for (const p of problems) {
						expect(p.row).toBeGreaterThanOrEqual(1);
						expect(p.row).toBeLessThanOrEqual(table.rowCount);
						expect(['x', 'when']).toContain(p.column);
					}
				}
			),
			{ numRuns: 300, seed: 42 }
		);
	});

	it('reports an unparseable cell by row and keeps the rest', () => {
		const table = tableOf([
			{ x: 1, colour: 'red', when: '2024-01-01' },
			{ x: 'abc', colour: 7, when: 'soon' }
		]);
		const { table: out, problems } = enforceSchema(SCHEMA, table);
		expect(problems).toEqual([
			{ row: 2, column: 'x', value: 'abc', message: '"abc" is not a number' },
			{ row: 2, column: 'when', value: 'soon', message: '"soon" is not a date' }
		]);
		const x = out.columns[0]!;
		expect(x.storage === 'float' && Array.from(x.values)).toEqual([1, NaN]);
		const colour = out.columns[1]!;
		expect(colour.storage === 'coded' && colour.categories).toEqual(['red', '7']);
	});
});
