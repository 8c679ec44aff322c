import { describe, expect, it } from 'vitest';
import type { Table } from '../table/types';
import { sampleReference, sampleTable } from './reservoir';
import { numeric } from '../../../../tests/unit/columns';

const n = 25_000;
const table: Table = {
	rowCount: n,
	columns: [
		numeric(
			'x',
			Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : i))
		),
		{
			storage: 'coded',
			name: 'c',
			type: 'categorical',
			categories: ['a', 'b'],
			codes: Int32Array.from({ length: n }, (_, i) => (i % 50 === 0 ? -1 : i % 2))
		}
	]
};
const rows = Int32Array.from({ length: n }, (_, i) => i);

describe('reference sample', () => {
	it('keeps at most 10,000 rows, seeded, with missing values as null', () => {
		const sample = sampleReference(table, rows, ['x', 'c'], 1);
		expect(sample.rows).toBe(n);
		expect(sample.columns[0]!.values).toHaveLength(10_000);
		expect(sampleReference(table, rows, ['x', 'c'], 1)).toEqual(sample);
		expect(sampleReference(table, rows, ['x', 'c'], 2)).not.toEqual(sample);
		expect(sample.columns[0]!.values.some((v) => v === null)).toBe(true);
		// Rows are drawn from the whole range, not just its start.
		expect(
			Math.max(...sample.columns[0]!.values.filter((v): v is number => typeof v === 'number'))
		).toBeGreaterThan(20_000);
	});

	it('keeps every row of a small split and turns back into a table', () => {
		const sample = sampleReference(table, rows.subarray(0, 6), ['x', 'c'], 1);
		expect(sample.columns.map((c) => c.values)).toEqual([
			[null, 1, 2, 3, 4, 5],
			[null, 'b', 'a', 'b', 'a', 'b']
		]);
		const back = sampleTable(sample);
		expect(back.rowCount).toBe(6);
		const c = back.columns[1]!;
		expect(c.storage === 'coded' && Array.from(c.codes)).toEqual([-1, 0, 1, 0, 1, 0]);
	});
});
