import * as Plot from '@observablehq/plot';
import type { Curves } from '../core/model/results';
import type { EpochLog } from '../core/model/family';

/**
 * Charts that overlay several series — runs on the compare page, classes (one against the rest)
 * on a multiclass run — one colour per series, named in the legend: the validation loss per
 * epoch / iteration, ROC, PR and calibration.
 */
export interface Series<T> {
	/** The legend's name: a run's name, or a class with its area. */
	name: string;
	data: T;
}

/** Up to six series in the studio's colours; more take Tableau's ten, then repeat. */
const SERIES_COLOURS = ['#1f6f6b', '#d9822b', '#5b4bb7', '#b3261e', '#2f7d32', '#7a5c3e'];

function colour(names: string[]) {
	return names.length <= SERIES_COLOURS.length
		? { domain: names, range: SERIES_COLOURS, legend: true }
		: { domain: names, scheme: 'tableau10' as const, legend: true };
}

/** Validation loss (training loss where a run had no validation rows) per step, per run. */
export function lossOverlay(series: Series<EpochLog[]>[], width = 520): Element {
	const points = series.flatMap(({ name, data }) =>
		data.map((e) => ({ series: name, step: e.epoch, loss: e.valLoss ?? e.loss }))
	);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 56,
		x: { label: 'epoch / iteration', grid: true },
		y: { label: 'validation loss', grid: true },
		color: colour(series.map((s) => s.name)),
		marks: [
			Plot.line(points, { x: 'step', y: 'loss', stroke: 'series', strokeWidth: 2, tip: true })
		]
	});
}

const diagonal = Plot.line(
	[
		{ x: 0, y: 0 },
		{ x: 1, y: 1 }
	],
	{ x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4 3' }
);

export function rocOverlay(series: Series<NonNullable<Curves['roc']>>[], width = 320): Element {
	const points = series.flatMap(({ name, data }) =>
		data.fpr.map((fpr, i) => ({ series: name, fpr, tpr: data.tpr[i]! }))
	);
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'false positive rate', domain: [0, 1] },
		y: { label: 'true positive rate', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.name)),
		marks: [
			diagonal,
			Plot.line(points, {
				x: 'fpr',
				y: 'tpr',
				stroke: 'series',
				strokeWidth: 2,
				curve: 'step-after'
			})
		]
	});
}

export function prOverlay(series: Series<NonNullable<Curves['pr']>>[], width = 320): Element {
	const points = series.flatMap(({ name, data }) =>
		data.recall.map((recall, i) => ({ series: name, recall, precision: data.precision[i]! }))
	);
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'recall', domain: [0, 1] },
		y: { label: 'precision', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.name)),
		marks: [
			Plot.line(points, {
				x: 'recall',
				y: 'precision',
				stroke: 'series',
				strokeWidth: 2,
				curve: 'step-before'
			})
		]
	});
}

export function calibrationOverlay(
	series: Series<NonNullable<Curves['calibration']>>[],
	width = 320
): Element {
	const points = series.flatMap(({ name, data }) => data.map((bin) => ({ series: name, ...bin })));
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'predicted probability', domain: [0, 1] },
		y: { label: 'observed frequency', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.name)),
		marks: [
			diagonal,
			Plot.line(points, { x: 'confidence', y: 'observed', stroke: 'series', strokeWidth: 2 }),
			Plot.dot(points, { x: 'confidence', y: 'observed', fill: 'series', r: 3, tip: true })
		]
	});
}
