import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { primaryScore, score } from './score';
import type { ClassTarget, RegressionTarget } from './task';

describe('primaryScore', () => {
	const random = seededRandom(3);
	const rows = Int32Array.from({ length: 200 }, (_, i) => i * 2);

	it('equals the full score’s accuracy for classes, ties included', () => {
		const k = 3;
		const target: ClassTarget = {
			task: 'multiclass',
			rows,
			dropped: 0,
			classes: Int32Array.from({ length: 400 }, () => Math.floor(random() * k)),
			values: null,
			labels: ['a', 'b', 'c']
		};
		// Coarse probabilities: many rows tie between two classes.
		const matrix = Float64Array.from(
			{ length: rows.length * k },
			() => Math.round(random() * 2) / 4
		);
		const full = score(matrix, rows, target, null).metrics.accuracy;
		expect(primaryScore(matrix, rows, target, null)).toBe(full);
		expect(full).toBeGreaterThan(0);
	});

	it('equals the full score’s R² in target units for regression', () => {
		const target: RegressionTarget = {
			task: 'regression',
			rows,
			dropped: 0,
			values: Float64Array.from({ length: 400 }, () => 10 + 5 * random()),
			classes: null,
			labels: []
		};
		const scaleOf = { center: 12, scale: 1.5 };
		const matrix = Float64Array.from(
			rows,
			(r) => (target.values[r]! - 12) / 1.5 + 0.3 * (random() - 0.5)
		);
		const full = score(matrix, rows, target, scaleOf).metrics.r2;
		expect(primaryScore(matrix, rows, target, scaleOf)).toBe(full);
		expect(full).toBeGreaterThan(0.5);
	});
});
