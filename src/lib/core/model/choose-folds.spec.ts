import { describe, expect, it } from 'vitest';
import { penguinsChoice } from '../../../../tests/unit/penguins-choice';
import { CHOICE_FOLDS, chooseByFolds, choiceFolds, pickSimplestPaired } from './choose-folds';
import { stoppingRows } from './cross-validate';
import { pairedGain } from './ensemble/select';

describe('chooseByFolds', () => {
	it('scores every candidate on 5 stratified folds, mean ± std, and marks one chosen', async () => {
		const { table, config, target, split } = await penguinsChoice(3, 1);
		const stages: (string | undefined)[] = [];
		const chosen = (await chooseByFolds(table, config, config.model, target, split, undefined, {
			onStage: (_, detail) => stages.push(detail)
		}))!;
		expect(chosen.candidates.map((c) => c.model.kind)).toEqual(['linear', 'gbdt', 'mlp']);
		for (const c of chosen.candidates) {
			expect(c.folds).toMatchObject({ k: CHOICE_FOLDS });
			expect(c.validation).toBe(c.folds!.mean);
			expect(c.folds!.std).toBeGreaterThanOrEqual(0);
			expect(c.validation!).toBeGreaterThan(0.9);
		}
		expect(chosen.candidates.filter((c) => c.chosen)).toHaveLength(1);
		expect(chosen.spec).toBe(chosen.candidates.find((c) => c.chosen)!.model);
		expect(stages).toContain('choosing on 5 folds: Linear, fold 1');
		// One spec, or many rows: the holdout decides.
		const many = { ...split, train: new Int32Array(30_000) };
		expect(
			await chooseByFolds(table, config, config.model, target, many, undefined, {})
		).toBeNull();
	}, 60_000);

	it('never trains on the future on a time split (forward-chaining folds); lowers k for a rare class', () => {
		const rows = Int32Array.from({ length: 600 }, (_, i) => i);
		// Row i happens at a shuffled time: the folds must follow time, not row order.
		const times = Float64Array.from(rows, (i) => (i * 7919) % 600);
		const target = {
			task: 'regression' as const,
			rows,
			classes: null,
			values: new Float64Array(600),
			labels: [] as [],
			dropped: 0
		};
		const folds = choiceFolds(rows, target, times, 1)!;
		expect(folds).toHaveLength(CHOICE_FOLDS);
		for (const fold of folds) {
			const latestTrained = Math.max(...Array.from(fold.train, (r) => times[r]!));
			const earliestScored = Math.min(...Array.from(fold.validation, (r) => times[r]!));
			expect(latestTrained).toBeLessThan(earliestScored);
		}
		// Every row after the first block is scored once.
		expect(folds.reduce((n, f) => n + f.validation.length, 0)).toBe(600 - 100);
		// A class of 3 rows: 3 stratified folds, not 5.
		const classes = Int32Array.from(rows, (i) => (i < 3 ? 1 : 0));
		const classTarget = {
			task: 'binary' as const,
			rows,
			classes,
			values: null,
			labels: ['a', 'b'],
			dropped: 0
		};
		expect(choiceFolds(rows, classTarget, undefined, 1)).toHaveLength(3);
	});
});

describe('evidence inside the folds', () => {
	it('early stopping watches rows of the fold’s own training rows, the newest when in time order', () => {
		const train = Int32Array.from({ length: 50 }, (_, i) => 100 + i);
		const timed = stoppingRows(train, true, 1);
		expect([...timed.stop]).toEqual(Array.from({ length: 10 }, (_, i) => 140 + i));
		expect([...timed.fit]).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
		const random = stoppingRows(train, false, 1);
		expect(random.stop).toHaveLength(10);
		expect([...random.fit, ...random.stop].sort((a, b) => a - b)).toEqual([...train]);
		expect([...random.stop]).not.toEqual([...timed.stop]);
		expect([...stoppingRows(train, false, 1).stop]).toEqual([...random.stop]);
		// Too few rows to spare: all fit, training runs its full length.
		expect(stoppingRows(train.subarray(0, 9), false, 1).stop).toHaveLength(0);
	});

	it('keeps the simpler model unless the best beats it row by row beyond one standard error', () => {
		const n = 400;
		const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
		const noise = (seed: number) =>
			Float64Array.from(values, (v, i) => v + 0.3 * Math.sin(i * seed));
		const simple = noise(7);
		// Better on some rows, worse on about as many: a mean gain that pairing shows is chance.
		const lucky = Float64Array.from(simple, (v, i) =>
			i % 20 === 0 ? values[i]! : i % 20 === 10 ? v + 0.3 * (v - values[i]!) : v
		);
		const { gain, error } = pairedGain(lucky, simple, { values });
		expect(gain).toBeGreaterThan(0);
		expect(gain).toBeLessThan(error);
		expect(pickSimplestPaired([simple, lucky], 1, { values })).toBe(0);
		// Better on every row: evidence.
		const better = Float64Array.from(values, (v, i) => v + 0.1 * Math.sin(i * 7));
		expect(pickSimplestPaired([simple, better], 1, { values })).toBe(1);
	});
});
