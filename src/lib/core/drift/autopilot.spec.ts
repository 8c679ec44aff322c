import { describe, expect, it } from 'vitest';
import { autopilotFromSimulation } from '../backtest/policy';
import {
	autopilotDecision,
	autopilotPlan,
	autopilotText,
	DEFAULT_AUTOPILOT,
	ordinal,
	validateAutopilot,
	type AutopilotBatch,
	type AutopilotPolicy
} from './autopilot';

const batch = (i: number, over: Partial<AutopilotBatch> = {}): AutopilotBatch => ({
	id: `b${i}`,
	fileName: `b${i}.csv`,
	rowCount: 200,
	usable: true,
	datasetDrift: false,
	performance: {
		metric: 'accuracy',
		value: 0.9,
		reference: 0.9,
		estimated: false,
		upper: 0.93
	},
	...over
});
const on = (over: Partial<AutopilotPolicy>): AutopilotPolicy => ({
	...DEFAULT_AUTOPILOT,
	enabled: true,
	...over
});

describe('the autopilot’s plan', () => {
	it('retrains every k-th labelled batch on the window it is given', () => {
		const policy = on({
			trigger: { kind: 'every', every: 2 },
			window: { kind: 'batches', count: 3 }
		});
		const five = [1, 2, 3, 4, 5].map((i) => batch(i));
		expect(autopilotPlan(policy, five.slice(0, 3), 0.05).act).toBe(false);
		const plan = autopilotPlan(policy, five.slice(0, 4), 0.05);
		// The window of 3 counts the arriving batch: two older ones, no original training data.
		expect(plan).toMatchObject({
			act: true,
			choice: {
				includeTraining: false,
				trainBatchIds: ['b2', 'b3'],
				evalBatchId: 'b4',
				holdout: 0.3
			}
		});
		const one = autopilotPlan(
			on({ trigger: { kind: 'every', every: 1 }, window: { kind: 'batches', count: 1 } }),
			five,
			0.05
		);
		expect(one).toMatchObject({ act: true, choice: { trainBatchIds: [], evalBatchId: 'b5' } });
		const all = autopilotPlan(on({ trigger: { kind: 'every', every: 1 } }), five, 0.05);
		expect(all).toMatchObject({
			act: true,
			choice: { includeTraining: true, trainBatchIds: ['b1', 'b2', 'b3', 'b4'] }
		});
	});

	it('retrains on drift or on a drop beyond noise, and says why it waits', () => {
		const drift = on({ trigger: { kind: 'drift' } });
		expect(autopilotPlan(drift, [batch(1)], 0.05)).toMatchObject({
			act: false,
			reason: '"b1.csv" does not trigger the policy (no dataset drift).'
		});
		expect(autopilotPlan(drift, [batch(1, { datasetDrift: true })], 0.05)).toMatchObject({
			act: true,
			reason: 'dataset drift on "b1.csv"'
		});
		const drop = on({ trigger: { kind: 'drop' } });
		const fell = (upper: number) =>
			batch(2, {
				performance: { metric: 'accuracy', value: 0.8, reference: 0.9, estimated: false, upper }
			});
		// 10 points down, but the band reaches 0.85: noise could do it.
		expect(autopilotPlan(drop, [fell(0.86)], 0.05).act).toBe(false);
		expect(autopilotPlan(drop, [fell(0.84)], 0.05).act).toBe(true);
	});

	it('does not act when off, on rows it cannot split, or on rows not kept', () => {
		expect(autopilotPlan(DEFAULT_AUTOPILOT, [batch(1, { datasetDrift: true })], 0.05)).toEqual({
			act: false,
			reason: 'The autopilot is off.'
		});
		const drift = on({ trigger: { kind: 'drift' } });
		expect(autopilotPlan(drift, [], 0.05).act).toBe(false);
		const small = autopilotPlan(drift, [batch(1, { rowCount: 25, datasetDrift: true })], 0.05);
		expect(small).toMatchObject({ act: false });
		expect((small as { reason: string }).reason).toMatch(/too few to hold out 30 %/);
		expect(autopilotPlan(drift, [batch(1, { usable: false, datasetDrift: true })], 0.05).act).toBe(
			false
		);
	});
});

describe('the autopilot’s decision and settings', () => {
	const comparison = (verdict: 'better' | 'no-difference') => ({
		metric: 'accuracy' as const,
		difference: verdict === 'better' ? 0.05 : 0.001,
		lower: verdict === 'better' ? 0.02 : -0.02,
		upper: verdict === 'better' ? 0.08 : 0.02,
		rows: 300,
		verdict
	});

	it('promotes only a win beyond noise, and only when allowed', () => {
		expect(autopilotDecision(on({ autoPromote: true }), comparison('better'), 1, 2)).toMatchObject({
			promote: true
		});
		const waits = autopilotDecision(on({}), comparison('better'), 1, 2);
		expect(waits).toMatchObject({ promote: false });
		expect(waits.note).toMatch(/auto-promote is off/);
		const keeps = autopilotDecision(on({ autoPromote: true }), comparison('no-difference'), 1, 2);
		expect(keeps).toMatchObject({ promote: false });
		expect(keeps.note).toBe(
			'Autopilot kept v1 as champion: v2 against it, not better beyond noise: accuracy +0.0010 (95 % interval −0.0200 to +0.0200, 300 rows).'
		);
		expect(autopilotDecision(on({ autoPromote: true }), null, 1, 2).promote).toBe(false);
	});

	it('checks its settings and says what it will do', () => {
		expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 102].map(ordinal)).toEqual([
			'1st',
			'2nd',
			'3rd',
			'4th',
			'11th',
			'12th',
			'13th',
			'21st',
			'22nd',
			'102nd'
		]);
		expect(autopilotText(on({ trigger: { kind: 'every', every: 2 } }))).toMatch(
			/^Retrain on every 2nd labelled batch,/
		);
		expect(validateAutopilot(DEFAULT_AUTOPILOT)).toEqual([]);
		expect(
			validateAutopilot(on({ holdout: 0.05, trigger: { kind: 'every', every: 0 } }))
		).toHaveLength(2);
		expect(
			autopilotText(on({ trigger: { kind: 'drift' }, halfLife: { periods: 3, unit: 'month' } }))
		).toBe(
			'Retrain on a labelled batch with dataset drift, on the training data and every labelled batch, recency-weighted (half-life 3 months); compare on the newest 30 % of the batch; leave the promotion to a person.'
		);
	});

	it('takes the simulator’s recommendation, one batch for one period', () => {
		const current = on({ autoPromote: true, holdout: 0.2 });
		expect(
			autopilotFromSimulation(
				{ name: 'last 4 periods', trigger: 'every', every: 1, window: 'sliding', windowPeriods: 4 },
				current,
				'from the simulator'
			)
		).toEqual({
			...current,
			trigger: { kind: 'every', every: 1 },
			window: { kind: 'batches', count: 4 },
			halfLife: null,
			source: 'from the simulator'
		});
		const never = autopilotFromSimulation(
			{ name: 'never', trigger: 'never', window: 'all' },
			current,
			'x'
		);
		expect(never.enabled).toBe(false);
		expect(
			autopilotFromSimulation(
				{
					name: 'on drift',
					trigger: 'drift',
					window: 'all',
					halfLife: { periods: 4, unit: 'month' }
				},
				current,
				'x'
			)
		).toMatchObject({
			trigger: { kind: 'drift' },
			window: { kind: 'all' },
			halfLife: { periods: 4 }
		});
	});
});
