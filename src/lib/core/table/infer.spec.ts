import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { convertColumn, conversionProblem } from './convert';
import { parseDateTime } from './datetime';
import { inferColumnType } from './infer';
import type { CodedColumn, FloatColumn } from './types';
import { coded } from '../../../../tests/unit/columns';

function numbers(name: string, values: number[]): FloatColumn {
	return { storage: 'float', name, type: 'numeric', values: Float64Array.from(values) };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('inferColumnType', () => {
	it('tells numeric, categorical, boolean, datetime, text and id-like apart', () => {
		expect(inferColumnType(numbers('x', [1.5, 2, NaN])).type).toBe('numeric');
		expect(inferColumnType(coded('c', ['a', 'b', 'a', null])).type).toBe('categorical');
		expect(inferColumnType(coded('b', ['Yes', 'No', 'Yes'])).type).toBe('boolean');
		expect(inferColumnType(coded('d', ['2024-01-31', '2024-02-29', null])).type).toBe('datetime');
		expect(
			inferColumnType(
				coded(
					't',
					range(100).map((i) => `a sentence number ${i}`)
				)
			).type
		).toBe('text');
		expect(
			inferColumnType(
				coded(
					'code',
					range(30).map((i) => `K${1000 + i}`)
				)
			).type
		).toBe('id');
		expect(inferColumnType(numbers('customer_id', range(30))).type).toBe('id');
		expect(inferColumnType(numbers('score', range(30))).type).toBe('numeric');
	});

	it('codes booleans so that 1 means true, whatever came first', () => {
		const column = inferColumnType(coded('b', ['true', 'false', null, 'true'])) as CodedColumn;
		expect(column.categories).toEqual(['false', 'true']);
		expect(Array.from(column.codes)).toEqual([1, 0, -1, 1]);
	});

	it('reads datetimes as UTC and refuses impossible dates', () => {
		expect(parseDateTime('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
		expect(parseDateTime('2024-03-01 10:30')).toBe(Date.UTC(2024, 2, 1, 10, 30));
		expect(parseDateTime('2024-03-01T10:30:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8, 30));
		expect(parseDateTime('2023-02-29')).toBeNaN();
		expect(parseDateTime('01/02/2024')).toBeNaN();
	});
});

describe('convertColumn', () => {
	it('turns text into numbers and counts what did not fit', () => {
		const result = convertColumn(coded('zip', ['02134', 'n/a', '10001', null]), 'numeric');
		expect(result.ok && result.lost).toBe(1);
		expect(result.ok && Array.from((result.column as FloatColumn).values)).toEqual([
			2134,
			NaN,
			10001,
			NaN
		]);
	});

	it('turns numbers into categories and back to text values', () => {
		const result = convertColumn(numbers('n', [3, 1.5, NaN, 3]), 'categorical');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(range(4).map((r) => columnValueText(result.column, r))).toEqual(['3', '1.5', '', '3']);
	});

	it('reads integer years as dates and refuses a boolean with three values', () => {
		const years = convertColumn(numbers('year', [1970, 1982]), 'datetime');
		expect(years.ok && Array.from((years.column as FloatColumn).values)).toEqual([
			Date.UTC(1970, 0, 1),
			Date.UTC(1982, 0, 1)
		]);
		expect(convertColumn(coded('c', ['a', 'b', 'c']), 'boolean').ok).toBe(false);
		expect(conversionProblem('c', 3, 'boolean')).toMatch(/at most two/);
		expect(conversionProblem('c', 2, 'boolean')).toBeNull();
	});
});
