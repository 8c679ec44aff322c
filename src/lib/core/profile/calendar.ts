import type { DateCalendar } from './types';

const DAY = 86_400_000;

/**
 * The calendar shape of a date/time column, from its sorted present values (epoch ms, UTC): the
 * typical step between distinct instants (the median gap, robust to a few missing days), the span,
 * and how many distinct months, weekdays and hours of the day occur. The recipe's defaults read it
 * to feed only the calendar parts that recur.
 */
export function calendarOf(sorted: Float64Array): DateCalendar | null {
	if (sorted.length === 0) return null;
	const gaps: number[] = [];
	const months = new Set<number>();
	const weekdays = new Set<number>();
	const hours = new Set<number>();
	let previous = NaN;
	for (const ms of sorted) {
		if (ms === previous) continue;
		if (!Number.isNaN(previous)) gaps.push(ms - previous);
		previous = ms;
		const d = new Date(ms);
		months.add(d.getUTCMonth());
		weekdays.add(d.getUTCDay());
		hours.add(d.getUTCHours());
	}
	gaps.sort((a, b) => a - b);
	const step = gaps.length ? gaps[Math.floor((gaps.length - 1) / 2)]! : 0;
	return {
		stepDays: step / DAY,
		spanDays: (sorted[sorted.length - 1]! - sorted[0]!) / DAY,
		months: months.size,
		weekdays: weekdays.size,
		hours: hours.size
	};
}
