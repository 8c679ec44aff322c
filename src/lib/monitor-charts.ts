import * as Plot from '@observablehq/plot';
import type { FeatureDrift } from './core/drift/report';
import type { MonitorBatchRecord } from './storage/types';

/** Share of drifted features per batch, with the dataset-drift threshold; measured score if any. */
export function timelineChart(batches: MonitorBatchRecord[], width = 620): Element {
	const points = batches.flatMap((b, i) => [
		{ batch: i + 1, value: b.report.driftShare, series: 'share of drifted features' },
		...(b.performance
			? [
					{
						batch: i + 1,
						value: b.performance.value,
						series: `${b.performance.metric} (measured or estimated)`
					}
				]
			: [])
	]);
	return Plot.plot({
		width,
		height: 240,
		marginLeft: 44,
		x: { label: 'batch', grid: true, ticks: Math.min(batches.length, 10), tickFormat: 'd' },
		y: { label: null, domain: [0, 1], grid: true },
		color: {
			legend: true,
			domain: [
				'share of drifted features',
				...new Set(
					points.filter((p) => p.series !== 'share of drifted features').map((p) => p.series)
				)
			],
			range: ['#b3261e', '#1f6f6b']
		},
		marks: [
			Plot.ruleY([0.5], { stroke: '#b3261e', strokeDasharray: '4 3', strokeOpacity: 0.6 }),
			Plot.line(points, { x: 'batch', y: 'value', stroke: 'series', strokeWidth: 2 }),
			Plot.dot(points, { x: 'batch', y: 'value', fill: 'series', tip: true })
		]
	});
}

/** Reference and batch distributions of one feature, as shares side by side. */
export function overlayChart(feature: FeatureDrift, width = 620): Element {
	const total = (values: number[]) => values.reduce((a, b) => a + b, 0) || 1;
	const refTotal = total(feature.bins.reference);
	const curTotal = total(feature.bins.current);
	const data = feature.bins.labels.flatMap((label, i) => [
		{ label, side: 'reference', share: feature.bins.reference[i]! / refTotal },
		{ label, side: 'batch', share: feature.bins.current[i]! / curTotal }
	]);
	return Plot.plot({
		width,
		height: 240,
		marginBottom: 60,
		x: {
			label: null,
			domain: feature.bins.labels,
			tickRotate: feature.bins.labels.length > 6 ? -35 : 0
		},
		fx: { label: null },
		y: { label: 'share of rows', grid: true },
		color: { legend: true, domain: ['reference', 'batch'], range: ['#9aa7a9', '#d9822b'] },
		marks: [
			Plot.barY(data, {
				x: 'label',
				y: 'share',
				fill: 'side',
				mixBlendMode: 'multiply',
				fillOpacity: 0.75
			}),
			Plot.ruleY([0])
		]
	});
}
