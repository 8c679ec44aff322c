import * as Plot from '@observablehq/plot';
import { fittedLabels } from './labels';
import { PALETTE } from './palette';
import type { Curves, RobustnessPoint } from '../core/model/experiment';

/** Charts of a run's evaluation, one builder per figure (Observable Plot). */
const ACCENT = PALETTE.accent;
const WARM = PALETTE.warm;

export function confusionChart(confusion: number[], labels: string[], width = 360): Element {
	const k = labels.length;
	const cells = confusion.map((count, i) => ({
		actual: labels[Math.floor(i / k)]!,
		predicted: labels[i % k]!,
		count
	}));
	const size = Math.max(36, Math.min(70, Math.floor((width - 120) / k)));
	// Labels wider than a cell (about 6.5 px a character at 11 px) are turned, never run together;
	// longer than the margin holds, shortened (the actual axis has 110 px with its title).
	const fit = fittedLabels(labels, 96).tickFormat;
	const turn = k > 4 || Math.max(...labels.map((l) => l.length)) * 6.5 > size - 8;
	return Plot.plot({
		width: 120 + size * k,
		height: (turn ? 90 : 60) + size * k,
		marginLeft: 110,
		marginBottom: turn ? 80 : 50,
		x: { label: 'predicted', domain: labels, tickRotate: turn ? -30 : 0, tickFormat: fit },
		y: { label: 'actual', domain: labels, tickFormat: fit },
		color: { scheme: 'Blues', type: 'sqrt' },
		marks: [
			Plot.cell(cells, { x: 'predicted', y: 'actual', fill: 'count', inset: 1 }),
			Plot.text(cells, {
				x: 'predicted',
				y: 'actual',
				text: 'count',
				fill: (d: { count: number }) => (d.count > Math.max(...confusion) / 2 ? 'white' : 'black')
			})
		]
	});
}

export function rocChart(roc: NonNullable<Curves['roc']>, width = 320): Element {
	const points = roc.fpr.map((fpr, i) => ({ fpr, tpr: roc.tpr[i]! }));
	return Plot.plot({
		width,
		height: width,
		x: { label: 'false positive rate', domain: [0, 1] },
		y: { label: 'true positive rate', domain: [0, 1], grid: true },
		marks: [
			Plot.line(
				[
					{ x: 0, y: 0 },
					{ x: 1, y: 1 }
				],
				{ x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4 3' }
			),
			Plot.line(points, { x: 'fpr', y: 'tpr', stroke: ACCENT, strokeWidth: 2, curve: 'step-after' })
		]
	});
}

export function prChart(pr: NonNullable<Curves['pr']>, width = 320): Element {
	const points = pr.recall.map((recall, i) => ({ recall, precision: pr.precision[i]! }));
	return Plot.plot({
		width,
		height: width,
		x: { label: 'recall', domain: [0, 1] },
		y: { label: 'precision', domain: [0, 1], grid: true },
		marks: [
			Plot.line(points, {
				x: 'recall',
				y: 'precision',
				stroke: ACCENT,
				strokeWidth: 2,
				curve: 'step-before'
			})
		]
	});
}

export function calibrationChart(bins: NonNullable<Curves['calibration']>, width = 320): Element {
	return Plot.plot({
		width,
		height: width,
		x: { label: 'predicted probability', domain: [0, 1] },
		y: { label: 'observed frequency', domain: [0, 1], grid: true },
		r: { range: [2, 9] },
		marks: [
			Plot.line(
				[
					{ x: 0, y: 0 },
					{ x: 1, y: 1 }
				],
				{ x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4 3' }
			),
			Plot.line(bins, { x: 'confidence', y: 'observed', stroke: ACCENT }),
			Plot.dot(bins, { x: 'confidence', y: 'observed', r: 'count', fill: ACCENT, tip: true })
		]
	});
}

export function residualChart(residuals: NonNullable<Curves['residuals']>, width = 420): Element {
	return Plot.plot({
		width,
		height: 280,
		x: { label: 'predicted', grid: true },
		y: { label: 'actual − predicted', grid: true },
		marks: [
			Plot.ruleY([0], { stroke: '#999' }),
			Plot.dot(residuals, { x: 'predicted', y: 'residual', fill: ACCENT, fillOpacity: 0.6, r: 2.5 })
		]
	});
}

/** Test metric as noise or missing values grow, from the clean score at level 0. */
export function robustnessChart(
	points: RobustnessPoint[],
	clean: number,
	metric: string,
	width = 420
): Element {
	const data = [
		{ kind: 'noise (× feature std)', level: 0, value: clean },
		...points
			.filter((p) => p.kind === 'noise')
			.map((p) => ({ kind: 'noise (× feature std)', level: p.level, value: p.value })),
		{ kind: 'missing (share of cells)', level: 0, value: clean },
		...points
			.filter((p) => p.kind === 'missing')
			.map((p) => ({ kind: 'missing (share of cells)', level: p.level, value: p.value }))
	];
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 50,
		x: { label: 'perturbation level', grid: true },
		y: { label: `test ${metric}`, grid: true },
		color: { legend: true, range: [ACCENT, WARM] },
		marks: [
			Plot.line(data, { x: 'level', y: 'value', stroke: 'kind', strokeWidth: 2 }),
			Plot.dot(data, { x: 'level', y: 'value', fill: 'kind', tip: true })
		]
	});
}

/** Mean drop per column as a bar, with a whisker of ± one standard deviation over the shuffles. */
export function importanceChart(
	importance: { column: string; drop: number; std?: number }[],
	metric: string,
	width = 520
): Element {
	const spread = importance
		.filter((d) => d.std !== undefined && d.std > 0)
		.map((d) => ({ column: d.column, lo: d.drop - d.std!, hi: d.drop + d.std! }));
	const labels = fittedLabels(
		importance.map((d) => d.column),
		180
	);
	return Plot.plot({
		width,
		height: 56 + importance.length * 24,
		marginLeft: labels.marginLeft,
		marginBottom: 40,
		x: { label: `drop in test ${metric} when shuffled (mean ± std)`, grid: true, labelOffset: 34 },
		y: { label: null, domain: importance.map((d) => d.column), tickFormat: labels.tickFormat },
		marks: [
			Plot.barX(importance, {
				y: 'column',
				x: 'drop',
				fill: (d: { drop: number }) => (d.drop >= 0 ? ACCENT : PALETTE.muted)
			}),
			Plot.ruleX([0]),
			Plot.link(spread, {
				x1: 'lo',
				x2: 'hi',
				y1: 'column',
				y2: 'column',
				stroke: PALETTE.ink,
				strokeWidth: 1.5
			})
		]
	});
}

/**
 * A backtest's decay curve: the mean score by the model's age in periods, a band of ± one standard
 * deviation over the origins, and the constant baseline's mean score (dashed) on the same rows.
 */
export function decayChart(
	decay: { age: number; mean: number; std: number; baseline: number }[],
	metric: string,
	width = 520
): Element {
	const band = decay.map((d) => ({ age: d.age, lo: d.mean - d.std, hi: d.mean + d.std }));
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 50,
		x: {
			label: 'age of the model (periods since its training data ended)',
			ticks: decay.map((d) => d.age),
			tickFormat: 'd'
		},
		y: { label: metric, grid: true },
		marks: [
			Plot.areaY(band, { x: 'age', y1: 'lo', y2: 'hi', fill: ACCENT, fillOpacity: 0.15 }),
			Plot.line(decay, { x: 'age', y: 'baseline', stroke: '#999', strokeDasharray: '4 3' }),
			Plot.line(decay, { x: 'age', y: 'mean', stroke: ACCENT, strokeWidth: 2 }),
			Plot.dot(decay, { x: 'age', y: 'mean', fill: ACCENT, tip: true })
		]
	});
}

/** Each retraining policy's score per period (the recommended one drawn thick). */
export function policyChart(
	policies: { name: string; scores: { period: number; value: number }[] }[],
	recommended: string,
	periodName: (period: number) => string,
	metric: string,
	width = 640
): Element {
	const points = policies.flatMap((p) =>
		p.scores.map((s) => ({ policy: p.name, period: periodName(s.period), value: s.value }))
	);
	return Plot.plot({
		width,
		height: 300,
		marginLeft: 50,
		marginBottom: 50,
		x: { label: 'period scored', type: 'point', tickRotate: -30 },
		y: { label: metric, grid: true },
		color: { legend: true, scheme: 'tableau10' },
		marks: [
			Plot.line(points, {
				x: 'period',
				y: 'value',
				stroke: 'policy',
				strokeWidth: (d: { policy: string }) => (d.policy === recommended ? 3 : 1.2)
			}),
			Plot.dot(points, { x: 'period', y: 'value', fill: 'policy', r: 2, tip: true })
		]
	});
}
