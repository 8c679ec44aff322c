import { predictTable, type LoadedModel, type Predictions } from '../bundle/predict';
import { classificationReport } from '../evaluate/metrics';
import { regressionMetrics } from '../evaluate/regression';
import { referenceTable } from '../bundle/reference';
import type { Column, Table } from '../table/types';
import { columnLength } from '../table/access';
import type { BatchCheck, BatchPerformance } from './types';
import { supportReasons } from './rules';
import { estimateAccuracy } from './cbpe';
import type { IsotonicMap } from '../stats/isotonic';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import { DriftError, driftReport } from './report';
import type { FeatureDrift } from './types';
import { baselineMean, baselineProbabilities, imbalanceOf } from '../evaluate/baseline';
import { rowArgmax } from '../stats/rows';
import { primaryMetric } from '../model/task';
import { cellParser } from '../bundle/enforce';
import { inputDrift } from './inputs';
import { r2Interval, wilsonInterval } from '../evaluate/interval';
import { MIN_BATCH_ROWS } from './alerts';
import { coverageAt } from '../conformal/calibrate';
import { DEFAULT_LEVEL } from '../conformal/conformal';
import type { Coverage } from '../conformal/coverage';

export type { BatchCheck, BatchPerformance } from './types';

/**
 * Checks a live batch against a model version: data drift on its inputs (against the training
 * rows sampled into the bundle), prediction drift (the model's outputs on the batch against its
 * outputs on that sample), and performance — measured when the batch carries the target,
 * estimated by CBPE otherwise (classifiers) — beside the test score at training.
 */
export async function checkBatch(
	loaded: LoadedModel,
	batch: Table,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS
): Promise<BatchCheck> {
	const { manifest } = loaded;
	const sample = manifest.reference.sample;
	if (!sample) {
		throw new DriftError(
			'This model version has no reference sample (it was registered before monitoring existed). Register its run again to monitor it.'
		);
	}
	const reference = referenceTable(loaded)!;
	const inputs = manifest.schema.map((c) => c.name);
	// Drift is judged on what the model reads: a date through its parts, ignored inputs not at all.
	const report = inputDrift(manifest.recipe, inputs, reference, batch, thresholds, sample.rows);
	const present = new Set(batch.columns.map((c) => c.name));
	const missing = inputs.filter((name) => !present.has(name));
	const unreadable = unreadableInputs(manifest.schema, batch);
	// The schema names the input columns the batch lacks, every one the model needs (ignored too).
	report.schema.missingColumns = missing;
	report.schema.unreadableColumns = unreadable;
	let predictionDrift: FeatureDrift | null = null;
	let performance: BatchPerformance | null = null;
	if (missing.length === 0 && unreadable.length === 0) {
		const [onReference, onBatch] = await Promise.all([
			referencePredictions(loaded),
			predictTable(loaded, batch)
		]);
		const asColumn = (values: (string | number)[]): Table => ({
			rowCount: values.length,
			columns: [predictionColumn(values)]
		});
		predictionDrift =
			driftReport(
				asColumn(onReference.predictions),
				asColumn(onBatch.predictions),
				['prediction'],
				thresholds,
				sample.rows
			).features[0] ?? null;
		const target = batch.columns.find((c) => c.name === manifest.model.target);
		if (target) performance = measure(loaded, target, onBatch)?.performance ?? null;
		else if (manifest.reference.calibration && onBatch.probabilities) {
			performance = estimate(
				manifest.reference.calibration,
				onBatch.probabilities,
				manifest.model.labels.length,
				manifest.metrics.test.accuracy ?? NaN
			);
		}
		if (performance?.estimated) {
			// CBPE assumes the calibration holds: off the reference's support it cannot know.
			const reasons = supportReasons(report, thresholds);
			performance.reliable = reasons.length === 0;
			performance.reasons = reasons;
		}
	}
	// A score on a handful of rows is chance: say so beside it (the small-batch alert says why).
	if (performance && batch.rowCount < MIN_BATCH_ROWS)
		performance = {
			...performance,
			reliable: false,
			reasons: [
				...(performance.reasons ?? []),
				`only ${batch.rowCount} row${batch.rowCount === 1 ? '' : 's'} (at least ${MIN_BATCH_ROWS} are needed)`
			]
		};
	return {
		report,
		predictionDrift,
		performance,
		targetDrift: targetDrift(loaded, batch, thresholds)
	};
}

/**
 * The target's distribution in a labelled batch against the reference sample's (its own bins, as
 * every feature); null when the batch or the sample lacks the target.
 */
function targetDrift(
	loaded: LoadedModel,
	batch: Table,
	thresholds: DriftThresholds
): FeatureDrift | null {
	const target = loaded.manifest.model.target;
	const reference = referenceTable(loaded)?.columns.find((c) => c.name === target);
	const current = batch.columns.find((c) => c.name === target);
	if (!reference || !current) return null;
	const only = (column: Column): Table => ({ rowCount: columnLength(column), columns: [column] });
	return (
		driftReport(
			only(reference),
			only(current),
			[target],
			thresholds,
			loaded.manifest.reference.sample!.rows
		).features[0] ?? null
	);
}

/**
 * The measured performance of a model on a labelled table (the champion and a challenger on the
 * newest labelled batch); null when the table has no usable labels.
 */
export async function evaluateLabelled(
	loaded: LoadedModel,
	table: Table
): Promise<LabelledScore | null> {
	const target = table.columns.find((c) => c.name === loaded.manifest.model.target);
	if (!target) return null;
	const result = await predictTable(loaded, table);
	return measure(loaded, target, result);
}

/** A labelled file's score: its measured performance and, for a classifier, its confusion. */
export interface LabelledScore {
	performance: BatchPerformance;
	/** Row-major k × k over the model's labels (actual × predicted); null for regression. */
	confusion: number[] | null;
	/**
	 * Each table row's outcome, for a paired comparison of two models on the same rows: 1 / 0
	 * right for classes, the squared error for numbers; NaN where the row was not scored.
	 */
	outcomes: Float64Array;
	/** Regression: each row's true value (NaN where missing); null for classes. */
	truth: Float64Array | null;
}

/**
 * The score of predictions on a file that holds the target column (a labelled file predicted on
 * the Deploy stage); null when the file has no target column or no label the model knows.
 */
export function scoreLabelled(
	loaded: LoadedModel,
	table: Table,
	result: Pick<Predictions, 'predictions' | 'probabilities' | 'draws'>
): LabelledScore | null {
	const target = table.columns.find((c) => c.name === loaded.manifest.model.target);
	return target ? measure(loaded, target, result) : null;
}

/**
 * The model's predictions on its reference table: the same for every batch the model checks, so
 * made once per loaded model.
 */
const referenceOutputs = new WeakMap<LoadedModel, Promise<{ predictions: (string | number)[] }>>();

export function referencePredictions(
	loaded: LoadedModel
): Promise<{ predictions: (string | number)[] }> {
	let predicted = referenceOutputs.get(loaded);
	if (!predicted) {
		predicted = predictTable(loaded, referenceTable(loaded)!);
		referenceOutputs.set(loaded, predicted);
	}
	return predicted;
}

/** A model's predictions as a column (numbers, or labels as categories). */
export function predictionColumn(values: (string | number)[]): Column {
	if (typeof values[0] === 'number') {
		return {
			storage: 'float',
			name: 'prediction',
			type: 'numeric',
			values: Float64Array.from(values as number[])
		};
	}
	const categories = Array.from(new Set(values as string[]));
	return {
		storage: 'coded',
		name: 'prediction',
		type: 'categorical',
		categories,
		codes: Int32Array.from(values as string[], (v) => categories.indexOf(v))
	};
}

function measure(
	loaded: LoadedModel,
	target: Column,
	result: Pick<Predictions, 'predictions' | 'probabilities' | 'draws'>
): LabelledScore | null {
	const { predictions, probabilities, draws } = result;
	const { manifest } = loaded;
	if (manifest.model.task === 'regression') {
		if (target.storage !== 'float') return null;
		const keep = Array.from(target.values.keys()).filter((i) => Number.isFinite(target.values[i]!));
		if (keep.length < 2) return null;
		const truth = Float64Array.from(keep, (i) => target.values[i]!);
		const metrics = regressionMetrics(
			truth,
			Float64Array.from(keep, (i) => predictions[i] as number)
		);
		const outcomes = new Float64Array(predictions.length).fill(NaN);
		for (const i of keep) outcomes[i] = ((predictions[i] as number) - target.values[i]!) ** 2;
		const band = r2Interval(
			truth,
			Float64Array.from(keep, (i) => predictions[i] as number)
		);
		const measured = { estimated: false, lower: band?.lower ?? null, upper: band?.upper ?? null };
		return {
			performance: {
				metric: primaryMetric('regression'),
				value: metrics.r2,
				reference: manifest.metrics.test.r2 ?? NaN,
				rows: keep.length,
				droppedUnknown: 0,
				metrics: { ...metrics },
				baseline: { ...regressionMetrics(truth, baselineMean(truth, truth.length)) },
				coverage: batchCoverage(
					manifest,
					Float64Array.from(predictions as number[]),
					target.values,
					1,
					draws
				),
				...measured
			},
			confusion: null,
			outcomes,
			truth: target.values.slice()
		};
	}
	const labels = manifest.model.labels;
	const k = labels.length;
	const index = new Map(labels.map((l, i) => [l, i]));
	const rows: number[] = [];
	let droppedUnknown = 0;
	for (let i = 0; i < predictions.length; i++) {
		const label = labelAt(target, i);
		if (label === null) continue;
		if (!index.has(label)) droppedUnknown++;
		else rows.push(i);
	}
	if (rows.length === 0 || !probabilities) return null;
	const yTrue = Int32Array.from(rows, (i) => index.get(labelAt(target, i)!)!);
	const proba = new Float64Array(rows.length * k);
	rows.forEach((r, j) => proba.set(probabilities.subarray(r * k, r * k + k), j * k));
	const { metrics, confusion } = classificationReport(yTrue, proba, k);
	// Always the commonest class of these rows, with their class shares: what a model must beat.
	const baseline = classificationReport(yTrue, baselineProbabilities(yTrue, k, rows.length), k);
	const counts = new Array<number>(k).fill(0);
	for (const c of yTrue) counts[c]!++;
	const outcomes = new Float64Array(predictions.length).fill(NaN);
	let right = 0;
	rows.forEach((r, j) => {
		outcomes[r] = rowArgmax(proba, j, k) === yTrue[j] ? 1 : 0;
		right += outcomes[r]!;
	});
	// A measured score carries its noise too: a drop counts only when the whole band is below.
	const measured = { estimated: false, ...wilsonInterval(right, rows.length) };
	return {
		performance: {
			metric: primaryMetric('multiclass'),
			value: metrics.accuracy,
			reference: manifest.metrics.test.accuracy ?? NaN,
			rows: rows.length,
			droppedUnknown,
			metrics: { ...metrics },
			baseline: { ...baseline.metrics },
			imbalance: imbalanceOf(counts, labels),
			coverage: batchCoverage(
				manifest,
				probabilities,
				Float64Array.from(predictions, (_, i) => {
					const label = labelAt(target, i);
					return label === null ? -1 : (index.get(label) ?? -1);
				}),
				k,
				draws
			),
			...measured
		},
		confusion,
		outcomes,
		truth: null
	};
}

/** The 90 % bounds' coverage of a labelled batch; null when the model has no bounds. */
function batchCoverage(
	manifest: LoadedModel['manifest'],
	outputs: ArrayLike<number>,
	truth: ArrayLike<number>,
	k: number,
	draws: ArrayLike<number>
): Coverage | null {
	return manifest.conformal
		? coverageAt(manifest.conformal.calibration, DEFAULT_LEVEL, outputs, truth, k, draws)
		: null;
}

/** CBPE: the expected accuracy of the batch's predictions under the validation calibration. */
function estimate(
	calibration: IsotonicMap,
	probabilities: Float64Array,
	k: number,
	reference: number
): BatchPerformance {
	const n = probabilities.length / k;
	const confidence = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		confidence[i] = probabilities[i * k + rowArgmax(probabilities, i, k)]!;
	}
	const e = estimateAccuracy(confidence, calibration);
	return {
		metric: primaryMetric('multiclass'),
		value: e.value,
		reference,
		rows: n,
		droppedUnknown: 0,
		metrics: { accuracy: e.value },
		estimated: true,
		lower: e.lower,
		upper: e.upper
	};
}

function labelAt(column: Column, row: number): string | null {
	if (column.storage === 'coded') {
		const code = column.codes[row]!;
		return code < 0 ? null : column.categories[code]!;
	}
	const v = column.values[row]!;
	return Number.isNaN(v) ? null : String(v);
}

/**
 * The numeric and date inputs of which the batch holds values but none reads as the model's
 * type: a unit in every cell ("3.80 kg"), another date format. Their predictions would all rest
 * on a fill, so the batch fails the gate as if the column were missing.
 */
function unreadableInputs(
	schema: readonly { name: string; type: string }[],
	batch: Table
): string[] {
	const out: string[] = [];
	for (const input of schema) {
		if (input.type !== 'numeric' && input.type !== 'datetime') continue;
		const column = batch.columns.find((c) => c.name === input.name);
		if (!column || column.storage !== 'coded') continue;
		const used = new Set<number>();
		for (const code of column.codes) if (code >= 0) used.add(code);
		if (used.size === 0) continue;
		// Read as prediction reads it (enforceSchema), so the gate and the predictions agree.
		const parse = cellParser(input.type);
		const readable = [...used].some((code) => Number.isFinite(parse(column.categories[code]!)));
		if (!readable) out.push(input.name);
	}
	return out;
}
