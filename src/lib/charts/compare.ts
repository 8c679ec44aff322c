import * as Plot from '@observablehq/plot';
import type { Curves } from '../core/model/results';
import type { EpochLog } from '../core/model/family';

/**
 * Charts that overlay several runs, one colour per run (named in the legend by the run's name):
 * the validation loss per epoch / iteration, ROC, PR and calibration.
 */
export interface RunSeries<T> {
	run: string;
	data: T;
}

/** One colour per run, the same in every overlay of the page. */
const RUN_COLOURS = ['#1f6f6b', '#d9822b', '#5b4bb7', '#b3261e', '#2f7d32', '#7a5c3e'];

function colour(runs: string[]) {
	return { domain: runs, range: RUN_COLOURS, legend: true };
}

/** Validation loss (training loss where a run had no validation rows) per step, per run. */
export function lossOverlay(series: RunSeries<EpochLog[]>[], width = 520): Element {
	const points = series.flatMap(({ run, data }) =>
		data.map((e) => ({ run, step: e.epoch, loss: e.valLoss ?? e.loss }))
	);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 56,
		x: { label: 'epoch / iteration', grid: true },
		y: { label: 'validation loss', grid: true },
		color: colour(series.map((s) => s.run)),
		marks: [Plot.line(points, { x: 'step', y: 'loss', stroke: 'run', strokeWidth: 2, tip: true })]
	});
}

const diagonal = Plot.line(
	[
		{ x: 0, y: 0 },
		{ x: 1, y: 1 }
	],
	{ x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4 3' }
);

export function rocOverlay(series: RunSeries<NonNullable<Curves['roc']>>[], width = 320): Element {
	const points = series.flatMap(({ run, data }) =>
		data.fpr.map((fpr, i) => ({ run, fpr, tpr: data.tpr[i]! }))
	);
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'false positive rate', domain: [0, 1] },
		y: { label: 'true positive rate', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.run)),
		marks: [
			diagonal,
			Plot.line(points, { x: 'fpr', y: 'tpr', stroke: 'run', strokeWidth: 2, curve: 'step-after' })
		]
	});
}

export function prOverlay(series: RunSeries<NonNullable<Curves['pr']>>[], width = 320): Element {
	const points = series.flatMap(({ run, data }) =>
		data.recall.map((recall, i) => ({ run, recall, precision: data.precision[i]! }))
	);
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'recall', domain: [0, 1] },
		y: { label: 'precision', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.run)),
		marks: [
			Plot.line(points, {
				x: 'recall',
				y: 'precision',
				stroke: 'run',
				strokeWidth: 2,
				curve: 'step-before'
			})
		]
	});
}

export function calibrationOverlay(
	series: RunSeries<NonNullable<Curves['calibration']>>[],
	width = 320
): Element {
	const points = series.flatMap(({ run, data }) => data.map((bin) => ({ run, ...bin })));
	return Plot.plot({
		width,
		height: width,
		marginLeft: 48,
		x: { label: 'predicted probability', domain: [0, 1] },
		y: { label: 'observed frequency', domain: [0, 1], grid: true },
		color: colour(series.map((s) => s.run)),
		marks: [
			diagonal,
			Plot.line(points, { x: 'confidence', y: 'observed', stroke: 'run', strokeWidth: 2 }),
			Plot.dot(points, { x: 'confidence', y: 'observed', fill: 'run', r: 3, tip: true })
		]
	});
}
