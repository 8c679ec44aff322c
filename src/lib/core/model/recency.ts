import { DriftwoodError } from '../errors';

/** A calendar period (what backtests cut time into, and what a half-life is counted in). */
export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * Recency weights: a row counts 0.5^(age / half-life), its age measured from the newest training
 * row — the newest data teaches the most, last year's half as much with a one-year half-life.
 * Normalised to a mean of 1 over the rows with a date, so the loss keeps its scale; a row without
 * a date counts 1.
 */
export interface HalfLife {
	periods: number;
	unit: PeriodUnit;
}

const DAYS: Record<PeriodUnit, number> = {
	day: 1,
	week: 7,
	month: 365.25 / 12,
	quarter: 365.25 / 4,
	year: 365.25
};

/** A half-life in milliseconds. */
export function halfLifeMs(halfLife: HalfLife): number {
	return halfLife.periods * DAYS[halfLife.unit] * 86_400_000;
}

/** Every problem with a half-life, in words. */
export function validateHalfLife(halfLife: HalfLife): string[] {
	return halfLife.periods > 0 && Number.isFinite(halfLife.periods) && halfLife.unit in DAYS
		? []
		: [`A half-life is a positive number of days, weeks, months, quarters or years.`];
}

/** The recency weight of each of `rows` (in their order), by `times` (epoch ms). */
export function recencyWeights(
	times: Float64Array,
	rows: Int32Array,
	halfLife: HalfLife
): Float32Array {
	const problems = validateHalfLife(halfLife);
	if (problems.length) throw new DriftwoodError(problems.join(' '), 'experiment');
	const ms = halfLifeMs(halfLife);
	let newest = -Infinity;
	for (const r of rows) if (times[r]! > newest) newest = times[r]!;
	const raw = Float64Array.from(rows, (r) =>
		Number.isFinite(times[r]!) ? Math.pow(0.5, (newest - times[r]!) / ms) : NaN
	);
	let sum = 0;
	let count = 0;
	for (const w of raw)
		if (!Number.isNaN(w)) {
			sum += w;
			count++;
		}
	const mean = count ? sum / count : 1;
	return Float32Array.from(raw, (w) => (Number.isNaN(w) ? 1 : w / mean));
}

/** Reads "6 months", "90days", "1y"-style text as a half-life, or null. */
export function parseHalfLife(text: string): HalfLife | null {
	const m = /^\s*(\d+(?:\.\d+)?)\s*(d|days?|w|weeks?|m|months?|q|quarters?|y|years?)\s*$/i.exec(
		text
	);
	if (!m) return null;
	const key = m[2]!.toLowerCase()[0]!;
	const unit = ({ d: 'day', w: 'week', m: 'month', q: 'quarter', y: 'year' } as const)[
		key as 'd' | 'w' | 'm' | 'q' | 'y'
	];
	const periods = Number(m[1]);
	return periods > 0 ? { periods, unit } : null;
}

/** A half-life in words: "6 months". */
export function halfLifeText(h: HalfLife): string {
	return `${h.periods} ${h.unit}${h.periods === 1 ? '' : 's'}`;
}
