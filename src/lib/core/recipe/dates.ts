import type { DatePart } from './types';

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
		case 'hour':
			return d.getUTCHours();
	}
}
