import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../stats/random';
import {
	boundPredictions,
	conformalQuantile,
	ConformalError,
	fitSpread,
	intervalScores,
	keptScores,
	predictionSet,
	rowsNeeded,
	setScores,
	spreadAt,
	type ConformalCalibration
} from './conformal';
import { measureCoverage } from './coverage';
import { rowDraws } from './draws';
import type { Table } from '../table/types';
import { coded, numeric } from '../../../../tests/unit/columns';

/** y = x + noise whose spread grows with x: a model that predicts x exactly. */
function heteroscedastic(n: number, random: () => number) {
	const predicted = new Float64Array(n);
	const truth = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const x = random() * 10;
		predicted[i] = x;
		truth[i] = x + gaussian(random) * (0.2 + x);
	}
	return { predicted, truth };
}

/** Calibrated probabilities (the class drawn from them): `sharp` near 1 means a sure model. */
function classesOf(n: number, k: number, sharp: number, random: () => number) {
	const probabilities = new Float64Array(n * k);
	const truth = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const top = Math.floor(random() * k);
		const p = sharp * (0.6 + 0.4 * random());
		for (let j = 0; j < k; j++) probabilities[i * k + j] = j === top ? p : (1 - p) / (k - 1);
		let u = random();
		let c = 0;
		while (c < k - 1 && u >= probabilities[i * k + c]!) u -= probabilities[i * k + c++]!;
		truth[i] = c;
	}
	return { probabilities, truth };
}

describe('conformal quantile', () => {
	it('takes the ⌈(n + 1)·level⌉-th smallest score and refuses too few rows', () => {
		expect(rowsNeeded(0.9)).toBe(9);
		expect(rowsNeeded(0.95)).toBe(19);
		expect(rowsNeeded(0.5)).toBe(1);
		const of = (scores: number[]): ConformalCalibration => ({
			kind: 'interval',
			rows: scores.length,
			scores,
			spread: null
		});
		const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
		expect(conformalQuantile(of(nine), 0.9)).toBe(9);
		expect(conformalQuantile(of(nine), 0.5)).toBe(5);
		expect(() => conformalQuantile(of(nine.slice(1)), 0.9)).toThrow(/at least 9 held-out rows/);
		expect(() => conformalQuantile(of(nine), 1)).toThrow(ConformalError);
		expect(() => conformalQuantile(of(nine), 0)).toThrow(/between 0 and 1/);
	});

	it('keeps a seeded sample of at most 5,000 scores, sorted', () => {
		const scores = Float64Array.from({ length: 12_000 }, (_, i) => (i * 7919) % 12_000);
		const kept = keptScores(scores, 3);
		expect(kept).toHaveLength(5000);
		expect(kept).toEqual([...kept].sort((a, b) => a - b));
		expect(keptScores(scores, 3)).toEqual(kept);
	});
});

describe('normalised intervals', () => {
	it('cover at the level over many calibrations, narrower where errors are small', () => {
		const random = seededRandom(11);
		const train = heteroscedastic(2000, random);
		const spread = fitSpread(train.predicted, train.truth)!;
		expect(spread.values.length).toBeGreaterThanOrEqual(5);
		expect(spreadAt(spread, 0.5)).toBeLessThan(spreadAt(spread, 9.5) / 4);
		const coverages: number[] = [];
		for (let trial = 0; trial < 200; trial++) {
			const cal = heteroscedastic(200, random);
			const scores = intervalScores(cal.predicted, cal.truth, spread);
			const calibration: ConformalCalibration = {
				kind: 'interval',
				rows: scores.length,
				scores: keptScores(scores, trial),
				spread
			};
			const test = heteroscedastic(500, random);
			coverages.push(
				measureCoverage(calibration, 0.9, test.predicted, test.truth, 1, new Float64Array(0))!
					.coverage
			);
		}
		const mean = coverages.reduce((a, b) => a + b, 0) / coverages.length;
		// Exact marginal coverage is in [0.9, 0.9 + 1/201]; 200 trials pin the mean to ±0.003.
		expect(mean).toBeGreaterThan(0.893);
		expect(mean).toBeLessThan(0.912);
		const one = boundPredictions(
			{ kind: 'interval', rows: 3, scores: [1, 1, 1], spread },
			0.5,
			[0.5, 9.5],
			1,
			new Float64Array(0)
		);
		if (one.kind !== 'interval') throw new Error('expected intervals');
		expect(one.upper[0]! - one.lower[0]!).toBeLessThan((one.upper[1]! - one.lower[1]!) / 4);
		expect(one.lower[0]! + one.upper[0]!).toBeCloseTo(1, 12);
	});

	it('has no spread for rows too few or fitted exactly', () => {
		expect(fitSpread([1, 2, 3], [1, 2, 4])).toBeNull();
		const p = Float64Array.from({ length: 100 }, (_, i) => i);
		expect(fitSpread(p, p)).toBeNull();
		expect(spreadAt(null, 5)).toBe(1);
	});
});

describe('adaptive prediction sets', () => {
	it.each([
		['a sure model (sets may be empty)', 0.97, false],
		['an unsure model', 0.55, false],
		['a model that gives many rows the same probabilities', 0.9, true]
	])('cover at the level on %s', (_, sharp, coarse) => {
		const random = seededRandom(sharp * 1000);
		const k = 4;
		// Each row's draw, independent of its probabilities (rowDraws hashes its inputs).
		const draws = (n: number) => Float64Array.from({ length: n }, () => random());
		const classes = (n: number) => {
			const made = classesOf(n, k, sharp, random);
			// Four distinct probability rows: what a small tree model's leaves give.
			if (coarse)
				for (let i = 0; i < n; i++) {
					const top = made.probabilities
						.subarray(i * k, (i + 1) * k)
						.indexOf(Math.max(...made.probabilities.subarray(i * k, (i + 1) * k)));
					for (let j = 0; j < k; j++)
						made.probabilities[i * k + j] = j === top ? sharp : (1 - sharp) / (k - 1);
				}
			return made;
		};
		const coverages: number[] = [];
		for (let trial = 0; trial < 100; trial++) {
			const cal = classes(300);
			const scores = setScores(cal.probabilities, cal.truth, k, draws(300));
			const calibration: ConformalCalibration = {
				kind: 'set',
				rows: scores.length,
				scores: keptScores(scores, trial)
			};
			const test = classes(500);
			coverages.push(
				measureCoverage(calibration, 0.9, test.probabilities, test.truth, k, draws(500))!.coverage
			);
		}
		const mean = coverages.reduce((a, b) => a + b, 0) / coverages.length;
		expect(mean).toBeGreaterThan(0.893);
		expect(mean).toBeLessThan(0.912);
	});

	it('gives one row one set, and nested sets as the level rises', () => {
		const probabilities = [0.5, 0.3, 0.15, 0.05];
		const sets = [0.2, 0.6, 0.85, 0.99].map((q) => predictionSet(probabilities, 0, 4, q, 0.4));
		for (let i = 1; i < sets.length; i++)
			expect(sets[i]!.slice(0, sets[i - 1]!.length)).toEqual(sets[i - 1]);
		expect(sets[3]).toEqual([0, 1, 2, 3].slice(0, sets[3]!.length));
		expect(predictionSet(probabilities, 0, 4, 0.6, 0.4)).toEqual(sets[1]);
		expect(predictionSet(probabilities, 0, 4, 1, 0.4)).toEqual([0, 1, 2, 3]);
		// u · 0.5 above q: the top class alone would over-cover, the set is empty.
		expect(predictionSet(probabilities, 0, 4, 0.3, 0.9)).toEqual([]);
	});

	it('skips rows without a known class', () => {
		expect(setScores([0.7, 0.3, 0.4, 0.6], [-1, 1], 2, [0.5, 0.5])).toHaveLength(1);
	});
});

describe('coverage report', () => {
	it('says when coverage is below the level by more than chance', () => {
		const calibration: ConformalCalibration = {
			kind: 'interval',
			rows: 9,
			scores: [1, 1, 1, 1, 1, 1, 1, 1, 1],
			spread: null
		};
		const predicted = new Float64Array(400);
		const within = measureCoverage(
			calibration,
			0.9,
			predicted,
			predicted.map((_, i) => (i % 10 === 0 ? 2 : 0.5)),
			1,
			new Float64Array(0)
		)!;
		expect(within.coverage).toBe(0.9);
		expect(within.below).toBe(false);
		expect(within.width).toBe(2);
		const far = measureCoverage(
			calibration,
			0.9,
			predicted,
			predicted.map((_, i) => (i % 4 === 0 ? 2 : 0.5)),
			1,
			new Float64Array(0)
		)!;
		expect(far.coverage).toBe(0.75);
		expect(far.below).toBe(true);
		expect(measureCoverage(calibration, 0.9, [1], [NaN], 1, new Float64Array(0))).toBeNull();
	});
});

describe('row draws', () => {
	it('are the same for the same inputs, independent and uniform across rows', () => {
		const n = 4000;
		const table: Table = {
			rowCount: n,
			columns: [
				numeric(
					'x',
					Array.from({ length: n }, (_, i) => (i % 2000) / 7)
				),
				coded(
					'c',
					Array.from({ length: n }, (_, i) => ['a', 'b', 'bc'][(i % 2000) % 3]!)
				)
			]
		};
		const u = rowDraws(table, ['x', 'c']);
		// Rows i and i + 2000 hold the same values.
		for (let i = 0; i < 2000; i++) expect(u[i]).toBe(u[i + 2000]);
		const first = Array.from(u.subarray(0, 2000));
		expect(new Set(first).size).toBe(2000);
		const mean = first.reduce((a, b) => a + b, 0) / first.length;
		expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
		// Deciles hold about a tenth each.
		const counts = new Array<number>(10).fill(0);
		for (const v of first) counts[Math.floor(v * 10)]!++;
		for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(50);
		// Another column order, or a subset of rows, reads the same values.
		expect(rowDraws(table, ['x', 'c'], Int32Array.from([5, 2005]))).toEqual(
			Float64Array.from([u[5]!, u[5]!])
		);
		expect(rowDraws(table, ['c', 'x'])[5]).not.toBe(u[5]);
	});
});
