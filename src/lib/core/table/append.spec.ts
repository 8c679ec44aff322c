import { describe, expect, it } from 'vitest';
import { appendTables } from './append';
import { coded, numeric } from '../../../../tests/unit/columns';
import type { CodedColumn, FloatColumn } from './types';

const labels = (c: CodedColumn) => Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));

describe('appendTables', () => {
	it('stacks rows, keeps the first part’s codes and adds new categories after them', () => {
		const a = { rowCount: 2, columns: [numeric('x', [1, 2]), coded('c', ['b', 'a'])] };
		const b = {
			rowCount: 3,
			columns: [
				coded('c', ['c', null, 'b']),
				numeric('x', [3, NaN, 5]),
				numeric('extra', [0, 0, 0])
			]
		};
		const t = appendTables([a, b]);
		expect(t.rowCount).toBe(5);
		expect(t.columns.map((c) => c.name)).toEqual(['x', 'c']);
		expect(Array.from((t.columns[0] as FloatColumn).values)).toEqual([1, 2, 3, NaN, 5]);
		const c = t.columns[1] as CodedColumn;
		expect(c.categories).toEqual(['b', 'a', 'c']);
		expect(Array.from(c.codes.subarray(0, 2))).toEqual([0, 1]);
		expect(labels(c)).toEqual(['b', 'a', 'c', null, 'b']);
	});

	it('refuses a part without a column, or with it stored otherwise', () => {
		const a = { rowCount: 1, columns: [numeric('x', [1])] };
		expect(() => appendTables([a, { rowCount: 1, columns: [numeric('y', [1])] }])).toThrow(
			/Part 2 has no numeric column "x"/
		);
		expect(() => appendTables([a, { rowCount: 1, columns: [coded('x', ['1'])] }])).toThrow(/"x"/);
	});

	it('returns an empty table for no parts', () => {
		expect(appendTables([])).toEqual({ rowCount: 0, columns: [] });
	});
});
