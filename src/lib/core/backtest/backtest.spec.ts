import { describe, expect, it } from 'vitest';
import { coded, numeric } from '../../../../tests/unit/columns';
import { seededRandom } from '../stats/random';
import type { Table } from '../table/types';
import { DEFAULT_GBDT } from '../model/spec';
import { runBacktest } from './backtest';
import { defaultPolicies, simulatePolicies } from './policy';
import { belowBaselineWords } from './summary';
import { defaultUnit, nextStart, periodLabel, periodName, periodStart, periodsOf } from './periods';

const DAY = 86_400_000;

describe('periods', () => {
	it('cut the calendar in UTC: weeks from Monday, quarters, years', () => {
		const t = Date.UTC(2024, 4, 16, 13, 5); // Thursday 16 May 2024
		expect(periodStart(t, 'week')).toBe(Date.UTC(2024, 4, 13));
		expect(periodStart(t, 'quarter')).toBe(Date.UTC(2024, 3, 1));
		expect(nextStart(Date.UTC(2024, 9, 1), 'quarter')).toBe(Date.UTC(2025, 0, 1));
		expect(nextStart(Date.UTC(2024, 0, 1), 'year')).toBe(Date.UTC(2025, 0, 1));
		expect(periodStart(Date.UTC(2024, 11, 31, 23, 59), 'day')).toBe(Date.UTC(2024, 11, 31));
	});

	it('are named as people name them', () => {
		const t = Date.UTC(2024, 4, 1);
		expect(['year', 'quarter', 'month', 'week'].map((u) => periodLabel(t, u as 'year'))).toEqual([
			'2024',
			'2024-Q2',
			'2024-05',
			'2024-05-01'
		]);
		expect(periodName({ start: 0, end: 500 }, { rows: 500 }, false)).toBe('rows 1–500');
	});

	it('default to the coarsest unit with at least 8 periods', () => {
		const span = (days: number) => [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1) + days * DAY];
		expect(defaultUnit(span(365 * 12))).toBe('year');
		expect(defaultUnit(span(365 * 4))).toBe('quarter');
		expect(defaultUnit(span(365))).toBe('month');
		expect(defaultUnit(span(70))).toBe('week');
		expect(defaultUnit(span(10))).toBe('day');
	});

	it('keep empty periods as gaps, order rows by time, and count rows without a time', () => {
		const times = Float64Array.from([
			Date.UTC(2024, 2, 5),
			Date.UTC(2024, 0, 9),
			NaN,
			Date.UTC(2024, 0, 2),
			Date.UTC(2024, 2, 31, 23)
		]);
		const { periods, withoutTime } = periodsOf(Int32Array.from([0, 1, 2, 3, 4]), times, {
			unit: 'month'
		});
		expect(withoutTime).toBe(1);
		expect(periods.map((p) => Array.from(p.rows))).toEqual([[3, 1], [], [0, 4]]);
		expect(periods[1]!.start).toBe(Date.UTC(2024, 1, 1));
		const blocks = periodsOf(Int32Array.from([0, 1, 3, 4]), times, { rows: 3 }).periods;
		expect(blocks.map((p) => Array.from(p.rows))).toEqual([[3, 1, 0], [4]]);
		// Given blocks (a monitor: training rows, then each batch) keep table order, not time;
		// a row without a target (2) is in no block, and an empty block is kept as a gap.
		const given = periodsOf(Int32Array.from([0, 1, 3, 4, 5]), times, { blocks: [2, 2, 0, 2] });
		expect(given.periods.map((p) => Array.from(p.rows))).toEqual([[0, 1], [3], [], [4, 5]]);
		expect(given.periods.map((p) => [p.start, p.end])).toEqual([
			[0, 2],
			[2, 4],
			[4, 4],
			[4, 6]
		]);
		expect(() => periodsOf(Int32Array.from([0]), null, { blocks: [1.5] })).toThrow(/whole numbers/);
	});
});

describe('a backtest', () => {
	// Twelve months of daily rows; the label follows x until June, then the rule flips: models
	// trained before the flip fail after it, and the older they are, the more of it they see.
	/** A year of rows, four a day: x and the label as `row` makes them from the instant. */
	function daily(seed: number, row: (t: number, random: () => number) => [number, string]): Table {
		const random = seededRandom(seed);
		const times: number[] = [];
		const xs: number[] = [];
		const ys: string[] = [];
		for (let d = 0; d < 365; d++)
			for (let k = 0; k < 4; k++) {
				const t = Date.UTC(2023, 0, 1) + d * DAY + k * 3_600_000;
				const [x, y] = row(t, random);
				times.push(t);
				xs.push(x);
				ys.push(y);
			}
		return {
			rowCount: times.length,
			columns: [
				{ storage: 'float', name: 'when', type: 'datetime', values: Float64Array.from(times) },
				numeric('x', xs),
				coded('y', ys)
			]
		};
	}
	const drifting = () =>
		daily(4, (t, random) => {
			const x = random() * 2 - 1;
			const flipped = new Date(t).getUTCMonth() >= 6;
			return [x, x > 0 !== flipped ? 'up' : 'down'];
		});
	const config = {
		target: 'y',
		task: 'auto' as const,
		recipe: {
			target: 'y',
			steps: [
				{
					column: 'x',
					kind: 'numeric' as const,
					numeric: {
						impute: 'median' as const,
						constant: 0,
						indicator: false,
						clip: null,
						scale: 'standard' as const
					}
				}
			]
		},
		model: { ...DEFAULT_GBDT, maxIterations: 20 },
		timeColumn: 'when',
		period: { unit: 'month' as const },
		horizon: 3
	};

	it('scores each origin on the next periods, beside the baseline, and shows the decay', async () => {
		const progress: number[] = [];
		const r = await runBacktest(drifting(), config, { onProgress: (done) => progress.push(done) });
		expect(r.periods).toHaveLength(12);
		expect(r.metric).toBe('accuracy');
		// The first origin leaves a fifth of the rows to train on: the end of March.
		expect(r.origins[0]!.period).toBe(2);
		expect(r.origins).toHaveLength(9);
		for (const o of r.origins)
			for (const s of o.scores) {
				expect(s.period).toBe(o.period + s.age);
				expect(s.baseline).toBeGreaterThan(0.3);
				expect(s.baseline).toBeLessThan(0.7);
			}
		// Trained on the first rule only, the model is right before July and wrong after it.
		const march = r.origins[0]!.scores;
		expect(march.map((s) => s.value > 0.9)).toEqual([true, true, true]);
		const may = r.origins.find((o) => o.period === 4)!.scores;
		expect(may[0]!.value).toBeGreaterThan(0.9); // June
		expect(may[1]!.value).toBeLessThan(0.2); // July: the rule flipped
		expect(r.decay.map((d) => d.age)).toEqual([1, 2, 3]);
		expect(r.decay[0]!.origins).toBe(9);
		expect(r.decay[2]!.mean).toBeLessThan(r.decay[0]!.mean);
		expect(progress[progress.length - 1]).toBe(9);
		// After July the models trained on the old rule do worse than the constant answer: said.
		const below = r.origins.flatMap((o) => o.scores).filter((s) => s.value < s.baseline).length;
		expect(below).toBeGreaterThan(0);
		expect(belowBaselineWords(r)).toContain(`${below} of `);
	}, 60_000);

	it('refuses data with fewer than three periods, and stops on Cancel', async () => {
		await expect(runBacktest(drifting(), { ...config, period: { unit: 'year' } })).rejects.toThrow(
			/Only 1 period holds rows: a backtest needs at least 3/
		);
		await expect(
			runBacktest(drifting(), config, { isCancelled: () => true })
		).rejects.toMatchObject({ code: 'cancelled' });
	});

	it('estimates a drop without labels when the inputs move where the model is unsure (CBPE)', async () => {
		// The same rule all year, but from July x crowds around the boundary, where the noisy labels
		// make any model unsure: accuracy falls, and the calibrated confidence says so before labels.
		const table = daily(9, (t, random) => {
			const near = new Date(t).getUTCMonth() >= 6;
			const x = (random() * 2 - 1) * (near ? 0.15 : 1);
			const noise = (random() + random() + random() - 1.5) * 0.5;
			return [x, x + noise > 0 ? 'up' : 'down'];
		});
		const policies = defaultPolicies(null).filter((p) =>
			['never', 'on estimated drop (CBPE)'].includes(p.name)
		);
		const r = await simulatePolicies(table, config, policies);
		const cbpe = r.policies.find((p) => p.policy.trigger === 'estimated-drop')!;
		expect(cbpe.scores.find((s) => s.retrainedAfter)?.period).toBe(6);
		const never = r.policies.find((p) => p.policy.trigger === 'never')!;
		expect(never.scores.find((s) => s.period === 6)!.value).toBeLessThan(
			never.scores[0]!.value - 0.1
		);
		// Regression has no label-free estimate: the policy is left out, not faked.
		const x = table.columns[1]!;
		if (x.storage !== 'float') throw new Error('x is a number');
		const numbers: Table = {
			...table,
			columns: [
				...table.columns.slice(0, 2),
				numeric(
					'y',
					Array.from(x.values, (v) => 2 * v)
				)
			]
		};
		const regression = await simulatePolicies(numbers, config, policies);
		expect(regression.policies.map((p) => p.policy.name)).toEqual(['never']);
	}, 60_000);

	it('replays retraining policies: never keeps the stale rule, a window or recency weights recover', async () => {
		const r = await simulatePolicies(
			drifting(),
			config,
			defaultPolicies({ periods: 2, unit: 'month' })
		);
		const by = (name: string) => r.policies.find((p) => p.policy.name === name)!;
		const never = by('never');
		expect(never.retrains).toBe(0);
		// Scored from April; the rule flips in July: never is wrong from then on.
		expect(never.scores.map((s) => s.period)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
		expect(never.scores.filter((s) => s.value < 0.2).map((s) => s.period)).toEqual([
			6, 7, 8, 9, 10, 11
		]);
		// Retraining on all history keeps learning the old rule (six months of it against one or two
		// of the new); a window of the last periods, or recency weights, learns the new rule.
		const every = by('every period');
		expect(every.retrains).toBe(8);
		for (const name of ['every period, last 4 periods', 'every period, recency-weighted']) {
			const recovered = by(name).scores.slice(-2);
			expect(
				recovered.every((s) => s.value > 0.95),
				name
			).toBe(true);
			expect(by(name).mean).toBeGreaterThan(every.mean + 0.2);
		}
		// The drop in July is measured and acted on (a second of accuracy in April is not a drop).
		const drop = by('on measured drop');
		expect(drop.scores.find((s) => s.retrainedAfter)?.period).toBe(6);
		// A label-free estimate cannot see a flipped rule: the inputs did not move, the model stays
		// as sure of itself as before (CBPE's known blind spot, stated in the README).
		expect(by('on estimated drop (CBPE)').retrains).toBe(0);
		const recommended = r.policies[r.recommended]!;
		expect(recommended.policy.window === 'sliding' || recommended.policy.halfLife).toBeTruthy();
		expect(r.gainOverNever!.value).toBeGreaterThan(2 * r.gainOverNever!.error);
	}, 60_000);
});
