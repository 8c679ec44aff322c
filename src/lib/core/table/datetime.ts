/**
 * ISO-8601-like dates and times (`2024-03-01`, `2024-03-01T10:00:00Z`, `2024-03-01 10:00`,
 * `2024/03/01`). Times without a zone are read as UTC so that a dataset means the same
 * thing in every time zone.
 */
const DATE_RE =
	/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds (UTC) of `text`, or `NaN` when it is not a date we read. */
export function parseDateTime(text: string): number {
	const m = DATE_RE.exec(text.trim());
	if (!m) return NaN;
	const [, y, mo, d, h, mi, s, frac, zone] = m;
	const year = Number(y);
	const month = Number(mo);
	const day = Number(d);
	if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;
	const hour = h === undefined ? 0 : Number(h);
	const minute = mi === undefined ? 0 : Number(mi);
	const second = s === undefined ? 0 : Number(s);
	if (hour > 23 || minute > 59 || second > 60) return NaN;
	const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
	let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	// Date.UTC rolls 2023-02-30 over to March: such a date does not exist.
	if (new Date(t).getUTCDate() !== day) return NaN;
	if (zone && zone !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
	}
	return t;
}

/** ISO text for an epoch-ms value: a date alone when it falls on midnight UTC. */
export function formatDateTime(ms: number): string {
	if (Number.isNaN(ms)) return '';
	const iso = new Date(ms).toISOString();
	return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
