import { describe, expect, it } from 'vitest';
import { chooseByFolds } from '../lib/core/model/choose-folds';
import { DEFAULT_GBDT } from '../lib/core/model/spec';
import { DriftwoodError } from '../lib/core/errors';
import { runAudit } from '../lib/core/audit/audit';
import { foldPool, foldThreads } from './fold-pool';
import { readFileTable } from './read-file';
import { penguinsChoice } from '../../tests/unit/penguins-choice';

describe('the fold pool', () => {
	it('gives the automatic choice the same numbers on worker threads as in turn', async () => {
		const { table, config, target, split } = await penguinsChoice(5, 2);
		const inTurn = (await chooseByFolds(
			table,
			config,
			config.model,
			target,
			split,
			undefined,
			{}
		))!;
		const pool = foldPool(2);
		const started: number[] = [];
		try {
			const spread = (await chooseByFolds(table, config, config.model, target, split, undefined, {
				runFolds: pool.run,
				onStage: (_, __, part) => started.push(part!.index)
			}))!;
			expect(spread.spec).toEqual(inTurn.spec);
			expect(
				spread.candidates.map((c) => [c.model, c.validation, c.loss, c.folds, c.chosen])
			).toEqual(inTurn.candidates.map((c) => [c.model, c.validation, c.loss, c.folds, c.chosen]));
			// Every fit reported as it started: 3 candidates × 5 folds.
			expect([...started].sort((a, b) => a - b)).toEqual(
				Array.from({ length: 15 }, (_, i) => i + 1)
			);
			// A fit that fails (here on the worker: the second job) fails the batch with its
			// message and its code.
			const job = {
				fold: { train: split.train, validation: split.validation },
				timeOrdered: false,
				fixedSteps: false
			};
			const good = { ...DEFAULT_GBDT, maxIterations: 5 };
			const failure = await pool
				.run(
					{ table, config, target },
					[
						{ ...job, spec: good, label: 'good' },
						{ ...job, spec: { ...good, maxLeaves: 0 }, label: 'bad' }
					],
					() => undefined
				)
				.catch((e: unknown) => e);
			expect(failure).toBeInstanceOf(DriftwoodError);
			expect((failure as DriftwoodError).code).toBe('experiment');
			expect((failure as DriftwoodError).message).toMatch(/leaves/i);
		} finally {
			await pool.close();
		}
	});

	it('gives the audit the same out-of-fold judgements on worker threads as in turn', async () => {
		const path = new URL('../../tests/fixtures/data/audit-class.csv', import.meta.url).pathname;
		const { table } = await readFileTable(path);
		const inTurn = await runAudit(table, { target: 'label' });
		const pool = foldPool(2);
		const folds: string[] = [];
		try {
			const spread = await runAudit(
				table,
				{ target: 'label' },
				{ runFolds: pool.run, onProgress: (_, __, what) => folds.push(what) }
			);
			expect(spread.labelIssues).toEqual(inTurn.labelIssues);
			expect(spread.noiseMatrix).toEqual(inTurn.noiseMatrix);
			expect(spread.labelIssues.length).toBeGreaterThan(0);
			// Every round's folds, the trees' and the network's, were reported as they started.
			expect(spread.models).toEqual(['gbdt', 'mlp']);
			expect(folds).toContain('out-of-fold predictions: trees, fold 5 of 5');
			expect(folds).toContain('out-of-fold predictions: network, fold 5 of 5');
			expect(folds).toContain('second round: network, fold 5 of 5');
			expect(folds).toContain('third round: trees, fold 5 of 5');
		} finally {
			await pool.close();
		}
	});

	it('reads DRIFTWOOD_THREADS, and refuses what is not a count', () => {
		expect(foldThreads({ DRIFTWOOD_THREADS: '3' })).toBe(3);
		expect(foldThreads({})).toBeGreaterThanOrEqual(1);
		expect(() => foldThreads({ DRIFTWOOD_THREADS: 'many' })).toThrow(DriftwoodError);
		expect(() => foldThreads({ DRIFTWOOD_THREADS: '0' })).toThrow(/whole number from 1 to 64/);
	});
});
