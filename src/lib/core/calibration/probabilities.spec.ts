import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { applyProbabilityMap, chooseCalibration, fitProbabilityMap } from './probabilities';

interface Case {
	k: number;
	p: number[];
	y: number[];
	scale: number;
	bias: number[];
}
const cases = JSON.parse(
	readFileSync(
		new URL('../../../../tests/fixtures/reference/calibration.json', import.meta.url),
		'utf8'
	)
) as Case[];

describe('probability maps', () => {
	it.each(cases.map((c) => [`${c.k} classes, ${c.y.length} rows`, c] as const))(
		'fit as scikit-learn (Platt) and SciPy (temperature) do: %s',
		(_, c) => {
			const map = fitProbabilityMap(c.p, c.y, c.k);
			expect(map.method).toBe(c.k === 2 ? 'platt' : 'temperature');
			expect(map.scale).toBeCloseTo(c.scale, 4);
			map.bias.forEach((b, i) => expect(b).toBeCloseTo(c.bias[i]!, 4));
		}
	);

	it('maps rows to probabilities that sum to 1; temperature keeps each row’s top class', () => {
		const c = cases[2]!;
		const map = fitProbabilityMap(c.p, c.y, c.k);
		const mapped = applyProbabilityMap(map, c.p, c.k);
		for (let i = 0; i < c.y.length; i++) {
			const row = Array.from(mapped.subarray(i * c.k, (i + 1) * c.k));
			expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
			const raw = c.p.slice(i * c.k, (i + 1) * c.k);
			expect(row.indexOf(Math.max(...row))).toBe(raw.indexOf(Math.max(...raw)));
		}
		// The identity map changes nothing.
		const same = applyProbabilityMap(
			{ method: 'temperature', scale: 1, bias: [0, 0, 0, 0] },
			c.p,
			4
		);
		// (up to the floor under the log: a probability below 1e-7 reads as 1e-7)
		same.forEach((v, i) => expect(v).toBeCloseTo(c.p[i]!, 6));
	});

	it('keeps a map that beats the raw probabilities beyond chance, and no map on calibrated ones', () => {
		const c = cases[0]!;
		const folds = Int32Array.from(c.y, (_, i) => i % 5);
		const over = chooseCalibration(c.p, c.y, folds, 2)!;
		expect(over.map).not.toBeNull();
		expect(over.calibrated).toBeLessThan(over.raw - 2 * over.error);
		// Probabilities that are the truth's own: nothing to gain.
		const random = seededRandom(9);
		const p: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 2000; i++) {
			const q = random();
			p.push(1 - q, q);
			y.push(random() < q ? 1 : 0);
		}
		const fair = chooseCalibration(
			p,
			y,
			Int32Array.from(y, (_, i) => i % 5),
			2
		)!;
		expect(fair.map).toBeNull();
		expect(fair.rows).toBe(2000);
		expect(chooseCalibration(p, y, new Int32Array(y.length), 2)).toBeNull();
	});
});
