import { DriftwoodError } from '../errors';

/**
 * The periods a backtest walks through: calendar periods of a date column (UTC), or blocks of a
 * fixed number of rows in time (or file) order. Every period from the first to the last is kept,
 * empty ones too: a backtest shows them as gaps, never silently joins their neighbours.
 */
import type { PeriodUnit } from '../model/recency';

export type { PeriodUnit };
/**
 * Calendar units of a date column, blocks of N rows, or given `blocks` of consecutive table rows
 * (their row counts, in table order: a model's training data, then each monitored batch).
 */
export type PeriodSpec = { unit: PeriodUnit } | { rows: number } | { blocks: number[] };

export interface Period {
	/** The first instant in the period (epoch ms, UTC); for row blocks, the first row's time or index. */
	start: number;
	/** The first instant after it (exclusive); for row blocks, the last row's time or index. */
	end: number;
	/** The table rows that fall in it, in time order. */
	rows: Int32Array;
}

/** A backtest that cannot run on this data, with what to do (code `backtest`). */
export class BacktestError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'backtest');
	}
}

export const PERIOD_UNITS: PeriodUnit[] = ['year', 'quarter', 'month', 'week', 'day'];

const DAY = 86_400_000;

/** The start of the period holding `ms`. Weeks start on Monday (ISO 8601). */
export function periodStart(ms: number, unit: PeriodUnit): number {
	const d = new Date(ms);
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth();
	switch (unit) {
		case 'year':
			return Date.UTC(y, 0, 1);
		case 'quarter':
			return Date.UTC(y, m - (m % 3), 1);
		case 'month':
			return Date.UTC(y, m, 1);
		case 'week': {
			const day = Date.UTC(y, m, d.getUTCDate());
			return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
		}
		case 'day':
			return Date.UTC(y, m, d.getUTCDate());
	}
}

/** The start of the period after the one starting at `start`. */
export function nextStart(start: number, unit: PeriodUnit): number {
	const d = new Date(start);
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth();
	switch (unit) {
		case 'year':
			return Date.UTC(y + 1, 0, 1);
		case 'quarter':
			return Date.UTC(y, m + 3, 1);
		case 'month':
			return Date.UTC(y, m + 1, 1);
		case 'week':
			return start + 7 * DAY;
		case 'day':
			return start + DAY;
	}
}

/** A period's name: 2024, 2024-Q2, 2024-05, or the first day of a week or day. */
export function periodLabel(start: number, unit: PeriodUnit): string {
	const iso = new Date(start).toISOString();
	if (unit === 'year') return iso.slice(0, 4);
	if (unit === 'quarter')
		return `${iso.slice(0, 4)}-Q${Math.floor(new Date(start).getUTCMonth() / 3) + 1}`;
	if (unit === 'month') return iso.slice(0, 7);
	return iso.slice(0, 10);
}

/** A period's name under any spec: its calendar name, or the rows (or dates) a block spans. */
export function periodName(
	period: { start: number; end: number },
	spec: PeriodSpec,
	dated: boolean
): string {
	if ('unit' in spec) return periodLabel(period.start, spec.unit);
	if ('blocks' in spec) return `rows ${period.start + 1}–${period.end}`;
	return dated
		? `${new Date(period.start).toISOString().slice(0, 10)}…${new Date(period.end).toISOString().slice(0, 10)}`
		: `rows ${period.start + 1}–${period.end}`;
}

/** Most periods a backtest walks (each is one fit). */
export const MAX_PERIODS = 400;

/**
 * The default period for these instants: the coarsest calendar unit that gives at least 8
 * periods (years for decades of data, months for a year or two, days for a few weeks).
 */
export function defaultUnit(times: ArrayLike<number>): PeriodUnit {
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = 0; i < times.length; i++) {
		const t = times[i]!;
		if (Number.isFinite(t)) {
			if (t < lo) lo = t;
			if (t > hi) hi = t;
		}
	}
	if (!(hi > lo)) return 'day';
	for (const unit of PERIOD_UNITS) {
		let count = 0;
		for (let s = periodStart(lo, unit); s <= hi && count < 8; s = nextStart(s, unit)) count++;
		if (count >= 8) return unit;
	}
	return 'day';
}

/**
 * The periods of the rows `rows` by `times` (epoch ms; rows without a time are left out and
 * counted), or, without times, blocks of rows in file order.
 */
export function periodsOf(
	rows: Int32Array,
	times: Float64Array | null,
	spec: PeriodSpec
): { periods: Period[]; withoutTime: number } {
	if ('blocks' in spec) return { periods: blockPeriods(rows, spec.blocks), withoutTime: 0 };
	const timed = times ? rows.filter((r) => Number.isFinite(times[r]!)) : Int32Array.from(rows);
	const withoutTime = rows.length - timed.length;
	const ordered = times
		? Int32Array.from(timed).sort((a, b) => times[a]! - times[b]! || a - b)
		: timed;
	if ('rows' in spec) {
		if (!(Number.isInteger(spec.rows) && spec.rows >= 1))
			throw new BacktestError(`A period of rows needs a whole number of rows (got ${spec.rows}).`);
		const periods: Period[] = [];
		for (let at = 0; at < ordered.length; at += spec.rows) {
			const block = ordered.slice(at, at + spec.rows);
			const first = block[0]!;
			const last = block[block.length - 1]!;
			periods.push({
				start: times ? times[first]! : at,
				end: times ? times[last]! : at + block.length,
				rows: block
			});
		}
		if (periods.length > MAX_PERIODS)
			throw new BacktestError(
				`${periods.length} periods of ${spec.rows} rows: at most ${MAX_PERIODS}. Take more rows per period.`
			);
		return { periods, withoutTime };
	}
	if (!times)
		throw new BacktestError(
			'Calendar periods need a date column: name one, or use periods of N rows for data in time order.'
		);
	const periods: Period[] = [];
	if (ordered.length === 0) return { periods, withoutTime };
	const last = times[ordered[ordered.length - 1]!]!;
	let at = 0;
	for (let start = periodStart(times[ordered[0]!]!, spec.unit); start <= last;) {
		const end = nextStart(start, spec.unit);
		const from = at;
		while (at < ordered.length && times[ordered[at]!]! < end) at++;
		periods.push({ start, end, rows: ordered.slice(from, at) });
		if (periods.length > MAX_PERIODS)
			throw new BacktestError(
				`More than ${MAX_PERIODS} ${spec.unit}s between the first and the last date: choose a longer period.`
			);
		start = end;
	}
	return { periods, withoutTime };
}

/** Given blocks of consecutive table rows as periods: `start` / `end` are row indices. */
function blockPeriods(rows: Int32Array, blocks: number[]): Period[] {
	if (!blocks.every((b) => Number.isInteger(b) && b >= 0))
		throw new BacktestError('Blocks of rows are whole numbers of rows.');
	if (blocks.length > MAX_PERIODS)
		throw new BacktestError(`${blocks.length} blocks of rows: at most ${MAX_PERIODS}.`);
	const periods: Period[] = [];
	let start = 0;
	let at = 0;
	for (const size of blocks) {
		const end = start + size;
		const from = at;
		while (at < rows.length && rows[at]! < end) at++;
		periods.push({ start, end, rows: rows.slice(from, at) });
		start = end;
	}
	return periods;
}
