import type { RowExplanation } from './explain';

/** One bar of a waterfall: a column's contribution, from the running total before it. */
export interface WaterfallStep {
	label: string;
	value: number;
	/** The standard error of an estimated value; 0 when exact. */
	error: number;
	start: number;
	end: number;
}

export interface Waterfall {
	/** What is explained (e.g. "raw score of Gentoo"). */
	output: string;
	base: number;
	total: number;
	steps: WaterfallStep[];
}

/**
 * One output of a row's explanation as a waterfall: from the base, the `top` columns that move it
 * most (largest |contribution| first), then the rest summed in one step, to the output.
 */
export function waterfallOf(row: RowExplanation, output: number, name: string, top = 6): Waterfall {
	const entries = Object.entries(row.contributions)
		.map(([label, v]) => ({ label, value: v[output]!, error: row.errors?.[label]?.[output] ?? 0 }))
		.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
	const shown = entries.slice(0, top);
	const rest = entries.slice(top);
	if (rest.length)
		shown.push({
			label: `${rest.length} other column${rest.length === 1 ? '' : 's'}`,
			value: rest.reduce((s, e) => s + e.value, 0),
			error: Math.sqrt(rest.reduce((s, e) => s + e.error ** 2, 0))
		});
	let at = row.base[output]!;
	const steps = shown.map((e) => {
		const step = { ...e, start: at, end: at + e.value };
		at += e.value;
		return step;
	});
	return { output: name, base: row.base[output]!, total: row.output[output]!, steps };
}

/** The waterfall in words (a chart's text alternative). */
export function waterfallText(w: Waterfall): string {
	const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toPrecision(3)}`;
	return `${w.output}: base ${w.base.toPrecision(4)}, ${w.steps
		.map(
			(s) => `${s.label} ${signed(s.value)}${s.error > 0 ? ` (± ${s.error.toPrecision(2)})` : ''}`
		)
		.join(', ')}; output ${w.total.toPrecision(4)}`;
}
