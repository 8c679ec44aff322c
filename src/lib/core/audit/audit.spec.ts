import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coded, numeric } from '../../../../tests/unit/columns';
import { readFileTable } from '../../../runtime/read-file';
import { gaussian, seededRandom } from '../stats/random';
import type { Table } from '../table/types';
import {
	AUDIT_NETWORK_MAX_ROWS,
	AUDIT_THREE_ROUNDS_BELOW,
	auditFolds,
	auditModels,
	auditRounds,
	percentWords,
	runAudit
} from './audit';
import { compareCleaned } from './compare';
import { DriftwoodError } from '../errors';
import { foldsInTurn } from '../model/cross-validate';
import type { FoldRunner } from '../model/types';
import { DEFAULT_GBDT } from '../model/spec';
import { DEFAULT_NUMERIC } from '../recipe/suggest';
import { findOutliers, isolationScores } from './outliers';

const reference = JSON.parse(
	readFileSync(new URL('../../../../tests/fixtures/reference/audit.json', import.meta.url), 'utf8')
) as Record<
	'uniform' | 'class',
	{
		flipped: number[];
		leak: string;
		duplicates: number[][];
		conflicting: number[][];
		sklearn: { precision: number; recall: number };
	}
>;

const f1 = (p: number, r: number) => (2 * p * r) / (p + r);

describe('the data audit', () => {
	for (const kind of ['uniform', 'class'] as const) {
		it(`finds labels flipped ${kind === 'uniform' ? 'uniformly' : 'class-conditionally'} at 20 %, the planted leak and duplicates`, async () => {
			const path = new URL(`../../../../tests/fixtures/data/audit-${kind}.csv`, import.meta.url)
				.pathname;
			const { table } = await readFileTable(path);
			const result = await runAudit(table, { target: 'label' });
			const ref = reference[kind];
			// The trees' and a network's out-of-fold probabilities, averaged.
			expect(result.models).toEqual(['gbdt', 'mlp']);
			expect(result.rounds).toBe(3);
			const flipped = new Set(ref.flipped);
			const flagged = result.labelIssues.map((i) => i.row);
			const right = flagged.filter((r) => flipped.has(r)).length;
			const precision = right / flagged.length;
			const recall = right / flipped.size;
			expect(precision).toBeGreaterThanOrEqual(0.8);
			expect(recall).toBeGreaterThanOrEqual(0.6);
			// No worse than confident learning on scikit-learn's HGB out-of-fold probabilities.
			expect(precision).toBeGreaterThanOrEqual(ref.sklearn.precision);
			expect(f1(precision, recall)).toBeGreaterThanOrEqual(
				f1(ref.sklearn.precision, ref.sklearn.recall)
			);
			// Each flag names the likelier class and why.
			const first = result.labelIssues[0]!;
			expect(first.suggested).not.toBe(first.given);
			expect(first.reason).toMatch(/^Models that never saw this row give/);
			// Judged by Bayes' rule after the second round: each flag more likely wrong than right,
			// its score that probability, said in words (never rounded up to certainty).
			for (const issue of result.labelIssues) expect(issue.score).toBeGreaterThan(0.5);
			expect(first.reason).toMatch(
				new RegExp(`"${first.given}" is wrong here with probability (over 99|\\d{2}) %\\.$`)
			);
			// The noise matrix: each given label's row sums to the rows given it.
			const counts = new Map<string, number>();
			const column = table.columns.find((c) => c.name === 'label')!;
			if (column.storage === 'coded')
				for (const code of column.codes) {
					const l = column.categories[code]!;
					counts.set(l, (counts.get(l) ?? 0) + 1);
				}
			result.noiseMatrix!.forEach((row, i) =>
				expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.get(result.labels[i]!)!, 6)
			);
			// The planted leak is named, and left out of the models (or no issue would be found).
			expect(result.leakage.map((l) => l.column)).toEqual([ref.leak]);
			const step = result.recipe.steps.find((st) => st.column === ref.leak);
			expect(step?.kind).toBe('drop');
			// Every planted duplicate, the two with other labels marked conflicting.
			const groups = result.duplicates.filter((d) => d.kind === 'exact').map((d) => d.rows);
			for (const pair of ref.duplicates) expect(groups).toContainEqual(pair);
			const conflicting = result.duplicates.filter((d) => d.conflicting).map((d) => d.rows);
			expect(conflicting).toEqual(ref.conflicting);
		}, 60_000);
	}

	it('flags extreme residuals for a number, and an isolated row as an outlier', async () => {
		const random = seededRandom(3);
		const n = 600;
		const x = Array.from({ length: n }, () => random() * 10);
		const y = x.map((v) => 3 * v + (random() + random() + random() + random() - 2));
		const planted = [50, 150, 250, 350];
		for (const r of planted) y[r]! += 25;
		const z = Array.from({ length: n }, () => random());
		z[500] = 40; // far from every other row
		const table: Table = {
			rowCount: n,
			columns: [numeric('x', x), numeric('z', z), numeric('y', y)]
		};
		const result = await runAudit(table, { target: 'y' });
		expect(result.task).toBe('regression');
		// Residuals are judged once, by the trees alone.
		expect(result.rounds).toBe(1);
		expect(result.models).toEqual(['gbdt']);
		expect(result.residualIssues.map((i) => i.row).sort((a, b) => a - b)).toEqual(
			expect.arrayContaining(planted)
		);
		expect(result.residualIssues.length).toBeLessThanOrEqual(planted.length + 3);
		expect(result.outliers[0]?.row).toBe(500);
		expect(result.noiseMatrix).toBeNull();
	}, 60_000);

	it('scores an isolated point far above ordinary ones', () => {
		const random = seededRandom(8);
		const n = 1000;
		const x = new Float32Array(n * 2);
		for (let i = 0; i < n * 2; i++) x[i] = random();
		// Row 0 is odd only in its combination: each of its values is common on its own.
		for (let i = 1; i < n; i++) x[2 * i + 1] = x[2 * i]! + (random() - 0.5) * 0.1;
		x[0] = 0.9;
		x[1] = 0.1;
		x[3] = NaN; // a missing cell is read as its column's median
		const scores = isolationScores(x, n, 2);
		const ordinary = [...scores.slice(1)].sort((a, b) => a - b)[n >> 1]!;
		expect(ordinary).toBeLessThan(0.55);
		expect(scores[0]!).toBeGreaterThan(0.65);
		expect(findOutliers([], scores)[0]).toMatchObject({ index: 0 });
	});

	it('refuses a target with one class, or one class with enough rows to judge', async () => {
		const one: Table = {
			rowCount: 20,
			columns: [
				numeric(
					'x',
					Array.from({ length: 20 }, (_, i) => i)
				),
				coded('y', Array(20).fill('a'))
			]
		};
		await expect(runAudit(one, { target: 'y' })).rejects.toThrow(/single class \("a"\)/);
		const rare: Table = {
			rowCount: 20,
			columns: [
				numeric(
					'x',
					Array.from({ length: 20 }, (_, i) => i)
				),
				coded('y', [...Array(17).fill('a'), 'b', 'b', 'b'])
			]
		};
		await expect(runAudit(rare, { target: 'y' })).rejects.toMatchObject({
			code: 'audit',
			message: expect.stringMatching(/^Only 1 class of "y" has at least 5 rows \("a" 17, "b" 3\)/)
		});
	});

	it('averages a network with the trees for classes below the size limit, the trees alone above it and for numbers', () => {
		const kinds = (...args: Parameters<typeof auditModels>) =>
			auditModels(...args).map((m) => m.kind);
		expect(kinds('multiclass', AUDIT_NETWORK_MAX_ROWS - 1, 7)).toEqual(['gbdt', 'mlp']);
		expect(kinds('binary', AUDIT_NETWORK_MAX_ROWS, 7)).toEqual(['gbdt']);
		expect(kinds('regression', 100, 7)).toEqual(['gbdt']);
		expect(kinds('binary', 100, 7, false)).toEqual(['gbdt']);
		expect(kinds('binary', 1_000_000, 7, true)).toEqual(['gbdt', 'mlp']);
		// One network seed (three measured no better as the audit's second opinion), the audit's seed.
		const [trees, network] = auditModels('binary', 100, 7);
		expect(trees!.seed).toBe(7);
		expect(network).toMatchObject({ kind: 'mlp', seed: 7, seeds: 1 });
	});

	it('leaves out a network whose loss diverges, says why, and judges with the trees alone', async () => {
		const path = new URL('../../../../tests/fixtures/data/audit-class.csv', import.meta.url)
			.pathname;
		const { table } = await readFileTable(path);
		const inTurn = foldsInTurn({});
		const kinds: string[][] = [];
		// The folds run in turn, but every network fold fails as a diverged loss would.
		const runFolds: FoldRunner = (context, jobs, started) => {
			kinds.push(jobs.map((j) => j.spec.kind));
			if (jobs.some((j) => j.spec.kind === 'mlp'))
				return Promise.reject(new DriftwoodError('The loss became NaN at epoch 3.', 'diverged'));
			return inTurn(context, jobs, started);
		};
		const result = await runAudit(table, { target: 'label', rounds: 1 }, { runFolds });
		const trees = await runAudit(table, { target: 'label', rounds: 1, network: false });
		expect(result.models).toEqual(['gbdt']);
		expect(result.networkLeftOut).toBe(
			'The network was left out, the trees judged alone: The loss became NaN at epoch 3.'
		);
		expect(result.labelIssues).toEqual(trees.labelIssues);
		expect(trees.networkLeftOut).toBeNull();
		expect(kinds.map((k) => k.join())).toEqual([
			'gbdt,gbdt,gbdt,gbdt,gbdt,mlp,mlp,mlp,mlp,mlp',
			'gbdt,gbdt,gbdt,gbdt,gbdt'
		]);
		// Any other failure is the audit's failure, not a quiet change of models.
		const broken: FoldRunner = () => Promise.reject(new DriftwoodError('Out of memory.', 'worker'));
		await expect(runAudit(table, { target: 'label' }, { runFolds: broken })).rejects.toThrow(
			'Out of memory.'
		);
	});

	it('says a probability without rounding it up to certainty', () => {
		expect([0.999999, 0.995, 0.93, 0.5049, 0.01, 0.004].map(percentWords)).toEqual([
			'over 99 %',
			'over 99 %',
			'93 %',
			'50 %',
			'1 %',
			'under 1 %'
		]);
	});

	it('fits three rounds for classes while rows × trees per iteration stay below 150,000, else two; one for numbers; or those asked for', () => {
		expect(AUDIT_THREE_ROUNDS_BELOW).toBe(150_000);
		expect(auditRounds('multiclass', 3_005, 3)).toBe(3);
		// Two classes: one tree per iteration. Three or more: one per class.
		expect(auditRounds('binary', 100_000, 2)).toBe(3);
		expect(auditRounds('binary', 150_000, 2)).toBe(2);
		expect(auditRounds('multiclass', 49_999, 3)).toBe(3);
		expect(auditRounds('multiclass', 50_000, 3)).toBe(2);
		expect(auditRounds('multiclass', 100_000, 3)).toBe(2);
		expect(auditRounds('multiclass', 14_999, 10)).toBe(3);
		expect(auditRounds('multiclass', 15_000, 10)).toBe(2);
		expect(auditRounds('multiclass', 100_000, 3, 3)).toBe(3);
		expect(auditRounds('binary', 300, 2, 1)).toBe(1);
		expect(auditRounds('regression', 300, 0)).toBe(1);
		expect(auditRounds('regression', 300, 0, 3)).toBe(1);
	});

	it('uses 5 folds, 4 on a large table, and always the folds asked for', () => {
		expect(auditFolds(20)).toBe(5);
		expect(auditFolds(49_999)).toBe(5);
		expect(auditFolds(50_000)).toBe(4);
		expect(auditFolds(1_000_000)).toBe(4);
		expect(auditFolds(1_000_000, 5)).toBe(5);
		expect(auditFolds(20, 3)).toBe(3);
	});
});

describe('the fair test of an audit', () => {
	it('trains with and without the flagged rows, one spec, scored on the same untouched test rows', async () => {
		const path = new URL('../../../../tests/fixtures/data/audit-class.csv', import.meta.url)
			.pathname;
		const { table } = await readFileTable(path);
		const flipped = new Set(reference.class.flipped);
		const config = {
			target: 'label',
			task: 'auto' as const,
			recipe: {
				target: 'label',
				steps: ['x0', 'x1', 'x2', 'x3', 'x4'].map((column) => ({
					column,
					kind: 'numeric' as const,
					numeric: DEFAULT_NUMERIC
				}))
			},
			split: { kind: 'stratified' as const, seed: 3, validation: 0.15, test: 0.2 },
			model: { ...DEFAULT_GBDT, maxIterations: 40 },
			robustness: false,
			importance: false
		};
		const c = await compareCleaned(table, config, flipped);
		expect(c.metric).toBe('accuracy');
		expect(c.testRows).toBe(Math.round(table.rowCount * 0.2));
		expect(c.comparison!.rows).toBe(c.testRows);
		// The flipped training rows left out; the flipped test rows stay, as given.
		expect(c.cleaned.trainedOn).toBeLessThan(c.original.trainedOn);
		expect(c.original.trainedOn - c.cleaned.trainedOn).toBeGreaterThan(0.15 * c.original.trainedOn);
		expect(c.cleaned.model).toBe(c.original.model);
		// The paired difference is of the predictions the two scores come from (the calibrated ones).
		expect(c.comparison!.difference).toBeCloseTo(c.cleaned.value - c.original.value, 12);
		// Even on test labels with their own noise, a model of clean rows does no worse.
		expect(c.cleaned.value).toBeGreaterThanOrEqual(c.original.value - 0.01);
		await expect(compareCleaned(table, config, new Set())).rejects.toThrow(
			/No flagged row is among the training rows/
		);
	}, 60_000);

	it('scores the predictions the runs scored: calibrated, so a Platt bias that moves the decision moves it in both', async () => {
		// Two classes with a third of the "yes" labels given as "no": the runs keep a Platt map
		// whose bias changes some decisions; the raw probabilities would call those rows otherwise.
		const random = seededRandom(1);
		const n = 1500;
		const xs = [0, 1, 2].map(() => Array.from({ length: n }, () => gaussian(random)));
		const yes = xs[0]!.map((v, i) => v + 0.5 * xs[1]![i]! + 0.6 * gaussian(random) > 0.4);
		const label = yes.map((t) =>
			t && random() < 0.35 ? 'no' : t ? 'yes' : random() < 0.05 ? 'yes' : 'no'
		);
		const table: Table = {
			rowCount: n,
			columns: [...xs.map((v, j) => numeric(`x${j}`, v)), coded('label', label)]
		};
		const flagged = new Set(Array.from({ length: Math.ceil(n / 7) }, (_, i) => i * 7));
		const c = await compareCleaned(
			table,
			{
				target: 'label',
				task: 'auto',
				recipe: {
					target: 'label',
					steps: ['x0', 'x1', 'x2'].map((column) => ({
						column,
						kind: 'numeric' as const,
						numeric: DEFAULT_NUMERIC
					}))
				},
				split: { kind: 'stratified', seed: 3, validation: 0.15, test: 0.2 },
				model: { ...DEFAULT_GBDT, maxIterations: 40 },
				robustness: false,
				importance: false
			},
			flagged
		);
		// Measured: 0.7467 → 0.7667 on the same 300 rows; the raw probabilities' paired difference
		// said −0.0033 (and compareCleaned now refuses such a mismatch).
		expect(c.cleaned.value - c.original.value).toBeCloseTo(0.02, 10);
		expect(c.comparison!.difference).toBeCloseTo(c.cleaned.value - c.original.value, 12);
	}, 60_000);
});
