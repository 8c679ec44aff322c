/**
 * Ticks for a log axis that always carry a label. A log axis leaves its labels to d3's log
 * formatter, which blanks every tick whose mantissa is above a limit: a loss curve between 0.35
 * and 0.7 (within one decade, the usual case) showed tick marks and no number at all. These ticks
 * are labelled by the chart itself: over less than a factor of 3, evenly spaced round values (as a
 * linear axis has); over more, 1, 2, 3 and 5 of each decade, then 1, 2 and 5, then the powers of
 * ten (thinned) as they would crowd.
 */
export function logTicks(min: number, max: number, count = 5): number[] {
	if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
	if (max === min) return [min];
	if (max / min < 3) {
		const step = niceStep((max - min) / count);
		const out: number[] = [];
		for (let k = Math.ceil(min / step - 1e-9); k * step <= max * (1 + 1e-9); k++)
			if (k > 0) out.push(roundTo(k * step, step));
		return out.length ? out : [min];
	}
	const decades: number[] = [];
	for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
		decades.push(Number(`1e${e}`));
	const within = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
	for (const mantissas of [
		[1, 2, 3, 5],
		[1, 2, 5]
	]) {
		const ticks = decades.flatMap((d) => mantissas.map((m) => roundTo(m * d, d))).filter(within);
		if (ticks.length <= count + 2) return ticks;
	}
	const powers = decades.filter(within);
	// Many decades: every other power (or every third…) so that at most count + 2 remain.
	const every = Math.ceil(powers.length / (count + 2));
	return powers.filter((_, i) => i % every === 0);
}

/** A tick label: two significant digits, without trailing zeros ("0.5", "1.2e-4", "30"). */
export function logTickLabel(v: number): string {
	return String(Number(v.toPrecision(2)));
}

/** 1, 2, 5 or 10 times a power of ten, nearest `raw` on a log scale (d3's rule for its ticks). */
function niceStep(raw: number): number {
	const power = 10 ** Math.floor(Math.log10(raw));
	const m = raw / power;
	return (m >= Math.sqrt(50) ? 10 : m >= Math.sqrt(10) ? 5 : m >= Math.SQRT2 ? 2 : 1) * power;
}

/** `v` without the float noise of a multiple of `step` (0.1 × 3 = 0.30000000000000004). */
function roundTo(v: number, step: number): number {
	const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
	return Number(v.toFixed(Math.min(20, digits)));
}
