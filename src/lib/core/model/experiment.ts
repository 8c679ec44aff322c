import { DriftwoodError } from '../errors';
import { baselineMean, baselineProbabilities } from '../evaluate/baseline';
import { PERMUTATION_REPEATS, withMissing, withNoise, withPermuted } from '../evaluate/perturb';
import { findColumn } from '../recipe/fit';
import { featureColumns, transformTable } from '../recipe/transform';
import type { FittedRecipe } from '../recipe/types';
import type { Table } from '../table/types';
import { takeRows } from '../table/rows';
import { profileColumn } from '../profile/profile';
import { refitSpec, trainChoice } from './choose';
import { chooseByFolds } from './choose-folds';
import { familyEntry, fitModel, validateModelSpec } from './families';
import { fitDataOf, prepareFold, type PreparedFold } from './fold';
import type { ModelSpec } from './spec';
import { crossValidate } from './cross-validate';
import type { RobustnessPoint } from './results';
import { fitIsotonic, type IsotonicMap } from '../stats/isotonic';
import { sampleReference } from './reservoir';
import { primaryScore, score } from './score';
import { splitRows, type Split } from './split';
import { inferTask, prepareTarget, primaryMetric, TargetError } from './task';
import type { ExperimentConfig, ExperimentHooks, ExperimentResult } from './types';
import { rowArgmax } from '../stats/rows';
import { stdOf } from '../stats/summary';
import { calibrateRun, coverageByLevel, unscaled } from '../conformal/calibrate';
import { DEFAULT_LEVEL } from '../conformal/conformal';
import { applyProbabilityMap, chooseCalibration } from '../calibration/probabilities';
import { heldOutPredictions, truthOf } from './held-out';
import { rowDraws } from '../conformal/draws';
import { runContributions } from './contributions/run';

export type {
	ExperimentArtifacts,
	ExperimentConfig,
	ExperimentHooks,
	ExperimentResult,
	ExperimentSummary
} from './types';
export type { MetricSet, Curves, RobustnessPoint } from './results';

/** Settings an experiment cannot run with (code `experiment`). */
export class ExperimentError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'experiment');
		this.name = 'ExperimentError';
	}
}

/** Gaussian noise on the test inputs, in training standard deviations, for the robustness curve. */
export const NOISE_LEVELS = [0.1, 0.25, 0.5];
/** Shares of test cells blanked for the robustness curve. */
export const MISSING_LEVELS = [0.1, 0.3];

/**
 * One run, start to finish: split, fit the recipe on the training rows only, train with early
 * stopping on validation, then evaluate on the untouched test rows beside a baseline, under noise
 * and missing values, with permutation importance. Pure apart from tfjs: the train worker and the
 * CLI both call it.
 */
export async function runExperiment(
	table: Table,
	config: ExperimentConfig,
	hooks: ExperimentHooks = {}
): Promise<ExperimentResult> {
	const problems = validateModelSpec(config.model);
	if (problems.length) throw new ExperimentError(problems.join(' '));
	const t0 = performance.now();
	hooks.onStage?.('preparing');
	const targetColumn = findColumn(table, config.target);
	const task = config.task === 'auto' ? inferTask(targetColumn) : config.task;
	const target = prepareTarget(targetColumn, task);
	const times =
		config.split.kind === 'time' && config.split.timeColumn
			? timesOf(table, config.split.timeColumn)
			: undefined;
	const split = splitRows(target.rows, config.split, target.classes ?? undefined, times);
	if (split.train.length < 2 || split.test.length < 1)
		throw new ExperimentError(
			'Too few rows for this split: lower the validation and test shares, or add data.'
		);
	// The split prepared once per way of reading missing values (filled, or kept for the trees):
	// every candidate of an automatic choice trains on the same rows, each as its family reads them.
	const folds = new Map<boolean, PreparedFold>();
	const foldOf = (spec: ModelSpec): PreparedFold => {
		const reads = familyEntry(spec.kind).readsMissing;
		let fold = folds.get(reads);
		if (!fold) {
			fold = prepareFold(table, config, target, split.train, split.validation, reads);
			folds.set(reads, fold);
		}
		return fold;
	};
	const k = target.task === 'regression' ? 1 : target.labels.length;
	const t1 = performance.now();

	hooks.onStage?.('training');
	// Small data: the automatic choice is made on k folds; the chosen spec alone is then trained.
	const byFolds = await chooseByFolds(table, config, config.model, target, split, times, hooks);
	const chosen = await trainChoice(
		foldOf,
		byFolds ? byFolds.spec : config.model,
		target,
		split.validation,
		hooks
	);
	const fold = foldOf(chosen.spec);
	const { outcome, validation } = chosen;
	const valMatrix = chosen.validationMatrix;
	// The model kept: the chosen one, or (by default) the same spec trained again on the training
	// and validation rows with the epochs / iterations validation chose. Its recipe, target scale
	// and rows are what everything below evaluates and what the bundle carries.
	let model = chosen.model;
	let { recipe, targetScale } = fold;
	let fitRows = split.train;
	let fitTargets = fold.y;
	let refit: ExperimentResult['refit'] = null;
	try {
		// After Cancel kept the finished candidates, the run ends promptly: no refit, no extras.
		const extras = !chosen.interrupted;
		// The chosen spec fitted again on `parts` of the split, with the epochs / iterations
		// validation chose; `adopt` makes it the kept model, with its recipe and rows.
		const fitOn = async (...parts: Int32Array[]) => {
			const rows = Int32Array.from(parts.flatMap((p) => [...p])).sort();
			const all = prepareFold(
				table,
				config,
				target,
				rows,
				new Int32Array(0),
				familyEntry(chosen.spec.kind).readsMissing
			);
			const refitted = await fitModel(
				fitDataOf(all),
				refitSpec(chosen.spec, outcome.bestEpoch),
				target.task,
				// The live curve stays the one validation chose from.
				{ isCancelled: hooks.isCancelled, yieldToEvents: hooks.yieldToEvents }
			);
			return { fold: all, rows, model: refitted.model, steps: refitted.outcome.history.length };
		};
		const adopt = (fitted: Awaited<ReturnType<typeof fitOn>>) => {
			model.dispose();
			model = fitted.model;
			({ recipe, targetScale } = fitted.fold);
			fitRows = fitted.rows;
			fitTargets = fitted.fold.y;
			return { rows: fitted.rows.length, steps: fitted.steps };
		};
		// A model trained on a sample (its time on every row was over the budget) is kept as
		// trained: a refit on more rows would take the time the budget refused.
		const refits = extras && chosen.sampledRows === undefined;
		const regression = target.task === 'regression';
		// The model's input columns, as its schema lists them: what a row's set draw hashes.
		const inputs = fold.recipe.steps.map((s) => s.column);
		const heldOut = () =>
			heldOutPredictions(
				table,
				config,
				target,
				split,
				times,
				hooks,
				extras ? refitSpec(chosen.spec, outcome.bestEpoch) : null,
				valMatrix ? (regression ? unscaled(valMatrix, fold.targetScale) : valMatrix) : null,
				inputs
			);
		const finalWanted =
			refits &&
			config.finalRefit !== false &&
			config.split.heldOutFrom === undefined &&
			split.test.length > 0;
		// With a fold runner (the CLI's threads, the studio's fold workers) the fits that do not
		// wait on each other start together: the out-of-fold fits on the runner, the refit and the
		// deployed model's on this thread. Without one they run in turn, each stage shown as it starts.
		const together = hooks.runFolds !== undefined;
		const heldEarly = together ? heldOut() : null;
		const finalEarly =
			together && finalWanted ? fitOn(split.train, split.validation, split.test) : null;
		// Settled even when an earlier step fails, so that no promise is left unobserved.
		finalEarly?.catch(() => undefined);
		heldEarly?.catch(() => undefined);
		if (refits && config.refit !== false && split.validation.length > 0) {
			hooks.onStage?.('training', 'refitting on the training + validation rows');
			refit = adopt(await fitOn(split.train, split.validation));
		}
		const t2 = performance.now();

		const { held, source } = await (heldEarly ?? heldOut());
		hooks.onStage?.('evaluating', 'test metrics');
		// Classifiers: Platt / temperature scaling of the probabilities, kept when it lowers the
		// held-out log loss beyond chance; everything below reads the calibrated probabilities.
		const probabilities =
			!regression && held ? chooseCalibration(held.outputs, held.truth, held.folds, k) : null;
		const map = probabilities?.map ?? null;
		const calibrated = (m: Float64Array) => (map ? applyProbabilityMap(map, m, k) : m);
		const predictTable = async (t: Table) =>
			calibrated(await model.predict(transformTable(recipe, t)));
		const testX = transformTable(recipe, table, split.test);
		const rawTest = await model.predict(testX);
		const testMatrix = calibrated(rawTest);
		const test = score(testMatrix, split.test, target, targetScale);
		const probabilityCalibration: ExperimentResult['probabilityCalibration'] = probabilities
			? {
					...probabilities,
					test: {
						raw: score(rawTest, split.test, target, targetScale).metrics.log_loss ?? NaN,
						calibrated: test.metrics.log_loss ?? NaN
					}
				}
			: null;
		// Conformal bounds calibrate on the held-out predictions (as the deployed model gives
		// them); their coverage is measured on the test rows with the model the test rows scored.
		const bounds = held
			? calibrateRun(
					regression ? 0 : target.labels.length,
					{ ...held, outputs: calibrated(held.outputs) },
					config.split.seed
				)
			: null;
		const testOutputs = regression ? unscaled(testMatrix, targetScale) : testMatrix;
		const testTruth = truthOf(target, split.test);
		const testDraws = rowDraws(table, inputs, split.test);
		const byLevel = bounds ? coverageByLevel(bounds, testOutputs, testTruth, k, testDraws) : [];
		const conformal: ExperimentResult['conformal'] =
			bounds && source
				? {
						calibration: bounds,
						source,
						test: byLevel.find((c) => c.level === DEFAULT_LEVEL) ?? null,
						byLevel,
						exchangeable: config.split.kind !== 'time'
					}
				: null;
		// CBPE's calibration needs predictions on rows the model did not fit: the chosen model's on
		// the validation rows (a refitted model has seen them), applied to the kept model.
		const calibration =
			valMatrix && target.task !== 'regression'
				? calibrateConfidence(calibrated(valMatrix), Int32Array.from(fold.yVal), k)
				: null;
		// The baseline knows only the rows the model was fitted on (their targets as it saw them).
		const baseline = score(
			target.task === 'regression'
				? baselineMean(Float64Array.from(fitTargets), split.test.length)
				: baselineProbabilities(Int32Array.from(fitTargets), k, split.test.length),
			split.test,
			target,
			targetScale
		);
		const primary = primaryMetric(target.task);
		// A run whose test score is not a number has measured nothing: fail it, never show "done".
		if (split.test.length > 0 && !Number.isFinite(test.metrics[primary] ?? NaN))
			throw new DriftwoodError(
				`The test ${primary} is not a number: the data makes the model's errors overflow or vanish. Check the target for extreme values.`,
				'non-finite'
			);

		const robustness: RobustnessPoint[] = [];
		if (extras && config.robustness) {
			hooks.onStage?.('evaluating', 'robustness');
			const numeric = numericStds(table, recipe, fitRows);
			const features = new Set(recipe.steps.map((s) => s.column));
			for (const level of NOISE_LEVELS) {
				const value = primaryScore(
					await predictTable(withNoise(table, split.test, numeric, level, config.model.seed + 101)),
					split.test,
					target,
					targetScale
				);
				robustness.push({ kind: 'noise', level, metric: primary, value });
			}
			for (const level of MISSING_LEVELS) {
				const value = primaryScore(
					await predictTable(
						withMissing(table, split.test, features, level, config.model.seed + 202)
					),
					split.test,
					target,
					targetScale
				);
				robustness.push({ kind: 'missing', level, metric: primary, value });
			}
		}
		const importance: ExperimentResult['importance'] = [];
		if (extras && config.importance) {
			hooks.onStage?.('evaluating', 'permutation importance');
			const reference = test.metrics[primary]!;
			for (const step of recipe.steps) {
				const drops: number[] = [];
				for (let repeat = 0; repeat < PERMUTATION_REPEATS; repeat++) {
					const permuted = withPermuted(
						table,
						split.test,
						step.column,
						config.model.seed + 303 + repeat
					);
					const x = transformTable(recipe, permuted);
					// A model whose outputs are sums of parts (trees) recomputes only the parts
					// that read the shuffled column.
					const predicted = model.predictChanged
						? await model.predictChanged(testX, x, changedColumns(testX, x, recipe.features.length))
						: await model.predict(x);
					const value = primaryScore(calibrated(predicted), split.test, target, targetScale);
					drops.push(reference - value);
				}
				// The mean drop and its spread over the shuffles (sklearn's importances_mean / _std).
				const drop = drops.reduce((a, b) => a + b, 0) / drops.length;
				importance.push({ column: step.column, drop, std: stdOf(drops, 0) });
			}
			importance.sort((a, b) => b.drop - a.drop);
		}
		// Each column's contributions on a sample of the test rows (mean |value|, and its dependence
		// plot): the per-row view of what permutation importance measures in aggregate.
		let contributions: ExperimentResult['contributions'] = null;
		if (extras && config.importance) {
			hooks.onStage?.('evaluating', 'contributions');
			try {
				contributions = await runContributions(
					{ model, recipe, task: target.task, labels: target.labels, targetScale, map },
					table,
					split.test,
					fitRows
				);
			} catch (error) {
				// An explanation that fails its own check is not shown; the run stands without it.
				if (!(error instanceof DriftwoodError)) throw error;
			}
		}
		const gains = model.gainImportance?.() ?? null;
		let gainImportance: ExperimentResult['gainImportance'] = null;
		if (gains) {
			const columns = featureColumns(recipe);
			if (columns.length !== gains.length || columns.length !== recipe.features.length)
				throw new Error('The gain importance does not line up with the recipe’s features.');
			const byColumn = new Map<string, number>();
			columns.forEach((column, i) => byColumn.set(column, (byColumn.get(column) ?? 0) + gains[i]!));
			gainImportance = [...byColumn]
				.map(([column, share]) => ({ column, share }))
				.sort((a, b) => b.share - a.share);
		}
		const crossValidation =
			extras && config.crossValidation
				? await crossValidate(table, config, chosen.spec, target, split, primary, hooks)
				: null;
		// The deployed model has seen every row: the same settings fitted again on train +
		// validation + test once the test rows have scored the model above (on a time split the
		// test rows are the newest, the ones a deployed model most needs).
		let finalRefit: ExperimentResult['finalRefit'] = null;
		if (finalWanted) {
			hooks.onStage?.('training', 'refitting on every row for the deployed model');
			finalRefit = adopt(await (finalEarly ?? fitOn(split.train, split.validation, split.test)));
		}
		const t3 = performance.now();
		const referenceNames = [...recipe.steps.map((s) => s.column), config.target];
		return {
			task: target.task,
			model: chosen.spec,
			candidates: byFolds ? byFolds.candidates : chosen.candidates,
			interrupted: chosen.interrupted,
			...(chosen.sampledRows !== undefined ? { sampledRows: chosen.sampledRows } : {}),
			labels: target.labels,
			primaryMetric: primary,
			rows: {
				train: split.train.length,
				validation: split.validation.length,
				test: split.test.length
			},
			droppedTarget: target.dropped,
			refit,
			finalRefit,
			recipe,
			targetScale,
			history: outcome.history,
			bestEpoch: outcome.bestEpoch,
			stoppedEarly: outcome.stoppedEarly,
			validation,
			test: test.metrics,
			baseline: baseline.metrics,
			curves: test.curves,
			robustness,
			importance,
			gainImportance,
			crossValidation,
			calibration,
			conformal,
			probabilityCalibration,
			contributions,
			timings: { prepare: (t1 - t0) / 1000, train: (t2 - t1) / 1000, evaluate: (t3 - t2) / 1000 },
			artifacts: {
				model: await model.save(),
				// The drift reference is what the kept model was fitted on.
				referenceSample: sampleReference(table, fitRows, referenceNames, config.split.seed),
				referenceColumns: takeRows(table, fitRows, referenceNames).columns.map(profileColumn)
			}
		};
	} finally {
		model.dispose();
	}
}

/**
 * The columns of matrix `x` whose cells differ from `base`'s in some row (n × `width`, row-major;
 * two missing values are the same).
 */
export function changedColumns(base: Float32Array, x: Float32Array, width: number): number[] {
	if (base.length !== x.length) throw new Error('The matrices differ in size.');
	const changed = new Uint8Array(width);
	for (let i = 0; i < x.length; i++) {
		const a = base[i]!;
		const b = x[i]!;
		if (a !== b && (a === a || b === b)) changed[i % width] = 1;
	}
	return Array.from(changed.keys()).filter((j) => changed[j]);
}

/** Training-row standard deviation of each raw numeric feature (noise is relative to it). */
function numericStds(table: Table, recipe: FittedRecipe, rows: Int32Array): Map<string, number> {
	const out = new Map<string, number>();
	for (const step of recipe.steps) {
		const column = findColumn(table, step.column);
		if (column.storage !== 'float' || step.kind === 'categorical') continue;
		const values = Float64Array.from(rows, (r) => column.values[r]!).filter((v) =>
			Number.isFinite(v)
		);
		if (values.length < 2) continue;
		out.set(step.column, stdOf(values, 1));
	}
	return out;
}

function timesOf(table: Table, name: string): Float64Array {
	const column = findColumn(table, name);
	if (column.storage !== 'float' || column.type !== 'datetime') {
		throw new TargetError(`A time split needs a date/time column; "${name}" is ${column.type}.`);
	}
	return column.values;
}

export type { Split };

/** Isotonic map from the top-class confidence to the chance of being right (CBPE's calibration). */
export function calibrateConfidence(
	matrix: Float64Array,
	labels: Int32Array,
	k: number
): IsotonicMap {
	const confidence = new Float64Array(labels.length);
	const correct = new Float64Array(labels.length);
	for (let i = 0; i < labels.length; i++) {
		const best = rowArgmax(matrix, i, k);
		confidence[i] = matrix[i * k + best]!;
		correct[i] = best === labels[i] ? 1 : 0;
	}
	// A small validation set often scores 100 % in a block: shrink each block's rate toward ½ by
	// half a count (Jeffreys), so the estimate keeps an honest band instead of a certain 1.
	const map = fitIsotonic(confidence, correct);
	return {
		x: map.x,
		y: map.y.map((y, i) => (y * map.weights![i]! + 0.5) / (map.weights![i]! + 1))
	};
}
