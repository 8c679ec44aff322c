import * as Plot from '@observablehq/plot';
import { fittedLabels } from './labels';
import { PALETTE } from './palette';
import type { Waterfall } from '../core/explain/waterfall';

/**
 * A row's waterfall: one bar per column from the running total before it to after it (accent: it
 * raises the output, warm: it lowers it), an estimate's ± one standard error as a line across its
 * end, the base and the output as dashed rules.
 */
export function waterfallChart(w: Waterfall, width = 520): Element {
	const labels = fittedLabels(
		w.steps.map((s) => s.label),
		180
	);
	const spread = w.steps
		.filter((s) => s.error > 0)
		.map((s) => ({ label: s.label, lo: s.end - s.error, hi: s.end + s.error }));
	return Plot.plot({
		width,
		height: 64 + w.steps.length * 26,
		marginLeft: labels.marginLeft,
		// Room for the last bar's number past its end.
		marginRight: 56,
		marginBottom: 40,
		x: {
			label: `${w.output}: from the base (left rule) to the output (right rule)`,
			grid: true,
			labelOffset: 34
		},
		y: { label: null, domain: w.steps.map((s) => s.label), tickFormat: labels.tickFormat },
		marks: [
			Plot.ruleX([w.base], { stroke: PALETTE.grey, strokeDasharray: '4 3' }),
			Plot.ruleX([w.total], { stroke: PALETTE.ink, strokeDasharray: '4 3' }),
			Plot.barX(w.steps, {
				y: 'label',
				x1: 'start',
				x2: 'end',
				fill: (s: { value: number }) => (s.value >= 0 ? PALETTE.accent : PALETTE.warm)
			}),
			Plot.link(spread, {
				x1: 'lo',
				x2: 'hi',
				y1: 'label',
				y2: 'label',
				stroke: PALETTE.ink,
				strokeWidth: 1.5
			}),
			Plot.text(w.steps, {
				y: 'label',
				// Past the bar and its error line, so that neither hides the number.
				x: (s: { start: number; end: number; error: number }) => Math.max(s.start, s.end + s.error),
				text: (s: { value: number }) =>
					`${s.value >= 0 ? '+' : '−'}${Math.abs(s.value).toPrecision(3)}`,
				dx: 4,
				textAnchor: 'start',
				fill: PALETTE.ink
			})
		]
	});
}

/** Mean |contribution| per column, largest first (a run's contributions on its test rows). */
export function meanContributionChart(
	columns: { column: string; meanAbs: number }[],
	width = 420
): Element {
	const labels = fittedLabels(
		columns.map((c) => c.column),
		180
	);
	return Plot.plot({
		width,
		height: 40 + columns.length * 24,
		marginLeft: labels.marginLeft,
		marginRight: 48,
		x: { label: 'mean |contribution| →', grid: true },
		y: { label: null, domain: columns.map((c) => c.column), tickFormat: labels.tickFormat },
		marks: [
			Plot.barX(columns, { y: 'column', x: 'meanAbs', fill: PALETTE.accent }),
			Plot.text(columns, {
				y: 'column',
				x: 'meanAbs',
				text: (c: { meanAbs: number }) => c.meanAbs.toPrecision(3),
				dx: 4,
				textAnchor: 'start',
				fill: PALETTE.ink
			}),
			Plot.ruleX([0])
		]
	});
}

/**
 * A column's dependence plot: each explained row's value of the column against its contribution
 * (numbers on a scale, categories side by side); missing values left out.
 */
export function dependenceChart(
	d: {
		column: string;
		numeric: boolean;
		values: (number | string | null)[];
		contributions: number[];
	},
	output: string,
	width = 420
): Element {
	const points = d.values.flatMap((value, i) =>
		value === null ? [] : [{ value, contribution: d.contributions[i]! }]
	);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 56,
		marginBottom: 48,
		x: d.numeric
			? { label: `${d.column} →`, grid: true }
			: { label: d.column, type: 'band', tickRotate: points.length > 0 ? -20 : 0 },
		y: { label: `↑ contribution to ${output}`, grid: true },
		marks: [
			Plot.ruleY([0], { stroke: PALETTE.grey }),
			Plot.dot(points, {
				x: 'value',
				y: 'contribution',
				r: 2.5,
				fill: PALETTE.accent,
				fillOpacity: 0.6
			})
		]
	});
}
