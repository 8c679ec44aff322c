import type { SavedModel } from '../family';
import type { Task } from '../task';
import { GraphBuilder, OnnxExportError, float, int, twoClassProbabilities } from '../../onnx/graph';
import { readModelJson } from './files';

interface LayerJson {
	class_name?: string;
	config?: { name?: string; units?: number; activation?: string; use_bias?: boolean };
}

/** Layers that are the identity at inference: they only act while training. */
const INFERENCE_IDENTITY = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** tfjs' SELU constants (scale·alpha and scale), so that ONNX's Selu computes the same curve. */
const SELU_SCALE_ALPHA = 1.7580993408473768;
const SELU_SCALE = 1.0507009873554805;

/**
 * A saved layers model (`model.json` + `weights.bin`) as ONNX operators on the feature matrix
 * `x` (float [N, inputs]): MatMul + Add and the activation per Dense layer. Returns class
 * probabilities (float [N, K], binary as [1 − p, p]) or the scaled regression value (float [N, 1]).
 * A layer or activation ONNX would not compute the same way is refused by name.
 */
export function layersOnnx(saved: SavedModel, g: GraphBuilder, x: string, task: Task): string {
	const modelJson = readModelJson(saved);
	const topology = modelJson.modelTopology as { config?: { layers?: LayerJson[] } };
	const weights = weightTensors(saved, modelJson.weightsManifest[0]?.weights ?? []);
	let h = x;
	for (const layer of topology.config?.layers ?? []) {
		const kind = layer.class_name ?? '?';
		if (INFERENCE_IDENTITY.has(kind)) continue;
		if (kind !== 'Dense')
			throw new OnnxExportError(
				`The model has a ${kind} layer, which the ONNX export does not write.`
			);
		const name = layer.config?.name ?? '';
		const kernel = weights.get(`${name}/kernel`);
		if (!kernel || kernel.shape.length !== 2)
			throw new OnnxExportError(`The weights of layer "${name}" are missing from weights.bin.`);
		h = g.op('MatMul', [h, g.floats(kernel.values, kernel.shape)]);
		if (layer.config?.use_bias !== false) {
			const bias = weights.get(`${name}/bias`);
			if (!bias)
				throw new OnnxExportError(`The bias of layer "${name}" is missing from weights.bin.`);
			h = g.op('Add', [h, g.floats(bias.values, bias.shape)]);
		}
		h = activation(g, h, layer.config?.activation ?? 'linear');
	}
	if (task === 'binary') {
		// One sigmoid unit: the probabilities are [1 − p, p], as the studio reports them.
		return twoClassProbabilities(g, h);
	}
	return h;
}

function activation(g: GraphBuilder, h: string, name: string): string {
	switch (name) {
		case 'linear':
			return h;
		case 'relu':
			return g.op('Relu', [h]);
		case 'tanh':
			return g.op('Tanh', [h]);
		case 'sigmoid':
			return g.op('Sigmoid', [h]);
		case 'softmax':
			return g.op('Softmax', [h], { axis: int(-1) });
		case 'elu':
			return g.op('Elu', [h], { alpha: float(1) });
		case 'selu':
			return g.op('Selu', [h], {
				alpha: float(SELU_SCALE_ALPHA / SELU_SCALE),
				gamma: float(SELU_SCALE)
			});
		default:
			throw new OnnxExportError(
				`The model uses the activation "${name}", which the ONNX export does not write.`
			);
	}
}

/** The float32 weights of `weights.bin` by name, in the manifest's order and shapes. */
function weightTensors(
	saved: SavedModel,
	specs: { name: string; shape: number[]; dtype: string }[]
): Map<string, { shape: number[]; values: Float32Array }> {
	const bin = saved.files['weights.bin'] ?? new Uint8Array(0);
	const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
	const out = new Map<string, { shape: number[]; values: Float32Array }>();
	let offset = 0;
	for (const spec of specs) {
		if (spec.dtype !== 'float32')
			throw new OnnxExportError(`The weight "${spec.name}" is ${spec.dtype}, not float32.`);
		const size = spec.shape.reduce((a, b) => a * b, 1);
		if (offset + size * 4 > bin.byteLength)
			throw new OnnxExportError('weights.bin is shorter than its manifest says.');
		const values = new Float32Array(size);
		for (let i = 0; i < size; i++) values[i] = view.getFloat32(offset + i * 4, true);
		offset += size * 4;
		out.set(spec.name, { shape: spec.shape, values });
	}
	return out;
}
