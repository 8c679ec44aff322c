import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { sortFloat64 } from '../stats/sort';
import type { Table } from '../table/types';
import { orderBounds, type Block } from './bounds';
import { pushdownPlan, summaryKeys } from './pushdown-plan';
import { readSummary } from './pushdown-summary';
import { summaryScore } from './pushdown-score';
import { ksStatistic, wasserstein } from './stats';

const random = seededRandom(7);
const sample = (n: number, shift: number) =>
	Float64Array.from({ length: n }, () => Math.round((random() * 10 + shift) * 100) / 100);

describe('bounds on KS and Wasserstein from blocks', () => {
	it('are exact when every block is one value', () => {
		const a = sortFloat64(sample(300, 0));
		const b = sample(500, 1.5);
		const blocks: Block[] = Array.from(b, (v) => ({ n: 1, lo: v, hi: v }));
		const bounds = orderBounds(a, blocks);
		expect(bounds.ks.lower).toBeCloseTo(ksStatistic(a, b), 12);
		expect(bounds.ks.upper).toBeCloseTo(ksStatistic(a, b), 12);
		expect(bounds.wasserstein.lower).toBeCloseTo(wasserstein(a, b), 10);
		expect(bounds.wasserstein.upper).toBeCloseTo(wasserstein(a, b), 10);
	});

	it('hold the true values whatever the blocks', () => {
		for (let trial = 0; trial < 40; trial++) {
			const a = sortFloat64(sample(200, 0));
			const b = sortFloat64(sample(400, random() * 3));
			// Random consecutive runs of the sorted batch as blocks (what bins are).
			const blocks: Block[] = [];
			for (let i = 0; i < b.length;) {
				const n = 1 + Math.floor(random() * 60);
				const run = b.subarray(i, Math.min(b.length, i + n));
				blocks.push({
					n: run.length,
					lo: run[0]!,
					hi: run[run.length - 1]!,
					sum: run.reduce((t, v) => t + v, 0)
				});
				i += n;
			}
			const mean = b.reduce((t, v) => t + v, 0) / b.length;
			const bounds = orderBounds(a, blocks, mean);
			// The blocks' sums only tighten W₁'s lower bound.
			const without = orderBounds(
				a,
				blocks.map(({ n, lo, hi }) => ({ n, lo, hi })),
				mean
			);
			expect(bounds.wasserstein.lower).toBeGreaterThanOrEqual(without.wasserstein.lower);
			expect(bounds.ks.lower).toBeGreaterThanOrEqual(without.ks.lower);

			const ks = ksStatistic(a, b);
			const w = wasserstein(a, b);
			expect(ks).toBeGreaterThanOrEqual(bounds.ks.lower - 1e-12);
			expect(ks).toBeLessThanOrEqual(bounds.ks.upper + 1e-12);
			expect(w).toBeGreaterThanOrEqual(bounds.wasserstein.lower - 1e-9);
			expect(w).toBeLessThanOrEqual(bounds.wasserstein.upper + 1e-9);
		}
	});

	it('use each block’s sum where the means agree overall: a change of spread', () => {
		// The reference evenly on 0…99; the batch squeezed towards 49.5 — the same mean, so the
		// means say nothing; each block's own mean does.
		const a = sortFloat64(Float64Array.from({ length: 100 }, (_, i) => i));
		const b = sortFloat64(Float64Array.from(a, (v) => 49.5 + (v - 49.5) * 0.5));
		const blocks: Block[] = [];
		for (let start = 0; start < 100; start += 10) {
			const run = b.subarray(start, start + 10);
			blocks.push({ n: 10, lo: run[0]!, hi: run[9]!, sum: run.reduce((t, v) => t + v, 0) });
		}
		const mean = 49.5;
		const withSums = orderBounds(a, blocks, mean).wasserstein;
		const without = orderBounds(
			a,
			blocks.map(({ n, lo, hi }) => ({ n, lo, hi })),
			mean
		).wasserstein;
		const exact = wasserstein(a, b);
		expect(withSums.lower).toBeGreaterThan(without.lower + 1);
		expect(withSums.lower).toBeLessThanOrEqual(exact + 1e-9);
		expect(withSums.upper).toBeGreaterThanOrEqual(exact - 1e-9);
	});

	it('use the means: a shift is bounded below by the difference of means', () => {
		const a = sortFloat64(Float64Array.from({ length: 100 }, (_, i) => i));
		// One block holding the whole batch: order says nothing, the mean does.
		const bounds = orderBounds(a, [{ n: 100, lo: 0, hi: 199 }], 49.5 + 30);
		expect(bounds.wasserstein.lower).toBeCloseTo(30, 10);
		expect(bounds.ks.lower).toBe(0);
	});
});

describe('reading a summary', () => {
	const reference: Table = {
		rowCount: 50,
		columns: [
			{
				storage: 'float',
				name: 'x',
				type: 'numeric',
				values: Float64Array.from({ length: 50 }, (_, i) => i / 7)
			},
			{
				storage: 'coded',
				name: 'c',
				type: 'categorical',
				categories: ['a', 'b'],
				codes: Int32Array.from({ length: 50 }, (_, i) => i % 2)
			}
		]
	};
	const plan = pushdownPlan({ steps: [] }, ['x', 'c'], reference);
	const x = plan.features.find((f) => f.name === 'x')!;
	const good = () => [
		{ feature: 'x', bin: summaryKeys(x)[1], n: 3, min_value: 0, max_value: 0.2, sum_value: 0.3 },
		{ feature: 'x', bin: 'missing', n: 1 },
		{ feature: 'c', bin: 'category a', n: 2, unseen_values: 0 },
		{ feature: 'c', bin: 'unseen', n: 2, unseen_values: 2 }
	];

	it('reads counts as numbers, text or BigInt', () => {
		const records = good();
		records[0]!.n = '3' as unknown as number;
		records[2]!.n = 2n as unknown as number;
		const summary = readSummary(plan, records);
		expect(summary.rows).toBe(4);
		expect(summary.features.get('c')!.get('unseen')!.unseenValues).toBe(2);
	});

	it('cuts a range at its bins and at the reference quantiles', () => {
		expect(x.spec.kind).toBe('range');
		expect(x.cuts!.length).toBeGreaterThan(20);
	});

	it('refuses what is not this model’s summary, by name', () => {
		const cases: [Record<string, unknown>[], RegExp][] = [
			[[], /no rows.*--where/],
			[good().map(({ feature: _feature, ...r }) => r), /no "feature" column/],
			[
				[...good(), { feature: 'y', bin: 'missing', n: 4 }],
				/counts "y", which this model does not monitor/
			],
			[
				good().map((r, i) => (i === 0 ? { ...r, bin: 'range 0 1' } : r)),
				/bins of "x" are not this model’s|bins of "x" are not this model's/
			],
			[good().filter((r) => r.feature !== 'c'), /does not count "c"/],
			[good().map((r, i) => (i === 1 ? { ...r, n: -1 } : r)), /not a number of rows/],
			[good().map((r, i) => (i === 1 ? { ...r, n: 2.5 } : r)), /not a number of rows/],
			[
				good().map((r, i) => (i === 3 ? { ...r, n: 5 } : r)),
				/count different rows \("x" 4, "c" 7\)/
			],
			[[...good(), good()[1]!], /counts bin "missing" of "x" twice/],
			[good().map((r) => ({ ...r, n: 0 })), /counts 0 rows/]
		];
		for (const [records, message] of cases)
			expect(() => readSummary(plan, records)).toThrow(message);
	});
});

describe('the score from a summary', () => {
	const cell = (n: number) => ({
		n,
		min: null,
		max: null,
		sum: null,
		sumSquares: null,
		unseenValues: 0
	});
	const outcome = {
		kind: 'classes' as const,
		target: 'y',
		prediction: 'p',
		labels: ['a', 'b', 'c']
	};
	const summaryOf = (cells: [string, number][]) => ({
		rows: cells.reduce((t, [, n]) => t + n, 0),
		features: new Map([['(outcome)', new Map(cells.map(([k, n]) => [k, cell(n)]))]])
	});

	it('is the confusion matrix’s accuracy, its labels unknown to the model left out', () => {
		const score = summaryScore(
			outcome,
			summaryOf([
				['pair 0 0', 50],
				['pair 1 1', 30],
				['pair 1 0', 10],
				['pair 2 1', 10],
				['pair unknown 2', 4],
				['missing', 6]
			]),
			{ accuracy: 0.9 }
		)!;
		expect(score).toMatchObject({ metric: 'accuracy', value: 0.8, rows: 100, droppedUnknown: 4 });
		expect(score.baseline).toEqual({ accuracy: 0.5 });
		expect(score.metrics.balanced_accuracy).toBeCloseTo((1 + 0.75 + 0) / 3, 12);
		expect(score.lower).toBeLessThan(0.8);
		expect(score.upper).toBeGreaterThan(0.8);
	});

	it('refuses predictions that are not the model’s labels', () => {
		expect(() =>
			summaryScore(outcome, summaryOf([['pair 0 unknown', 3]]), { accuracy: 0.9 })
		).toThrow(/not this model's labels.*is "p" the column/);
	});

	it('is R² from the error’s and the truth’s sums', () => {
		const y = [3, 5, 8, 1, 9, 4];
		const p = [2.5, 5.5, 7, 2, 8, 4.5];
		const e = p.map((v, i) => v - y[i]!);
		const sum = (a: number[]) => a.reduce((t, v) => t + v, 0);
		const mean = sum(y) / y.length;
		const r2 = 1 - sum(e.map((v) => v * v)) / sum(y.map((v) => (v - mean) ** 2));
		const summary = {
			rows: 6,
			features: new Map([
				[
					'(outcome)',
					new Map([['error', { ...cell(6), sum: sum(e), sumSquares: sum(e.map((v) => v * v)) }]])
				],
				[
					'(truth)',
					new Map([['value', { ...cell(6), sum: sum(y), sumSquares: sum(y.map((v) => v * v)) }]])
				]
			])
		};
		const score = summaryScore({ kind: 'values', target: 'y', prediction: 'p' }, summary, {
			r2: 0.7
		})!;
		expect(score.value).toBeCloseTo(r2, 12);
		expect(score).toMatchObject({ metric: 'r2', rows: 6, reference: 0.7, lower: null });
	});
});
