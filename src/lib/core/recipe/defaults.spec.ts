import { describe, expect, it } from 'vitest';
import { calendarOf } from '../profile/calendar';
import { profileTable } from '../profile/profile';
import type { FloatColumn, Table } from '../table/types';
import { suggestSplit } from '../model/split';
import { datePart, recurringNote, recurringParts } from './dates';
import { fitRecipe } from './fit';
import { oneHotCap, recipeFits, suggestRecipe } from './suggest';
import { numeric } from '../../../../tests/unit/columns';

const DAY = 86_400_000;
const dates = (name: string, values: number[]): FloatColumn => ({
	storage: 'float',
	name,
	type: 'datetime',
	values: Float64Array.from(values)
});
const every = (start: string, stepMs: number, n: number) =>
	Array.from({ length: n }, (_, i) => Date.parse(start) + i * stepMs);
const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('date parts', () => {
	it('computes the day of the year in UTC, leap years included', () => {
		expect(datePart(Date.parse('2024-01-01T00:00:00Z'), 'dayofyear')).toBe(1);
		expect(datePart(Date.parse('2024-12-31T23:59:59Z'), 'dayofyear')).toBe(366);
		expect(datePart(Date.parse('2023-12-31T12:00:00Z'), 'dayofyear')).toBe(365);
		expect(datePart(Date.parse('2023-03-01T00:00:00Z'), 'dayofyear')).toBe(60);
		expect(datePart(NaN, 'dayofyear')).toBeNaN();
	});

	it('finds the step and the span of daily, hourly and yearly data', () => {
		const daily = calendarOf(sorted(every('2012-01-01T00:00:00Z', DAY, 1461)))!;
		expect(daily.stepDays).toBe(1);
		expect(daily.spanDays).toBe(1460);
		expect([daily.months, daily.weekdays, daily.hours]).toEqual([12, 7, 1]);
		const yearly = calendarOf(
			sorted(Array.from({ length: 13 }, (_, i) => Date.UTC(1970 + i, 0, 1)))
		)!;
		expect(yearly.stepDays).toBeGreaterThanOrEqual(365);
		expect([yearly.months, yearly.hours]).toEqual([1, 1]);
		expect(calendarOf(new Float64Array(0))).toBeNull();
	});

	it('feeds only the parts that recur, never the year', () => {
		const calendar = (values: number[]) => calendarOf(sorted(values));
		// Four years of days: the seasonal and weekly parts, not the hour (always midnight).
		expect(recurringParts(calendar(every('2012-01-01T00:00:00Z', DAY, 1461)))).toEqual([
			'month',
			'weekday',
			'dayofyear'
		]);
		// Three weeks of hours: weekday and hour; month and day of year would not recur.
		expect(recurringParts(calendar(every('2020-03-01T00:00:00Z', DAY / 24, 21 * 24)))).toEqual([
			'weekday',
			'hour'
		]);
		// Model years (one instant a year): nothing recurs, and the note offers the trend.
		const years = calendar(Array.from({ length: 13 }, (_, i) => Date.UTC(1970 + i, 0, 1)));
		expect(recurringParts(years)).toEqual([]);
		expect(recurringNote(years)).toContain('No calendar part recurs in these yearly values');
		expect(recurringNote(years)).toContain('extrapolate');
		// Monthly over five years: month only.
		expect(
			recurringParts(calendar(Array.from({ length: 60 }, (_, i) => Date.UTC(2015, i, 1))))
		).toEqual(['month']);
		// A profile stored before calendars existed: the daily parts, still never the year.
		expect(recurringParts(undefined)).toEqual(['month', 'weekday', 'dayofyear']);
	});

	it('suggests a recipe and a time split from a table with dates', () => {
		const n = 800;
		const table: Table = {
			rowCount: n,
			columns: [
				dates('when', every('2012-01-01T00:00:00Z', DAY, n)),
				numeric(
					'x',
					Array.from({ length: n }, (_, i) => (i * 7919) % 101)
				),
				numeric(
					'y',
					Array.from({ length: n }, (_, i) => i % 3)
				)
			]
		};
		const profile = profileTable(table, 'y');
		const recipe = suggestRecipe(profile, 'y');
		const when = recipe.steps.find((s) => s.column === 'when')!;
		expect(when.kind === 'datetime' && when.parts).toEqual(['month', 'weekday', 'dayofyear']);
		const fitted = fitRecipe(
			recipe,
			table,
			Int32Array.from({ length: n }, (_, i) => i)
		);
		expect(fitted.features).toEqual(['when month', 'when weekday', 'when dayofyear', 'x']);
		expect(fitted.features.some((f) => f.includes('year') && !f.includes('dayofyear'))).toBe(false);
		const split = suggestSplit(profile, 'y');
		expect(split.spec).toMatchObject({ kind: 'time', timeColumn: 'when' });
		expect(split.reason).toContain('"when"');
		// Without a date column: stratified for classes, random for a numeric target.
		const plain = profileTable({ rowCount: n, columns: table.columns.slice(1) }, 'y');
		expect(suggestSplit(plain, 'y').spec.kind).toBe('random');
	});
});

describe('one-hot cap', () => {
	it('keeps up to 100 categories, fewer on large tables', () => {
		expect(oneHotCap(3000)).toBe(100);
		expect(oneHotCap(400_000)).toBe(50);
		expect(oneHotCap(1_000_000)).toBe(20);
		expect(oneHotCap(50_000_000)).toBe(20);
	});
});

describe('earlier settings on another version', () => {
	it('fit only when every column has its step and the target is there', () => {
		const recipe = {
			target: 'y',
			steps: [
				{ column: 'a', kind: 'drop' as const, reason: 'x' },
				{ column: 'b', kind: 'drop' as const, reason: 'x' }
			]
		};
		expect(recipeFits(recipe, ['a', 'b', 'y'])).toBe(true);
		expect(recipeFits(recipe, ['b', 'a', 'y'])).toBe(true);
		expect(recipeFits(recipe, ['a', 'b', 'c', 'y'])).toBe(false);
		expect(recipeFits(recipe, ['a', 'y'])).toBe(false);
		expect(recipeFits(recipe, ['a', 'b'])).toBe(false);
	});
});

describe('clipping suggested for heavy tails', () => {
	it('clips a mostly-zero column with a huge tail (quartiles 0 / 0 / 0), not an even one', () => {
		const n = 1000;
		const cost = Array.from({ length: n }, (_, i) =>
			i % 10 === 0 ? (i === 500 ? 7_043_545 : i * 3) : 0
		);
		const table: Table = {
			rowCount: n,
			columns: [
				numeric('cost', cost),
				numeric(
					'even',
					Array.from({ length: n }, (_, i) => i)
				),
				numeric(
					'y',
					Array.from({ length: n }, (_, i) => i % 2)
				)
			]
		};
		const steps = suggestRecipe(profileTable(table, 'y'), 'y').steps;
		const clipOf = (name: string) => {
			const step = steps.find((s) => s.column === name)!;
			return step.kind === 'numeric' ? step.numeric.clip : 'not numeric';
		};
		expect(clipOf('cost')).toEqual({ lower: 0, upper: 1 });
		expect(clipOf('even')).toBeNull();
	});
});
