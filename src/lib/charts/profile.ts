import * as Plot from '@observablehq/plot';
import { fittedLabels } from './labels';
import { PALETTE } from './palette';
import type { ColumnProfile, CorrelationMatrix } from '../core/profile/types';

/**
 * Chart builders for the profile, one per figure, with Observable Plot. Each returns an element
 * for `PlotFigure`; labels and values are data, passed to Plot as text (never as HTML).
 */
const ACCENT = PALETTE.accent;
const MUTED = PALETTE.muted;

/** The distribution of a numeric or datetime column. */
export function histogramChart(column: ColumnProfile, width = 300): Element {
	const h = column.histogram!;
	const isDate = column.type === 'datetime';
	if (h.kind === 'values') {
		const data = h.values.map((value, i) => ({ value: String(value), count: h.counts[i]! }));
		return Plot.plot({
			width,
			height: 140,
			marginLeft: 40,
			x: { label: null, type: 'band' },
			y: { label: 'rows', grid: true },
			marks: [Plot.barY(data, { x: 'value', y: 'count', fill: ACCENT, tip: true }), Plot.ruleY([0])]
		});
	}
	const bins = h.counts.map((count, i) => {
		const x0 = h.edges[i]!;
		const x1 = h.edges[i + 1]!;
		return { x0: isDate ? new Date(x0) : x0, x1: isDate ? new Date(x1) : x1, count };
	});
	return Plot.plot({
		width,
		height: 140,
		marginLeft: 40,
		// Room for the last tick's label ("1982") inside the card.
		marginRight: 18,
		x: { label: null, type: isDate ? 'utc' : 'linear', ticks: 4 },
		y: { label: 'rows', grid: true },
		marks: [
			Plot.rectY(bins, {
				x1: 'x0',
				x2: 'x1',
				y: 'count',
				fill: ACCENT,
				insetLeft: 0.5,
				insetRight: 0.5,
				tip: true
			}),
			Plot.ruleY([0])
		]
	});
}

/** The most frequent categories of a coded column, with the rest summed as "other". */
export function categoriesChart(column: ColumnProfile, width = 300): Element {
	const listed = column.top.reduce((s, t) => s + t.count, 0);
	const rest = column.count - listed;
	const data = column.top
		.slice(0, 8)
		.map((t) => ({ label: t.value === '' ? '(empty)' : t.value, count: t.count }));
	const others = rest + column.top.slice(8).reduce((s, t) => s + t.count, 0);
	if (others > 0)
		data.push({
			label: `other (${column.unique - Math.min(8, column.top.length)} values)`,
			count: others
		});
	const labels = fittedLabels(
		data.map((d) => d.label),
		140
	);
	return Plot.plot({
		width,
		// Plot's margins take about 50 px: what is left gives each bar at least 18 px.
		height: 56 + data.length * 20,
		marginLeft: labels.marginLeft,
		x: { label: 'rows', grid: true, ticks: 4 },
		y: { label: null, domain: data.map((d) => d.label), tickFormat: labels.tickFormat },
		marks: [
			Plot.barX(data, {
				y: 'label',
				x: 'count',
				fill: (d: { label: string }) => (d.label.startsWith('other (') ? MUTED : ACCENT),
				tip: true
			}),
			Plot.ruleX([0])
		]
	});
}

/** The numeric correlation matrix as a diverging heat map, r printed in each cell. */
export function correlationChart(matrix: CorrelationMatrix, width = 560): Element {
	const cells = matrix.names.flatMap((a, i) =>
		matrix.names.map((b, j) => ({ a, b, r: matrix.values[i]![j] }))
	);
	const size = Math.max(
		28,
		Math.min(56, Math.floor((width - 160) / Math.max(1, matrix.names.length)))
	);
	const labels = fittedLabels(matrix.names, 170);
	const margin = labels.marginLeft;
	return Plot.plot({
		width: margin + size * matrix.names.length + 20,
		height: margin + size * matrix.names.length,
		marginLeft: margin,
		marginBottom: margin,
		x: { label: null, domain: matrix.names, tickRotate: -40, tickFormat: labels.tickFormat },
		y: { label: null, domain: matrix.names, tickFormat: labels.tickFormat },
		color: { type: 'linear', scheme: 'RdBu', domain: [-1, 1], legend: true, label: 'Pearson r' },
		marks: [
			Plot.cell(cells, {
				x: 'b',
				y: 'a',
				fill: (d: { r: number | null }) => d.r ?? NaN,
				tip: true
			}),
			Plot.text(cells, {
				x: 'b',
				y: 'a',
				text: (d: { r: number | null }) => (d.r === null ? '–' : d.r.toFixed(2)),
				fill: (d: { r: number | null }) =>
					d.r !== null && Math.abs(d.r) > 0.6 ? 'white' : 'black',
				fontSize: 10
			})
		]
	});
}

/** Each feature's association with the target, strongest first. */
export function associationChart(columns: ColumnProfile[], width = 520): Element {
	const data = columns
		.filter((c) => c.association)
		.map((c) => ({
			name: c.name,
			value: c.association!.value,
			measure:
				c.association!.measure === 'cramers_v'
					? "Cramér's V"
					: c.association!.measure === 'eta'
						? 'η'
						: '|r|'
		}))
		.sort((a, b) => b.value - a.value);
	const labels = fittedLabels(
		data.map((d) => d.name),
		180
	);
	return Plot.plot({
		width,
		height: 50 + data.length * 26,
		style: { fontSize: '12px' },
		marginLeft: labels.marginLeft,
		marginRight: 60,
		marginBottom: 44,
		x: {
			domain: [0, 1],
			label: 'association with target (0 = none, 1 = perfect)',
			grid: true,
			labelOffset: 36
		},
		y: { label: null, domain: data.map((d) => d.name), tickFormat: labels.tickFormat },
		marks: [
			Plot.barX(data, {
				y: 'name',
				x: 'value',
				fill: (d: { value: number }) => (d.value >= 0.95 ? PALETTE.alert : ACCENT)
			}),
			Plot.text(data, {
				y: 'name',
				x: 'value',
				text: (d: { value: number; measure: string }) => `${d.measure} ${d.value.toFixed(2)}`,
				dx: 6,
				textAnchor: 'start'
			}),
			Plot.ruleX([0])
		]
	});
}
