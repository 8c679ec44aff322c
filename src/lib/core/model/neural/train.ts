import { DriftwoodError } from '../../errors';
import * as tf from '@tensorflow/tfjs';
import { gaussian, seededRandom, shuffleInPlace } from '../../stats/random';
import {
	CancelledError,
	YIELD_MS,
	type EpochLog,
	type FitData,
	type FitOutcome,
	type TrainHooks
} from '../family';
import type { NeuralSpec } from '../spec';
import { balancedWeights } from '../weights';
import type { Task } from '../task';
import { cumulativeOf, drawWeighted } from './dense-fit';

/**
 * Trains with stock `model.fit`, one epoch per call on a seeded permutation of the rows (so the
 * same seed and backend give the same model), with optional seeded input noise, early stopping
 * on validation loss that restores the best weights, and Cancel honoured after the current batch.
 */
export async function trainModel(
	model: tf.LayersModel,
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks = {}
): Promise<FitOutcome> {
	const random = seededRandom(spec.seed ^ 0x5eed);
	const n = data.y.length;
	const d = data.inputs;
	const order = Int32Array.from({ length: n }, (_, i) => i);
	const cumulative = data.rowWeights ? cumulativeOf(data.rowWeights) : null;
	const xBatch = new Float32Array(n * d);
	const hasValidation = data.yVal.length > 0;
	const [xVal, yVal] = hasValidation
		? [tf.tensor2d(data.xVal, [data.yVal.length, d]), targetTensor(data.yVal, task, data.classes)]
		: [null, null];
	const classWeight =
		spec.classWeights === 'balanced' && task !== 'regression'
			? { ...balancedWeights(data.y, data.classes) }
			: undefined;
	const history: EpochLog[] = [];
	let best = Infinity;
	let bestEpoch = 0;
	let bestWeights: tf.Tensor[] | null = null;
	let stoppedEarly = false;
	let cancelled = false;
	let lastYield = performance.now();
	try {
		for (let epoch = 1; epoch <= spec.epochs; epoch++) {
			const started = performance.now();
			// Row weights (recency): each epoch draws its rows with replacement in proportion to
			// them — tfjs's fit takes no per-row weights — else it shuffles every row once.
			if (cumulative) drawWeighted(cumulative, order, random);
			else shuffleInPlace(order, random);
			for (let i = 0; i < n; i++) {
				const from = order[i]! * d;
				for (let j = 0; j < d; j++) {
					xBatch[i * d + j] =
						data.x[from + j]! + (spec.inputNoise > 0 ? spec.inputNoise * gaussian(random) : 0);
				}
			}
			const yEpoch = Float32Array.from(order, (r) => data.y[r]!);
			const x = tf.tensor2d(xBatch, [n, d]);
			const y = targetTensor(yEpoch, task, data.classes);
			let result: tf.History;
			try {
				result = await model.fit(x, y, {
					epochs: 1,
					batchSize: spec.batchSize,
					shuffle: false,
					verbose: 0,
					validationData: xVal && yVal ? [xVal, yVal] : undefined,
					classWeight,
					callbacks: {
						onBatchEnd: async () => {
							if (hooks.yieldToEvents && performance.now() - lastYield >= YIELD_MS) {
								await hooks.yieldToEvents();
								lastYield = performance.now();
							}
							if (hooks.isCancelled?.()) {
								cancelled = true;
								model.stopTraining = true;
							}
						}
					}
				});
			} finally {
				x.dispose();
				y.dispose();
			}
			if (cancelled) throw new CancelledError();
			const loss = Number(result.history.loss?.[0]);
			const valLoss = hasValidation ? Number(result.history.val_loss?.[0]) : null;
			if (!Number.isFinite(loss)) {
				throw new DriftwoodError(
					`The loss became ${loss} at epoch ${epoch}: lower the learning rate, or check the features for extreme values.`,
					'diverged'
				);
			}
			const monitored = valLoss ?? loss;
			if (monitored < best - 1e-7) {
				best = monitored;
				bestEpoch = epoch;
				bestWeights?.forEach((w) => w.dispose());
				bestWeights = model.getWeights().map((w) => w.clone());
			}
			history.push({
				epoch,
				loss,
				valLoss,
				seconds: (performance.now() - started) / 1000,
				tensors: tf.memory().numTensors
			});
			hooks.onEpoch?.(history[history.length - 1]!);
			if (spec.patience > 0 && epoch - bestEpoch >= spec.patience) {
				stoppedEarly = epoch < spec.epochs;
				break;
			}
		}
		if (bestWeights) model.setWeights(bestWeights);
		return { history, bestEpoch, stoppedEarly };
	} finally {
		bestWeights?.forEach((w) => w.dispose());
		xVal?.dispose();
		yVal?.dispose();
	}
}

function targetTensor(y: Float32Array, task: Task, classes: number): tf.Tensor {
	if (task === 'multiclass')
		return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat());
	return tf.tensor2d(y, [y.length, 1]);
}

/**
 * Class probabilities (n × k, row-major; binary gives [1 − p, p]) or regression outputs (n × 1),
 * predicted in batches and read asynchronously (WebGPU must never be read synchronously).
 */
export async function predictLayers(
	model: tf.LayersModel,
	x: Float32Array,
	inputs: number,
	task: Task,
	k: number,
	batch = 4096
): Promise<Float64Array> {
	const n = x.length / inputs;
	const out = new Float64Array(n * k);
	for (let from = 0; from < n; from += batch) {
		const rows = Math.min(batch, n - from);
		const output = tf.tidy(
			() =>
				model.predict(
					tf.tensor2d(x.subarray(from * inputs, (from + rows) * inputs), [rows, inputs])
				) as tf.Tensor
		);
		const values = await output.data();
		output.dispose();
		for (let i = 0; i < rows; i++) {
			if (task === 'binary') {
				out[(from + i) * 2] = 1 - values[i]!;
				out[(from + i) * 2 + 1] = values[i]!;
			} else {
				for (let c = 0; c < k; c++) out[(from + i) * k + c] = values[i * k + c]!;
			}
		}
	}
	return out;
}
