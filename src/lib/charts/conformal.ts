import * as Plot from '@observablehq/plot';
import { PALETTE } from './palette';
import type { Coverage } from '../core/conformal/coverage';

/**
 * Measured test coverage against the level asked for: a dot per level with its 95 % interval,
 * the diagonal where they agree. Dots under the diagonal beyond their interval are bounds that
 * promise more than they hold (alert red); the others are accent.
 */
export function coverageChart(levels: Coverage[], width = 360): Element {
	const points = levels.map((c) => ({ ...c, percent: c.coverage * 100 }));
	const lowest = Math.min(50, ...levels.map((c) => c.lower * 100));
	return Plot.plot({
		width,
		height: 240,
		marginLeft: 48,
		marginBottom: 40,
		x: { label: 'level asked for (%)', domain: [lowest, 100], grid: true },
		y: { label: 'covered on the test rows (%)', domain: [lowest, 100], grid: true },
		marks: [
			Plot.line(
				[
					[lowest, lowest],
					[100, 100]
				],
				{ stroke: PALETTE.grey, strokeDasharray: '4 3' }
			),
			Plot.ruleX(points, {
				x: (c: Coverage) => c.level * 100,
				y1: (c: Coverage) => c.lower * 100,
				y2: (c: Coverage) => c.upper * 100,
				stroke: PALETTE.ink
			}),
			Plot.dot(points, {
				x: (c: Coverage) => c.level * 100,
				y: 'percent',
				r: 4,
				fill: (c: Coverage) => (c.below ? PALETTE.alert : PALETTE.accent)
			})
		]
	});
}
