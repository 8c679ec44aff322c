import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random';
import { sortFloat64 } from '../stats/sort';
import type { Table } from '../table/types';
import { orderBounds, type Block } from './bounds';
import { pushdownPlan, summaryKeys } from './pushdown-plan';
import { readSummary } from './pushdown-summary';
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
				blocks.push({ n: run.length, lo: run[0]!, hi: run[run.length - 1]! });
				i += n;
			}
			const mean = b.reduce((t, v) => t + v, 0) / b.length;
			const bounds = orderBounds(a, blocks, mean);
			const ks = ksStatistic(a, b);
			const w = wasserstein(a, b);
			expect(ks).toBeGreaterThanOrEqual(bounds.ks.lower - 1e-12);
			expect(ks).toBeLessThanOrEqual(bounds.ks.upper + 1e-12);
			expect(w).toBeGreaterThanOrEqual(bounds.wasserstein.lower - 1e-9);
			expect(w).toBeLessThanOrEqual(bounds.wasserstein.upper + 1e-9);
		}
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
