import type { DateCalendar } from '../core/profile/types';
import type { ColumnType } from '../core/table/types';

const compact = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
const integer = new Intl.NumberFormat('en');

/** A count with thousands separators: 12,345. */
export function formatCount(n: number): string {
	return integer.format(n);
}

const DAY_MS = 86_400_000;

/** A statistic, short: 4 significant digits; datetimes as dates; '—' when absent. */
export function formatStat(
	value: number | null,
	type: ColumnType = 'numeric',
	/** A date column's calendar: dates alone when no row has a time of day. */
	calendar?: DateCalendar | null
): string {
	if (value === null || Number.isNaN(value)) return '—';
	if (type === 'datetime')
		return calendar && calendar.hours <= 1 && calendar.stepDays >= 1
			? // A mean of days is shown as the nearest day, at the data's granularity.
				formatInstant(Math.round(value / DAY_MS) * DAY_MS)
			: formatInstant(Math.round(value));
	if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
	if (Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0))
		return value.toExponential(3);
	return compact.format(value);
}

export function formatBytes(bytes: number | null): string {
	if (bytes === null) return 'unknown';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let v = bytes;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatPercent(share: number): string {
	if (share > 0 && share < 0.001) return '<0.1 %';
	return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}

export function formatDate(ms: number): string {
	return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const TYPE_LABELS: Record<ColumnType, string> = {
	numeric: 'Numeric',
	categorical: 'Categorical',
	boolean: 'Boolean',
	datetime: 'Date/time',
	text: 'Text',
	id: 'ID-like'
};

/** A span of milliseconds in the largest unit that reads well: 3.2 days, 5 h, 12 min. */
export function formatDuration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) return '—';
	const units: [number, string][] = [
		[365.25 * 86_400_000, 'years'],
		[86_400_000, 'days'],
		[3_600_000, 'h'],
		[60_000, 'min'],
		[1000, 's']
	];
	for (const [size, unit] of units)
		if (Math.abs(ms) >= size) return `${compact.format(ms / size)} ${unit}`;
	return `${compact.format(ms)} ms`;
}

/** A UTC instant, short: the date alone at midnight, else date and minutes (UTC). */
export function formatInstant(ms: number): string {
	const iso = new Date(ms).toISOString();
	return iso.endsWith('T00:00:00.000Z')
		? iso.slice(0, 10)
		: `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
