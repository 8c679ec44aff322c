import * as tf from '@tensorflow/tfjs';
import { baselineMean, baselineProbabilities } from '../evaluate/baseline';
import { oneVsRest, precisionRecallCurve, rocCurve } from '../evaluate/classification';
import { classificationReport } from '../evaluate/metrics';
import { withMissing, withNoise, withPermuted } from '../evaluate/perturb';
import { regressionMetrics } from '../evaluate/regression';
import { fitRecipe, findColumn } from '../recipe/fit';
import { transformTable } from '../recipe/transform';
import type { FittedRecipe, RecipeSpec } from '../recipe/types';
import type { Table } from '../table/types';
import { buildModel } from './build';
import { validateSpec, type ModelSpec } from './spec';
import { kFolds, splitRows, type Split, type SplitSpec } from './split';
import { inferTask, prepareTarget, TargetError, type PreparedTarget, type Task } from './task';
import { predictMatrix, trainModel, type EpochLog } from './train';

export interface ExperimentConfig {
	target: string;
	task: Task | 'auto';
	recipe: RecipeSpec;
	split: SplitSpec;
	model: ModelSpec;
	robustness: boolean;
	importance: boolean;
	/** k-fold cross-validation on the train + validation rows (stratified for classes); 0 = off. */
	crossValidation?: number;
}

export type MetricSet = Record<string, number | null>;

export interface Curves {
	confusion: number[] | null;
	roc: { fpr: number[]; tpr: number[] } | null;
	pr: { precision: number[]; recall: number[] } | null;
	calibration: { confidence: number; observed: number; count: number }[] | null;
	/** Regression: up to 500 test points (predicted, residual). */
	residuals: { predicted: number; residual: number }[] | null;
	perClass:
		{ label: string; precision: number; recall: number; f1: number; support: number }[] | null;
}

export interface RobustnessPoint {
	kind: 'noise' | 'missing';
	level: number;
	metric: string;
	value: number;
}

/** The saved model, in TF.js LayersModel form (topology JSON + one weights buffer). */
export interface ModelArtifacts {
	modelTopology: object;
	weightSpecs: tf.io.WeightsManifestEntry[];
	weightData: ArrayBuffer;
}

export interface ExperimentResult {
	task: Task;
	labels: string[];
	primaryMetric: string;
	rows: { train: number; validation: number; test: number };
	droppedTarget: number;
	recipe: FittedRecipe;
	/** Regression targets are trained scaled: y' = (y − center) / scale. */
	targetScale: { center: number; scale: number } | null;
	history: EpochLog[];
	bestEpoch: number;
	stoppedEarly: boolean;
	validation: MetricSet;
	test: MetricSet;
	baseline: MetricSet;
	curves: Curves;
	robustness: RobustnessPoint[];
	importance: { column: string; drop: number }[];
	/** Validation score of each fold (the primary metric), when cross-validation was asked for. */
	crossValidation: { k: number; scores: number[]; mean: number; std: number } | null;
	timings: { prepare: number; train: number; evaluate: number };
	artifacts: ModelArtifacts;
}

export interface ExperimentHooks {
	onEpoch?: (log: EpochLog) => void;
	onStage?: (stage: 'preparing' | 'training' | 'evaluating', detail?: string) => void;
	isCancelled?: () => boolean;
}

export class ExperimentError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ExperimentError';
	}
}

export const NOISE_LEVELS = [0.1, 0.25, 0.5];
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
	const problems = validateSpec(config.model);
	if (problems.length) throw new ExperimentError(problems.join(' '));
	const t0 = performance.now();
	hooks.onStage?.('preparing');
	const targetColumn = findColumn(table, config.target);
	const task = config.task === 'auto' ? inferTask(targetColumn) : config.task;
	const target = prepareTarget(targetColumn, task);
	const split = splitRows(
		target.rows,
		config.split,
		target.classes ?? undefined,
		config.split.kind === 'time' && config.split.timeColumn
			? timesOf(table, config.split.timeColumn)
			: undefined
	);
	if (split.train.length < 2 || split.test.length < 1)
		throw new ExperimentError(
			'Too few rows for this split: lower the validation and test shares, or add data.'
		);
	const recipe = fitRecipe({ ...config.recipe, target: config.target }, table, split.train);
	const inputs = recipe.features.length;
	const k = target.task === 'regression' ? 1 : target.labels.length;
	const targetScale = target.task === 'regression' ? scaleOf(target.values!, split.train) : null;
	const yOf = (rows: Int32Array) =>
		Float32Array.from(rows, (r) =>
			target.classes
				? target.classes[r]!
				: (target.values![r]! - targetScale!.center) / targetScale!.scale
		);
	const xTrain = transformTable(recipe, table, split.train);
	const xVal = transformTable(recipe, table, split.validation);
	const t1 = performance.now();

	hooks.onStage?.('training');
	const model = buildModel(config.model, inputs, target.task, k);
	try {
		const outcome = await trainModel(
			model,
			{ x: xTrain, y: yOf(split.train), xVal, yVal: yOf(split.validation), inputs, classes: k },
			config.model,
			target.task,
			hooks
		);
		const t2 = performance.now();

		hooks.onStage?.('evaluating', 'test metrics');
		const evaluate = async (x: Float32Array, rows: Int32Array) =>
			score(await predictMatrix(model, x, inputs, target.task), rows, target, targetScale);
		const predictTable = async (t: Table) =>
			predictMatrix(model, transformTable(recipe, t), inputs, target.task);
		const testMatrix = await predictMatrix(
			model,
			transformTable(recipe, table, split.test),
			inputs,
			target.task
		);
		const test = score(testMatrix, split.test, target, targetScale);
		const validation = split.validation.length
			? (await evaluate(xVal, split.validation)).metrics
			: {};
		const baseline =
			target.task === 'regression'
				? score(
						baselineMean(
							Float64Array.from(
								split.train,
								(r) => (target.values![r]! - targetScale!.center) / targetScale!.scale
							),
							split.test.length
						),
						split.test,
						target,
						targetScale
					)
				: score(
						baselineProbabilities(
							Int32Array.from(split.train, (r) => target.classes![r]!),
							k,
							split.test.length
						),
						split.test,
						target,
						targetScale
					);
		const primary = target.task === 'regression' ? 'r2' : 'accuracy';

		const robustness: RobustnessPoint[] = [];
		if (config.robustness) {
			hooks.onStage?.('evaluating', 'robustness');
			const numeric = numericStds(table, recipe, split.train);
			const features = new Set(recipe.steps.map((s) => s.column));
			for (const level of NOISE_LEVELS) {
				const m = score(
					await predictTable(withNoise(table, split.test, numeric, level, config.model.seed + 101)),
					split.test,
					target,
					targetScale
				);
				robustness.push({ kind: 'noise', level, metric: primary, value: m.metrics[primary]! });
			}
			for (const level of MISSING_LEVELS) {
				const m = score(
					await predictTable(
						withMissing(table, split.test, features, level, config.model.seed + 202)
					),
					split.test,
					target,
					targetScale
				);
				robustness.push({ kind: 'missing', level, metric: primary, value: m.metrics[primary]! });
			}
		}
		const importance: { column: string; drop: number }[] = [];
		if (config.importance) {
			hooks.onStage?.('evaluating', 'permutation importance');
			const reference = test.metrics[primary]!;
			for (const step of recipe.steps) {
				let drop = 0;
				for (let repeat = 0; repeat < 3; repeat++) {
					const m = score(
						await predictTable(
							withPermuted(table, split.test, step.column, config.model.seed + 303 + repeat)
						),
						split.test,
						target,
						targetScale
					);
					drop += (reference - m.metrics[primary]!) / 3;
				}
				importance.push({ column: step.column, drop });
			}
			importance.sort((a, b) => b.drop - a.drop);
		}
		const crossValidation = config.crossValidation
			? await crossValidate(table, config, target, split, primary, hooks)
			: null;
		const t3 = performance.now();
		return {
			task: target.task,
			labels: target.labels,
			primaryMetric: primary,
			rows: {
				train: split.train.length,
				validation: split.validation.length,
				test: split.test.length
			},
			droppedTarget: target.dropped,
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
			crossValidation,
			timings: { prepare: (t1 - t0) / 1000, train: (t2 - t1) / 1000, evaluate: (t3 - t2) / 1000 },
			artifacts: await saveArtifacts(model)
		};
	} finally {
		// The optimizer's slots (Adam's moments) are not the model's: dispose them too.
		model.optimizer?.dispose();
		model.dispose();
	}
}

/**
 * k-fold cross-validation on the rows outside the test split: each fold fits its own recipe and
 * model on the other folds and is scored on itself. The test rows stay untouched.
 */
async function crossValidate(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	split: Split,
	primary: string,
	hooks: ExperimentHooks
): Promise<{ k: number; scores: number[]; mean: number; std: number }> {
	const k = config.crossValidation!;
	const rows = Int32Array.from([...split.train, ...split.validation]);
	const folds = kFolds(rows, k, config.split.seed, target.classes ?? undefined);
	const scores: number[] = [];
	const classes = target.task === 'regression' ? 1 : target.labels.length;
	for (let f = 0; f < folds.length; f++) {
		hooks.onStage?.('evaluating', `cross-validation fold ${f + 1} of ${k}`);
		const fold = folds[f]!;
		const recipe = fitRecipe({ ...config.recipe, target: config.target }, table, fold.train);
		const inputs = recipe.features.length;
		const scale = target.task === 'regression' ? scaleOf(target.values!, fold.train) : null;
		const yOf = (r: Int32Array) =>
			Float32Array.from(r, (i) =>
				target.classes ? target.classes[i]! : (target.values![i]! - scale!.center) / scale!.scale
			);
		const xVal = transformTable(recipe, table, fold.validation);
		const model = buildModel(config.model, inputs, target.task, classes);
		try {
			await trainModel(
				model,
				{
					x: transformTable(recipe, table, fold.train),
					y: yOf(fold.train),
					xVal,
					yVal: yOf(fold.validation),
					inputs,
					classes
				},
				config.model,
				target.task,
				{ isCancelled: hooks.isCancelled }
			);
			const m = score(
				await predictMatrix(model, xVal, inputs, target.task),
				fold.validation,
				target,
				scale
			);
			scores.push(m.metrics[primary]!);
		} finally {
			model.optimizer?.dispose();
			model.dispose();
		}
	}
	const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
	const std = Math.sqrt(
		scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length - 1)
	);
	return { k, scores, mean, std };
}

function score(
	matrix: Float64Array,
	rows: Int32Array,
	target: PreparedTarget,
	targetScale: { center: number; scale: number } | null
): { metrics: MetricSet; curves: Curves } {
	if (target.task === 'regression') {
		const yTrue = Float64Array.from(rows, (r) => target.values![r]!);
		const yPred = matrix.map((v) => v * targetScale!.scale + targetScale!.center);
		const residuals = Array.from({ length: Math.min(500, rows.length) }, (_, i) => {
			const j = Math.floor((i * rows.length) / Math.min(500, rows.length));
			return { predicted: yPred[j]!, residual: yTrue[j]! - yPred[j]! };
		});
		return {
			metrics: { ...regressionMetrics(yTrue, yPred) },
			curves: { confusion: null, roc: null, pr: null, calibration: null, residuals, perClass: null }
		};
	}
	const k = target.labels.length;
	const yTrue = Int32Array.from(rows, (r) => target.classes![r]!);
	const report = classificationReport(yTrue, matrix, k);
	let roc = null;
	let pr = null;
	if (k === 2) {
		const { isPositive, scores } = oneVsRest(yTrue, matrix, 2, 1);
		const curve = rocCurve(isPositive, scores);
		roc = { fpr: curve.fpr, tpr: curve.tpr };
		pr = precisionRecallCurve(isPositive, scores);
	}
	return {
		metrics: { ...report.metrics },
		curves: {
			confusion: report.confusion,
			roc,
			pr,
			calibration: report.calibration,
			residuals: null,
			perClass: target.labels.map((label, c) => ({
				label,
				precision: report.perClass.precision[c]!,
				recall: report.perClass.recall[c]!,
				f1: report.perClass.f1[c]!,
				support: report.perClass.support[c]!
			}))
		}
	};
}

function scaleOf(values: Float64Array, rows: Int32Array): { center: number; scale: number } {
	let mean = 0;
	for (const r of rows) mean += values[r]!;
	mean /= rows.length;
	let squares = 0;
	for (const r of rows) squares += (values[r]! - mean) ** 2;
	const std = Math.sqrt(squares / rows.length);
	return { center: mean, scale: std > 0 ? std : 1 };
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
		let mean = 0;
		for (const v of values) mean += v;
		mean /= values.length;
		let squares = 0;
		for (const v of values) squares += (v - mean) ** 2;
		out.set(step.column, Math.sqrt(squares / (values.length - 1)));
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

async function saveArtifacts(model: tf.LayersModel): Promise<ModelArtifacts> {
	let saved: ModelArtifacts | null = null;
	await model.save(
		tf.io.withSaveHandler(async (artifacts) => {
			const data = artifacts.weightData;
			const weightData = Array.isArray(data) ? concatBuffers(data) : (data as ArrayBuffer);
			saved = {
				modelTopology: artifacts.modelTopology as object,
				weightSpecs: artifacts.weightSpecs ?? [],
				weightData
			};
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	return saved!;
}

function concatBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
	const total = buffers.reduce((s, b) => s + b.byteLength, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const b of buffers) {
		out.set(new Uint8Array(b), at);
		at += b.byteLength;
	}
	return out.buffer;
}

export type { Split };
