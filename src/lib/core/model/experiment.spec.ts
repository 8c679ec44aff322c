import { choiceTolerance } from './choose';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileTable } from '../profile/profile';
import { suggestRecipe } from '../recipe/suggest';
import { sniffDialect } from '../table/dialect';
import { chunksOf, readTable } from '../table/read';
import type { Table } from '../table/types';
import { runExperiment, type ExperimentConfig } from './experiment';
import { DEFAULT_GBDT, DEFAULT_LINEAR, DEFAULT_MLP } from './spec';
import { coded, numeric } from '../../../../tests/unit/columns';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

async function load(file: string): Promise<Table> {
	const bytes = new Uint8Array(readFileSync(new URL(`../../../../${file}`, import.meta.url)));
	return (
		await readTable(chunksOf(bytes), {
			dialect: sniffDialect(bytes, file),
			totalBytes: bytes.length
		})
	).table;
}

function config(
	table: Table,
	target: string,
	overrides: Partial<ExperimentConfig> = {}
): ExperimentConfig {
	return {
		target,
		task: 'auto',
		recipe: suggestRecipe(profileTable(table, target), target),
		split: { kind: 'stratified', seed: 3, validation: 0.15, test: 0.2 },
		model: { ...DEFAULT_MLP, hidden: [16], epochs: 25, patience: 5 },
		robustness: true,
		importance: true,
		...overrides
	};
}

describe('runExperiment', () => {
	it('trains penguins well above the baseline, deterministically, without leaking tensors', async () => {
		const table = await load('static/samples/penguins.csv');
		const before = tf.memory().numTensors;
		const epochs: number[] = [];
		const a = await runExperiment(table, config(table, 'Species'), {
			onEpoch: (e) => epochs.push(e.tensors)
		});
		expect(a.task).toBe('multiclass');
		// One-vs-rest curves per class; the macro ROC-AUC / PR-AUC are their areas' means.
		const classes = a.curves.classCurves!;
		expect(classes.map((c) => c.label)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
		const mean = (v: (number | null)[]) => v.reduce((s, x) => s! + x!, 0)! / v.length;
		expect(mean(classes.map((c) => c.auc))).toBeCloseTo(a.test.roc_auc!, 12);
		expect(mean(classes.map((c) => c.ap))).toBeCloseTo(a.test.pr_auc!, 12);
		for (const c of classes) {
			expect([c.roc.fpr[0], c.roc.tpr[0]]).toEqual([0, 0]);
			expect([c.roc.fpr.at(-1), c.roc.tpr.at(-1)]).toEqual([1, 1]);
			expect(c.roc.fpr.length).toBeLessThanOrEqual(200);
		}
		expect(a.labels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
		expect(a.test.accuracy).toBeGreaterThan(0.9);
		expect(a.baseline.accuracy).toBeLessThan(0.5);
		expect(a.rows.train + a.rows.validation + a.rows.test).toBe(344);
		// Same tensors alive after every epoch, none left after the run.
		expect(new Set(epochs).size).toBe(1);
		expect(tf.memory().numTensors).toBe(before);
		expect(a.robustness.map((p) => `${p.kind}:${p.level}`)).toEqual([
			'noise:0.1',
			'noise:0.25',
			'noise:0.5',
			'missing:0.1',
			'missing:0.3'
		]);
		expect(a.importance[0]!.drop).toBeGreaterThan(0);
		// Each column's spread over its shuffles: finite, and below the top drop for the top column
		// (penguins' best input is no fluke of one shuffle).
		for (const i of a.importance) expect(i.std! >= 0 && Number.isFinite(i.std!)).toBe(true);
		expect(a.importance[0]!.std!).toBeLessThan(a.importance[0]!.drop);
		expect(a.gainImportance).toBeNull();
		const b = await runExperiment(table, config(table, 'Species'));
		expect(b.test).toEqual(a.test);
		expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
	});

	it('refits the chosen model on training + validation rows, and keeps it as trained when asked', async () => {
		const table = await load('static/samples/penguins.csv');
		const base = {
			robustness: false,
			importance: false,
			model: { ...DEFAULT_GBDT, maxIterations: 30 }
		};
		const refitted = await runExperiment(
			table,
			config(table, 'Species', { ...base, finalRefit: false })
		);
		const kept = await runExperiment(
			table,
			config(table, 'Species', { ...base, refit: false, finalRefit: false })
		);
		const { train, validation } = refitted.rows;
		expect(refitted.refit).toEqual({ rows: train + validation, steps: refitted.bestEpoch });
		expect(kept.refit).toBeNull();
		// The validation score is the chosen model's (the same either way); the recipe and the
		// drift reference follow the rows the kept model was fitted on.
		expect(refitted.validation).toEqual(kept.validation);
		expect(refitted.artifacts.referenceSample.rows).toBe(train + validation);
		expect(kept.artifacts.referenceSample.rows).toBe(train);
		const mass = (r: typeof kept) => r.recipe.steps.find((s) => s.column === 'Body Mass (g)')!;
		expect(mass(refitted)).not.toEqual(mass(kept));
		expect(refitted.test.accuracy).toBeGreaterThan(0.9);
		// Trees report their gain per input column, summing to one; other families none.
		const gains = refitted.gainImportance!;
		expect(new Set(gains.map((g) => g.column))).toEqual(
			new Set(refitted.recipe.steps.map((s) => s.column))
		);
		expect(gains.reduce((n, g) => n + g.share, 0)).toBeCloseTo(1, 9);
	});

	it('refits the deployed model on every row once the test rows have scored it', async () => {
		const table = await load('static/samples/penguins.csv');
		const base = {
			robustness: false,
			importance: false,
			model: { ...DEFAULT_GBDT, maxIterations: 30 }
		};
		const tested = await runExperiment(
			table,
			config(table, 'Species', { ...base, finalRefit: false })
		);
		const deployed = await runExperiment(table, config(table, 'Species', base));
		const { train, validation, test } = deployed.rows;
		expect(deployed.finalRefit).toEqual({
			rows: train + validation + test,
			steps: deployed.bestEpoch
		});
		expect(tested.finalRefit).toBeNull();
		// The test score is the same model's either way: the final refit comes after it.
		expect(deployed.test).toEqual(tested.test);
		// The deployed model, its recipe and its drift reference have seen every row.
		expect(deployed.artifacts.referenceSample.rows).toBe(train + validation + test);
		expect(deployed.artifacts.model.files).not.toEqual(tested.artifacts.model.files);
		// A held-out test file stays held out: no final refit on it.
		const held = await runExperiment(
			table,
			config(table, 'Species', {
				...base,
				split: { kind: 'stratified', seed: 3, validation: 0.15, test: 0, heldOutFrom: 300 }
			})
		);
		expect(held.finalRefit).toBeNull();
	});

	it('picks by validation score in auto, never by test, and refuses auto without validation rows', async () => {
		const table = await load('static/samples/penguins.csv');
		const auto = await runExperiment(
			table,
			config(table, 'Species', {
				robustness: false,
				importance: false,
				model: { kind: 'auto', seed: 1 }
			})
		);
		expect(auto.candidates.map((c) => c.model.kind)).toEqual(['linear', 'gbdt', 'mlp']);
		const chosen = auto.candidates.filter((c) => c.chosen);
		expect(chosen).toHaveLength(1);
		expect(chosen[0]!.model).toEqual(auto.model);
		// Small data: chosen on 5 folds of the training + validation rows, the simplest within
		// one standard error of the best mean.
		expect(auto.candidates.every((c) => c.folds?.k === 5)).toBe(true);
		const best = Math.max(...auto.candidates.map((c) => c.validation!));
		const rows = auto.rows.train + auto.rows.validation;
		expect(chosen[0]!.validation!).toBeGreaterThanOrEqual(
			best - choiceTolerance('accuracy', best, rows) - 1e-12
		);
		// On the validation slice (the rule above 20,000 rows) a choice needs validation rows.
		await expect(
			runExperiment(
				table,
				config(table, 'Species', {
					model: { kind: 'auto', seed: 1 },
					choice: 'holdout',
					split: { kind: 'stratified', seed: 3, validation: 0, test: 0.2 }
				})
			)
		).rejects.toThrow(/picks the model by its validation score/);
	});

	it('cross-validates on the non-test rows when asked', async () => {
		const table = await load('static/samples/penguins.csv');
		const r = await runExperiment(
			table,
			config(table, 'Species', {
				crossValidation: 5,
				robustness: false,
				importance: false,
				model: { ...DEFAULT_LINEAR, epochs: 20 }
			})
		);
		expect(r.crossValidation?.k).toBe(5);
		expect(r.crossValidation?.scores).toHaveLength(5);
		expect(r.crossValidation!.mean).toBeGreaterThan(0.85);
		expect(r.crossValidation!.std).toBeGreaterThanOrEqual(0);
	});

	it('fits a regression with the target scaled back, beside the mean baseline', async () => {
		const table = await load('static/samples/cars.csv');
		const r = await runExperiment(
			table,
			config(table, 'Miles_per_Gallon', {
				split: { kind: 'random', seed: 1, validation: 0.15, test: 0.2 },
				model: { ...DEFAULT_LINEAR, epochs: 60 },
				importance: false
			})
		);
		expect(r.task).toBe('regression');
		expect(r.droppedTarget).toBe(8);
		expect(r.test.r2).toBeGreaterThan(0.6);
		expect(r.baseline.r2).toBeLessThan(0.05);
		expect(r.test.rmse).toBeLessThan(r.baseline.rmse!);
		expect(r.curves.residuals?.length).toBe(r.rows.test);
	});

	it('calibrates conformal bounds on rows no model fitted: out-of-fold on small data, else the validation rows', async () => {
		const table = await load('static/samples/cars.csv');
		const base = config(table, 'Miles_per_Gallon', {
			split: { kind: 'random', seed: 1, validation: 0.15, test: 0.2 },
			model: { ...DEFAULT_LINEAR, epochs: 60 },
			importance: false,
			robustness: false
		});
		const folds = await runExperiment(table, base);
		const c = folds.conformal!;
		expect(c.calibration.kind).toBe('interval');
		expect(c.calibration.rows).toBe(folds.rows.train + folds.rows.validation);
		expect(c.exchangeable).toBe(true);
		expect(c.test!.rows).toBe(folds.rows.test);
		expect(c.test!.level).toBe(0.9);
		expect(c.test!.coverage).toBeGreaterThan(0.8);
		expect(c.test!.width).toBeGreaterThan(0);
		const holdout = await runExperiment(table, { ...base, choice: 'holdout' });
		expect(holdout.conformal!.calibration.rows).toBe(holdout.rows.validation);
		const time = await runExperiment(table, {
			...base,
			split: { kind: 'time', timeColumn: 'Year', seed: 1, validation: 0.15, test: 0.2 }
		});
		expect(time.conformal!.exchangeable).toBe(false);
		const penguins = await load('static/samples/penguins.csv');
		const sets = await runExperiment(
			penguins,
			config(penguins, 'Species', {
				model: { ...DEFAULT_LINEAR, epochs: 30 },
				importance: false,
				robustness: false
			})
		);
		expect(sets.conformal!.calibration.kind).toBe('set');
		expect(sets.conformal!.test!.coverage).toBeGreaterThan(0.8);
		// Probability calibration: tried on the same held-out rows, its evidence recorded; the test
		// log loss reported is the deployed (calibrated, when kept) model's.
		const p = sets.probabilityCalibration!;
		expect(p.method).toBe('temperature');
		expect(p.rows).toBe(sets.rows.train + sets.rows.validation);
		expect(p.test.calibrated).toBeCloseTo(sets.test.log_loss!, 12);
		if (!p.map) expect(p.test.raw).toBeCloseTo(p.test.calibrated, 12);
		expect(folds.probabilityCalibration).toBeNull();
		// Contributions on the test rows: only when importance is asked for.
		expect(folds.contributions).toBeNull();
	});

	it('explains a sample of the test rows beside permutation importance: mean |contribution| and dependence', async () => {
		const table = await load('static/samples/penguins.csv');
		const r = await runExperiment(
			table,
			config(table, 'Species', {
				model: { ...DEFAULT_GBDT, maxIterations: 40 },
				robustness: false
			})
		);
		const c = r.contributions!;
		expect(c.method).toMatch(/^exact: path-dependent TreeSHAP/);
		expect(c.rows).toBe(r.rows.test);
		expect(c.columns.map((x) => x.column).sort()).toEqual(r.importance.map((i) => i.column).sort());
		expect(c.columns.map((x) => x.meanAbs)).toEqual(
			[...c.columns.map((x) => x.meanAbs)].sort((a, b) => b - a)
		);
		// The column that matters most by contributions is among the top two by permutation.
		expect(r.importance.slice(0, 2).map((i) => i.column)).toContain(c.columns[0]!.column);
		for (const d of c.dependence) {
			expect(d.values).toHaveLength(c.rows);
			expect(d.contributions).toHaveLength(c.rows);
		}
		expect(c.dependence.find((d) => d.column === 'Island')!.numeric).toBe(false);
		expect(c.output).toBe('the predicted class’s score');
	});

	it('stops within a batch when cancelled, and refuses an absurd spec before training', async () => {
		const table = await load('static/samples/penguins.csv');
		let epochsSeen = 0;
		await expect(
			runExperiment(table, config(table, 'Species'), {
				onEpoch: () => epochsSeen++,
				isCancelled: () => epochsSeen >= 2
			})
		).rejects.toThrow('Training cancelled.');
		expect(epochsSeen).toBe(2);
		await expect(
			runExperiment(
				table,
				config(table, 'Species', { model: { ...DEFAULT_MLP, hidden: [0], learningRate: -1 } })
			)
		).rejects.toThrow(/units.*learning rate/);
	});

	it('keeps the finished candidates when Cancel stops an automatic choice, and offers the best', async () => {
		const table = await load('static/samples/penguins.csv');
		let candidate = 0;
		let epochsOfLast = 0;
		const result = await runExperiment(
			table,
			config(table, 'Species', { model: { kind: 'auto', seed: 1 }, choice: 'holdout' }),
			{
				onCandidate: (c) => (candidate = c.index),
				onEpoch: () => {
					if (candidate === 3) epochsOfLast++;
				},
				// Cancel during the third candidate (the MLP), after its second epoch.
				isCancelled: () => candidate === 3 && epochsOfLast >= 2
			}
		);
		expect(result.interrupted).toBe(true);
		expect(result.candidates.map((c) => [c.model.kind, c.status ?? 'trained'])).toEqual([
			['linear', 'trained'],
			['gbdt', 'trained'],
			['mlp', 'stopped']
		]);
		expect(result.candidates.filter((c) => c.chosen)).toHaveLength(1);
		expect(['linear', 'gbdt']).toContain(result.model.kind);
		// Ended promptly: evaluated on the test rows, no refit, no extras.
		expect(result.refit).toBeNull();
		expect(result.robustness).toEqual([]);
		expect(result.importance).toEqual([]);
		expect(result.test.accuracy).toBeGreaterThan(0.9);
		// Cancel before anything finished still cancels.
		await expect(
			runExperiment(table, config(table, 'Species', { model: { kind: 'auto', seed: 1 } }), {
				isCancelled: () => true
			})
		).rejects.toThrow('Training cancelled.');
	});

	it('on a big table, keeps a candidate over the time budget to a sample, or skips it, and says so', async () => {
		// 80,000 rows (the probe times candidates above 50,000 training rows) and a budget no
		// candidate can meet: the linear model trains on the smallest sample, the others are skipped.
		const n = 80_000;
		const xs = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
		const table: Table = {
			rowCount: n,
			columns: [
				numeric('x', xs),
				coded(
					'y',
					xs.map((x) => (x > 0.5 ? 'hi' : 'lo'))
				)
			]
		};
		const c = config(table, 'y', {
			robustness: false,
			importance: false,
			model: { kind: 'auto', seed: 1, budgetSeconds: 1e-6 },
			split: { kind: 'random', seed: 3, validation: 0.15, test: 0.2 }
		});
		c.recipe.steps = [
			{
				column: 'x',
				kind: 'numeric',
				numeric: { impute: 'median', constant: 0, indicator: false, clip: null, scale: 'standard' }
			}
		];
		const r = await runExperiment(table, c);
		expect(r.candidates.map((k) => k.status ?? 'trained')).toEqual([
			'trained',
			'skipped',
			'skipped'
		]);
		expect(r.candidates[0]!.budget).toMatchObject({ rows: 5000, of: r.rows.train });
		expect(r.candidates[1]!.reason).toMatch(/over the budget/);
		expect(r.model.kind).toBe('linear');
		expect(r.sampledRows).toBe(5000);
		// Kept as trained on the sample: no refit on more rows.
		expect(r.refit).toBeNull();
		expect(r.finalRefit).toBeNull();
		expect(r.test.accuracy).toBeGreaterThan(0.95);
	}, 60_000);

	it('survives NaN and Infinity in features and an all-missing feature', async () => {
		const n = 120;
		const table: Table = {
			rowCount: n,
			columns: [
				numeric(
					'x',
					Array.from({ length: n }, (_, i) => (i % 17 === 0 ? Infinity : i % 13 === 0 ? NaN : i))
				),
				numeric('empty', new Array<number>(n).fill(NaN)),
				coded(
					'y',
					Array.from({ length: n }, (_, i) => (i < 60 ? 'lo' : 'hi'))
				)
			]
		};
		const c = config(table, 'y', { robustness: false, importance: false });
		c.recipe.steps = [
			{
				column: 'x',
				kind: 'numeric',
				numeric: { impute: 'median', constant: 0, indicator: true, clip: null, scale: 'standard' }
			},
			{
				column: 'empty',
				kind: 'numeric',
				numeric: { impute: 'mean', constant: 0, indicator: false, clip: null, scale: 'standard' }
			}
		];
		const r = await runExperiment(table, c);
		expect(Number.isFinite(r.test.log_loss!)).toBe(true);
		expect(r.test.accuracy).toBeGreaterThan(0.8);
	});

	it('hands the trees missing numbers as missing: a missingness that predicts is learned, not filled away', async () => {
		// y is "yes" where x is missing or |x| > 0.5. A median fill would put the missing rows at
		// x ≈ 0, among the "no" rows (30 % of the rows wrong); the trees send them their own way.
		const n = 2000;
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const x = Array.from({ length: n }, () => (random() < 0.3 ? NaN : random() * 2 - 1));
		const table: Table = {
			rowCount: n,
			columns: [
				numeric('x', x),
				coded(
					'y',
					x.map((v) => (Number.isNaN(v) || Math.abs(v) > 0.5 ? 'yes' : 'no'))
				)
			]
		};
		const c = config(table, 'y', { robustness: false, importance: false });
		c.recipe.steps = [
			{
				column: 'x',
				kind: 'numeric',
				numeric: { impute: 'median', constant: 0, indicator: false, clip: null, scale: 'standard' }
			}
		];
		const trees = await runExperiment(table, { ...c, model: DEFAULT_GBDT });
		const kept = trees.recipe.steps[0]!;
		expect(kept.kind === 'numeric' && kept.numeric.keepMissing).toBe(true);
		expect(trees.test.accuracy).toBeGreaterThan(0.99);
		// The linear model reads the same recipe filled, as it must (it cannot read NaN).
		const linear = await runExperiment(table, { ...c, model: DEFAULT_LINEAR });
		const filled = linear.recipe.steps[0]!;
		expect(filled.kind === 'numeric' && filled.numeric.keepMissing).toBeUndefined();
	});
});
