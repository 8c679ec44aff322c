import type { SavedModel, TrainedModel } from '../family';
import { outputOf, type Activation, type NeuralSpec } from '../spec';
import { outputWidth, type Task } from '../task';
import { layersModelJson, layersSaved, readModelJson, verifyLayers } from './files';

/** One dense layer's weights: kernel inputs × units (row-major, as tfjs stores it) and bias. */
export interface DenseWeights {
	kernel: Float64Array;
	bias: Float64Array;
}

/** A layer's activation as a layers model names it. */
export type LayerActivation = Activation | 'sigmoid' | 'softmax' | 'linear';

/** A trained network: its dense layers, input to output, each with its activation. */
export interface DenseNet {
	layers: DenseWeights[];
	activations: LayerActivation[];
}

/**
 * A network as a trained model, predicted in plain float64 loops (no TensorFlow.js): the weights
 * are rounded to float32 first, as `weights.bin` stores them, so a model predicts the same before
 * and after a save. `saved` is what `save()` hands back (the files it was loaded from, or those
 * written for it).
 */
export function denseModel(
	family: string,
	net: DenseNet,
	task: Task,
	classes: number,
	saved: SavedModel
): TrainedModel {
	const rounded: DenseNet = {
		activations: net.activations,
		layers: net.layers.map((w) => ({
			kernel: Float64Array.from(Float32Array.from(w.kernel)),
			bias: Float64Array.from(Float32Array.from(w.bias))
		}))
	};
	const outputs = outputWidth(task, classes);
	return {
		family,
		outputs,
		predict: async (x) => {
			const raw = netOutputs(rounded, x);
			if (task !== 'binary') return raw;
			const out = new Float64Array(raw.length * 2);
			raw.forEach((p, i) => {
				out[i * 2] = 1 - p;
				out[i * 2 + 1] = p;
			});
			return out;
		},
		rawOutputs: async (x) =>
			netOutputs({ ...rounded, activations: [...rounded.activations.slice(0, -1), 'linear'] }, x),
		save: async () => saved,
		dispose() {}
	};
}

/**
 * The average of networks of one shape as one network: each hidden layer holds every member's
 * units side by side (the first layer's kernels as columns, deeper ones block-diagonal, so the
 * members never mix), and the output layer sums each member's part divided by their number — the
 * mean of the members' output-layer inputs (their logits, or their values) plus the mean bias.
 */
export function mergeNets(members: DenseWeights[][]): DenseWeights[] {
	const k = members.length;
	const depth = members[0]!.length;
	const out: DenseWeights[] = [];
	for (let l = 0; l < depth; l++) {
		const parts = members.map((m) => m[l]!);
		const units = parts[0]!.bias.length;
		const inputs = parts[0]!.kernel.length / units;
		// Member m's inputs: the raw inputs for the first layer, else its own block of units.
		const inputRow = (m: number, i: number) => (l === 0 ? i : m * inputs + i);
		const rows = l === 0 ? inputs : inputs * k;
		if (l === depth - 1) {
			const kernel = new Float64Array(rows * units);
			const bias = new Float64Array(units);
			parts.forEach((p, m) => {
				for (let i = 0; i < inputs; i++)
					for (let j = 0; j < units; j++)
						kernel[inputRow(m, i) * units + j]! += p.kernel[i * units + j]! / k;
				for (let j = 0; j < units; j++) bias[j]! += p.bias[j]! / k;
			});
			out.push({ kernel, bias });
		} else {
			const kernel = new Float64Array(rows * units * k);
			const bias = new Float64Array(units * k);
			parts.forEach((p, m) => {
				for (let i = 0; i < inputs; i++)
					for (let j = 0; j < units; j++)
						kernel[inputRow(m, i) * units * k + m * units + j] = p.kernel[i * units + j]!;
				bias.set(p.bias, m * units);
			});
			out.push({ kernel, bias });
		}
	}
	return out;
}

/** The network's raw outputs (n × units of its last layer) for rows `x` (n × its inputs). */
export function netOutputs(net: DenseNet, x: Float32Array | Float64Array): Float64Array {
	const inputs = net.layers[0]!.kernel.length / net.layers[0]!.bias.length;
	const n = Math.floor(x.length / inputs);
	const block = 256;
	const widest = Math.max(...net.layers.map((w) => w.bias.length), inputs);
	const a = new Float64Array(block * widest);
	const b = new Float64Array(block * widest);
	const last = net.layers[net.layers.length - 1]!.bias.length;
	const out = new Float64Array(n * last);
	for (let from = 0; from < n; from += block) {
		const rows = Math.min(block, n - from);
		for (let i = 0; i < rows * inputs; i++) a[i] = x[from * inputs + i]!;
		let input = a;
		let output = b;
		let width = inputs;
		net.layers.forEach((layer, l) => {
			const units = layer.bias.length;
			affine(input, width, layer.kernel, layer.bias, output, units, rows);
			for (let r = 0; r < rows; r++) activateRow(output, r * units, units, net.activations[l]!);
			[input, output] = [output, input];
			width = units;
		});
		out.set(input.subarray(0, rows * last), from * last);
	}
	return out;
}

/** out = input · kernel + bias for `rows` rows (skipping zero inputs: one-hot blocks are sparse). */
export function affine(
	input: Float64Array,
	inW: number,
	kernel: Float64Array,
	bias: Float64Array,
	out: Float64Array,
	outW: number,
	rows: number
): void {
	for (let b = 0; b < rows; b++) {
		const o = b * outW;
		const at = b * inW;
		// Four units at a time, their sums in registers; each unit adds the same terms in the same
		// order as one unit at a time (bias, then the non-zero inputs in order): the same bits.
		let j = 0;
		for (; j + 3 < outW; j += 4) {
			let s0 = bias[j]!;
			let s1 = bias[j + 1]!;
			let s2 = bias[j + 2]!;
			let s3 = bias[j + 3]!;
			for (let i = 0; i < inW; i++) {
				const v = input[at + i]!;
				if (v === 0) continue;
				const k = i * outW + j;
				s0 += v * kernel[k]!;
				s1 += v * kernel[k + 1]!;
				s2 += v * kernel[k + 2]!;
				s3 += v * kernel[k + 3]!;
			}
			out[o + j] = s0;
			out[o + j + 1] = s1;
			out[o + j + 2] = s2;
			out[o + j + 3] = s3;
		}
		for (; j < outW; j++) {
			let sum = bias[j]!;
			for (let i = 0; i < inW; i++) {
				const v = input[at + i]!;
				if (v !== 0) sum += v * kernel[i * outW + j]!;
			}
			out[o + j] = sum;
		}
	}
}

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** Applies a layer's activation to one row's `units` values in place. */
export function activateRow(
	v: Float64Array,
	o: number,
	units: number,
	activation: LayerActivation
): void {
	const end = o + units;
	switch (activation) {
		case 'linear':
			return;
		case 'relu':
			for (let j = o; j < end; j++) v[j] = v[j]! > 0 ? v[j]! : 0;
			return;
		case 'tanh':
			for (let j = o; j < end; j++) v[j] = Math.tanh(v[j]!);
			return;
		case 'elu':
			for (let j = o; j < end; j++) v[j] = v[j]! > 0 ? v[j]! : Math.expm1(v[j]!);
			return;
		case 'selu':
			for (let j = o; j < end; j++)
				v[j] = SELU_SCALE * (v[j]! > 0 ? v[j]! : SELU_ALPHA * Math.expm1(v[j]!));
			return;
		case 'sigmoid':
			for (let j = o; j < end; j++) v[j] = 1 / (1 + Math.exp(-v[j]!));
			return;
		case 'softmax': {
			let max = -Infinity;
			for (let j = o; j < end; j++) max = Math.max(max, v[j]!);
			let sum = 0;
			for (let j = o; j < end; j++) sum += v[j] = Math.exp(v[j]! - max);
			for (let j = o; j < end; j++) v[j]! /= sum;
			return;
		}
	}
}

/** The activations of a spec's network, layer by layer (hidden ones, then the output's). */
export function activationsOf(spec: NeuralSpec, task: Task, classes: number): LayerActivation[] {
	const hidden = spec.kind === 'mlp' ? spec.hidden : [];
	return [...hidden.map(() => spec.activation), outputOf(task, classes).activation];
}

/**
 * The stock TF.js LayersModel files of a trained network — the `model.json` tfjs itself writes
 * for `buildModel`'s Sequential (dense layers named hidden_i / output, dropout between, the
 * initialisers and L2 it was built with) and one float32 `weights.bin` — so that
 * `tf.loadLayersModel` (and Keras' converter) still load a bundle's model without Driftwood.
 */
export function savedOfNet(
	family: string,
	spec: NeuralSpec,
	net: DenseNet,
	task: Task,
	classes: number
): SavedModel {
	const hidden = spec.kind === 'mlp' ? spec.hidden : [];
	const output = outputOf(task, classes);
	const inputs = net.layers[0]!.kernel.length / net.layers[0]!.bias.length;
	const regularizer = spec.l2 > 0 ? { class_name: 'L1L2', config: { l1: 0, l2: spec.l2 } } : null;
	let seed = spec.seed;
	const dense = (
		name: string,
		units: number,
		activation: string,
		he: boolean,
		first: boolean
	): object => ({
		class_name: 'Dense',
		config: {
			units,
			activation,
			use_bias: true,
			kernel_initializer: {
				class_name: 'VarianceScaling',
				config: he
					? { scale: 2, mode: 'fan_in', distribution: 'normal', seed: seed++ }
					: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: seed++ }
			},
			bias_initializer: { class_name: 'Zeros', config: {} },
			kernel_regularizer: regularizer,
			bias_regularizer: null,
			activity_regularizer: null,
			kernel_constraint: null,
			bias_constraint: null,
			name,
			trainable: true,
			...(first ? { batch_input_shape: [null, inputs], dtype: 'float32' } : {})
		}
	});
	const layers: object[] = [];
	// The widths are the network's (an average of seeds is wider than `spec.hidden`).
	hidden.forEach((_, i) => {
		const units = net.layers[i]!.bias.length;
		layers.push(
			dense(`hidden_${i + 1}`, units, spec.activation, spec.activation === 'relu', i === 0)
		);
		if (spec.dropout > 0)
			layers.push({
				class_name: 'Dropout',
				config: {
					rate: spec.dropout,
					noise_shape: null,
					seed: seed++,
					name: `dropout_${i + 1}`,
					trainable: true
				}
			});
	});
	layers.push(dense('output', output.units, output.activation, false, hidden.length === 0));
	const names = [...hidden.map((_, i) => `hidden_${i + 1}`), 'output'];
	const specs = net.layers.flatMap((w, l) => [
		{
			name: `${names[l]}/kernel`,
			shape: [w.kernel.length / w.bias.length, w.bias.length],
			dtype: 'float32'
		},
		{ name: `${names[l]}/bias`, shape: [w.bias.length], dtype: 'float32' }
	]);
	const weights = new Float32Array(
		net.layers.reduce((s, w) => s + w.kernel.length + w.bias.length, 0)
	);
	let at = 0;
	for (const w of net.layers) {
		weights.set(w.kernel, at);
		weights.set(w.bias, at + w.kernel.length);
		at += w.kernel.length + w.bias.length;
	}
	const topology = {
		class_name: 'Sequential',
		config: { name: 'sequential_1', layers },
		keras_version: 'tfjs-layers 4.22.0',
		backend: 'tensor_flow.js'
	};
	const averageOf = spec.kind === 'mlp' ? (spec.seeds ?? 1) : 1;
	return layersSaved(family, layersModelJson(topology, specs, averageOf), littleEndian(weights));
}

/**
 * The network in a saved layers model: its dense layers in order with their activations and
 * weights (float32, little-endian, in the manifest's order). Throws with the reason when the files
 * are not a consistent layers model (bundles are checked before this; a store is not).
 */
export function netOfSaved(saved: SavedModel): DenseNet {
	const problems = verifyLayers(saved);
	if (problems.length) throw new Error(problems.join(' '));
	const modelJson = readModelJson(saved);
	const bytes = saved.files['weights.bin'] ?? new Uint8Array(0);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const values = new Map<string, Float64Array>();
	let offset = 0;
	for (const w of modelJson.weightsManifest[0]!.weights) {
		const size = w.shape.reduce((a, b) => a * b, 1);
		if (w.dtype !== 'float32')
			throw new Error(`The weight "${w.name}" is ${w.dtype}: a Driftwood network holds float32.`);
		values.set(
			w.name,
			Float64Array.from({ length: size }, (_, i) => view.getFloat32(offset + i * 4, true))
		);
		offset += size * 4;
	}
	const topology = modelJson.modelTopology as {
		config?: {
			layers?: { class_name?: string; config?: { name?: string; activation?: string } }[];
		};
	};
	const net: DenseNet = { layers: [], activations: [] };
	for (const layer of topology.config?.layers ?? []) {
		if (layer.class_name === 'Dropout') continue;
		const name = layer.config?.name ?? '';
		const activation = layer.config?.activation ?? 'linear';
		if (layer.class_name !== 'Dense' || !ACTIVATIONS.has(activation))
			throw new Error(
				`The model holds a ${layer.class_name ?? 'nameless'} layer${layer.class_name === 'Dense' ? ` with activation "${activation}"` : ''}: a Driftwood network has only dense and dropout layers.`
			);
		const kernel = values.get(`${name}/kernel`);
		const bias = values.get(`${name}/bias`);
		if (!kernel || !bias) throw new Error(`The dense layer "${name}" has no weights.`);
		net.layers.push({ kernel, bias });
		net.activations.push(activation as LayerActivation);
	}
	if (!net.layers.length) throw new Error('The model holds no dense layer.');
	return net;
}

const ACTIVATIONS: ReadonlySet<string> = new Set([
	'relu',
	'tanh',
	'elu',
	'selu',
	'sigmoid',
	'softmax',
	'linear'
]);

/** The float32 values as little-endian bytes (the layers-model format), whatever the platform. */
function littleEndian(values: Float32Array): Uint8Array {
	const out = new Uint8Array(values.length * 4);
	const view = new DataView(out.buffer);
	values.forEach((v, i) => view.setFloat32(i * 4, v, true));
	return out;
}
