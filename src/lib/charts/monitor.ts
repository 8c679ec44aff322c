import * as Plot from '@observablehq/plot';
import { fittedLabels } from './labels';
import { PALETTE } from './palette';
import type { FeatureDrift } from '../core/drift/types';
import type { MonitorBatchRecord } from '../storage/types';

/** Whole batch numbers, at most about ten of them. */
function batchTicks(count: number): number[] {
	const step = Math.max(1, Math.ceil(count / 10));
	return Array.from({ length: Math.ceil(count / step) }, (_, i) => 1 + i * step);
}

/**
 * A batch's tick: its number over when it was uploaded — the time of day when every batch came
 * the same day, else the day ("2 Dec").
 */
function uploadTicks(batches: MonitorBatchRecord[]): (batch: number) => string {
	const day = (ms: number) => new Date(ms).toDateString();
	const sameDay = batches.every((b) => day(b.uploadedAt) === day(batches[0]!.uploadedAt));
	const format = new Intl.DateTimeFormat(
		'en-GB',
		sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' }
	);
	return (batch) => {
		const record = batches[batch - 1];
		return record ? `${batch}\n${format.format(record.uploadedAt)}` : String(batch);
	};
}

const RED = PALETTE.alert;
const TEAL = PALETTE.accent;
const GREY = PALETTE.grey;

/**
 * Over the batches: the share of drifted features against the dataset-drift threshold, and the
 * score — measured (solid) or estimated by CBPE (hollow, with its band) — against the test score
 * at training and the policy's alert line.
 */
export function timelineChart(
	batches: MonitorBatchRecord[],
	datasetShare: number,
	performanceDrop: number,
	width = 620
): Element {
	const share = batches.map((b, i) => ({ batch: i + 1, value: b.report.driftShare }));
	const scored = batches.flatMap((b, i) =>
		b.performance ? [{ batch: i + 1, ...b.performance }] : []
	);
	const measured = scored.filter((p) => !p.estimated);
	const estimated = scored.filter((p) => p.estimated && p.reliable !== false);
	// Off the reference's support CBPE cannot know: drawn apart, never as a confident estimate.
	const unreliable = scored.filter((p) => p.estimated && p.reliable === false);
	const reference = scored.find((p) => Number.isFinite(p.reference))?.reference ?? null;
	const metric = scored[0]?.metric ?? 'score';
	const series = ['share of drifted features', ...(scored.length ? [metric] : [])];
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 44,
		marginBottom: 48,
		x: {
			label: 'batch (uploaded)',
			grid: true,
			ticks: batchTicks(batches.length),
			tickFormat: uploadTicks(batches),
			// The first and last batch's points sit inside the frame, not on its edge.
			inset: 14,
			labelOffset: 40
		},
		y: { label: null, domain: [0, 1], grid: true },
		color: { legend: true, domain: series, range: [RED, TEAL] },
		marks: [
			Plot.ruleY([datasetShare], { stroke: RED, strokeDasharray: '4 3', strokeOpacity: 0.7 }),
			Plot.text([datasetShare], {
				y: (d: number) => d,
				frameAnchor: 'left',
				dy: -7,
				text: () => 'dataset drift',
				fill: RED,
				fontSize: 10
			}),
			...(reference !== null
				? [
						Plot.ruleY([reference], { stroke: TEAL, strokeOpacity: 0.5 }),
						Plot.ruleY([reference - performanceDrop], {
							stroke: TEAL,
							strokeDasharray: '4 3',
							strokeOpacity: 0.7
						}),
						Plot.text([reference - performanceDrop], {
							y: (d: number) => d,
							frameAnchor: 'left',
							dy: 8,
							text: () => `test score − ${performanceDrop}`,
							fill: TEAL,
							fontSize: 10
						})
					]
				: []),
			Plot.line(share, { x: 'batch', y: 'value', stroke: RED, strokeWidth: 2 }),
			Plot.dot(share, {
				x: 'batch',
				y: 'value',
				fill: RED,
				tip: true,
				title: (d: { batch: number; value: number }) =>
					`batch ${d.batch}: ${(d.value * 100).toFixed(0)} % of features drifted`
			}),
			Plot.line(scored, { x: 'batch', y: 'value', stroke: TEAL, strokeWidth: 2 }),
			Plot.ruleX(estimated, {
				x: 'batch',
				y1: 'lower',
				y2: 'upper',
				stroke: TEAL,
				strokeWidth: 3,
				strokeOpacity: 0.35
			}),
			Plot.dot(measured, {
				x: 'batch',
				y: 'value',
				fill: TEAL,
				tip: true,
				title: (d: (typeof scored)[number]) =>
					`batch ${d.batch}: measured ${d.metric} ${d.value.toFixed(3)}${d.lower !== null && d.upper !== null ? ` (95 % band ${d.lower.toFixed(3)}–${d.upper.toFixed(3)})` : ''}`
			}),
			Plot.dot(estimated, {
				x: 'batch',
				y: 'value',
				stroke: TEAL,
				fill: 'white',
				strokeWidth: 2,
				tip: true,
				title: (d: (typeof scored)[number]) =>
					`batch ${d.batch}: estimated ${d.metric} ${d.value.toFixed(3)} (95 % band ${d.lower?.toFixed(3)}–${d.upper?.toFixed(3)})`
			}),
			Plot.dot(unreliable, {
				x: 'batch',
				y: 'value',
				symbol: 'times',
				stroke: GREY,
				strokeWidth: 2,
				r: 5,
				tip: true,
				title: (d: (typeof scored)[number]) =>
					`batch ${d.batch}: estimated ${d.metric} ${d.value.toFixed(3)} — unreliable: ${(d.reasons ?? []).join('; ')}`
			})
		]
	});
}

/** PSI of every feature in every batch (darker = more); a dot where the feature's test said drifted. */
export function featureDriftChart(batches: MonitorBatchRecord[], width = 620): Element {
	const cells = batches.flatMap((b, i) =>
		b.report.features.map((f) => ({
			batch: i + 1,
			feature: f.name,
			psi: f.psi,
			drifted: f.drifted,
			test: f.test
		}))
	);
	const worst = new Map<string, number>();
	for (const c of cells) worst.set(c.feature, Math.max(worst.get(c.feature) ?? 0, c.psi));
	const features = [...worst.keys()].sort((a, b) => worst.get(b)! - worst.get(a)!);
	const labels = fittedLabels(features, 170);
	return Plot.plot({
		width,
		height: Math.max(140, 26 * features.length + 60),
		marginLeft: labels.marginLeft,
		x: { label: 'batch', type: 'band', tickFormat: 'd' },
		y: { label: null, domain: features, tickFormat: labels.tickFormat },
		color: {
			type: 'linear',
			domain: [0, 0.5],
			range: [PALETTE.paper, RED],
			clamp: true,
			legend: true,
			label: 'PSI (0.1 moderate, 0.25 significant)'
		},
		marks: [
			Plot.cell(cells, {
				x: 'batch',
				y: 'feature',
				fill: 'psi',
				inset: 1,
				tip: true,
				title: (d: (typeof cells)[number]) =>
					`${d.feature}, batch ${d.batch}: PSI ${d.psi.toFixed(3)}${d.drifted ? ` — drifted (${d.test})` : ''}`
			}),
			Plot.dot(
				cells.filter((c) => c.drifted),
				{ x: 'batch', y: 'feature', r: 3, fill: 'white', stroke: PALETTE.ink }
			)
		]
	});
}

/**
 * Reference and batch distributions of one feature, as shares: the batch as filled bars, the
 * reference as an outline over them, so both stay readable where they overlap (two translucent
 * fills blended into a third colour that meant neither).
 */
export function overlayChart(
	feature: FeatureDrift,
	width = 620,
	/** Another document to draw in (a report made outside a page, in Node). */
	document?: Document
): Element {
	const total = (values: number[]) => values.reduce((a, b) => a + b, 0) || 1;
	const refTotal = total(feature.bins.reference);
	const curTotal = total(feature.bins.current);
	const bars = feature.bins.labels.map((label, i) => ({
		label,
		reference: feature.bins.reference[i]! / refTotal,
		batch: feature.bins.current[i]! / curTotal
	}));
	const turn = feature.bins.labels.length > 6;
	return Plot.plot({
		...(document ? { document } : {}),
		width,
		height: turn ? 260 : 230,
		marginBottom: turn ? 70 : 40,
		x: { label: null, domain: feature.bins.labels, tickRotate: turn ? -35 : 0 },
		y: { label: 'share of rows', grid: true },
		color: {
			legend: true,
			domain: ['batch (bars)', 'reference (outline)'],
			range: [PALETTE.warm, PALETTE.ink]
		},
		marks: [
			Plot.barY(bars, {
				x: 'label',
				y: 'batch',
				fill: PALETTE.warm,
				fillOpacity: 0.8,
				inset: 2,
				tip: true,
				title: (d: (typeof bars)[number]) =>
					`${d.label}: batch ${(d.batch * 100).toFixed(1)} %, reference ${(d.reference * 100).toFixed(1)} %`
			}),
			Plot.barY(bars, {
				x: 'label',
				y: 'reference',
				fill: 'none',
				stroke: PALETTE.ink,
				strokeWidth: 1.5,
				inset: 1
			}),
			Plot.ruleY([0])
		]
	});
}
