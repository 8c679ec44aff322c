import type { DateCalendar } from '../profile/types';
import type { DatePart } from './types';

/** Every part, in the order the studio lists them; `year` is the trend, the others recur. */
export const DATE_PARTS: readonly DatePart[] = ['month', 'weekday', 'dayofyear', 'hour', 'year'];

/** The part that does not recur: a model sees only values up to the training range's end. */
export const TREND_PART: DatePart = 'year';

/** Shown beside the trend part and wherever it is turned on. */
export const TREND_WARNING =
	'year is a trend: values after the training range extrapolate, so every future row lies outside what the model saw.';

/** A calendar part of an epoch-ms instant, in UTC (NaN stays NaN). */
export function datePart(ms: number, part: DatePart): number {
	if (!Number.isFinite(ms)) return NaN;
	const d = new Date(ms);
	switch (part) {
		case 'year':
			return d.getUTCFullYear();
		case 'month':
			return d.getUTCMonth() + 1;
		case 'weekday':
			return d.getUTCDay();
		case 'dayofyear':
			return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
		case 'hour':
			return d.getUTCHours();
	}
}

/**
 * The calendar parts that recur in a column, so new rows take values the model has seen: month and
 * day of year when the data spans a year at a finer-than-yearly step, weekday when it spans a week
 * at a finer-than-weekly step, hour when it spans a day and the hour varies. Never the year (a
 * trend). Without a calendar (profiles stored before it) the three daily parts are assumed.
 */
export function recurringParts(calendar: DateCalendar | null | undefined): DatePart[] {
	if (calendar === undefined) return ['month', 'weekday', 'dayofyear'];
	if (calendar === null) return [];
	const { stepDays, spanDays } = calendar;
	const parts: DatePart[] = [];
	if (spanDays >= 365 && stepDays < 100 && calendar.months > 1) parts.push('month');
	if (spanDays >= 7 && stepDays < 7 && calendar.weekdays > 1) parts.push('weekday');
	if (spanDays >= 365 && stepDays < 28 && calendar.months > 1) parts.push('dayofyear');
	if (spanDays >= 1 && stepDays < 1 && calendar.hours > 1) parts.push('hour');
	return parts;
}

/** Why a date column gets the parts it gets, in words for the recipe editor. */
export function recurringNote(calendar: DateCalendar | null | undefined): string {
	const parts = recurringParts(calendar);
	const step =
		calendar == null
			? ''
			: calendar.stepDays >= 300
				? 'yearly '
				: calendar.stepDays >= 25
					? 'monthly '
					: calendar.stepDays >= 6
						? 'weekly '
						: calendar.stepDays >= 0.9
							? 'daily '
							: '';
	const span = calendar == null ? '' : ` over ${Math.round(calendar.spanDays)} days`;
	return parts.length
		? `Calendar parts that recur in these ${step}values${span}: ${parts.join(', ')}. The year is left out — ${TREND_WARNING}`
		: `No calendar part recurs in these ${step}values${span}. Add the year as a trend if you accept that ${TREND_WARNING.replace(/^year is a trend: /, '')}`;
}
