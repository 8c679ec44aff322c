import type { ModelDescription, SavedModel } from '../family';

/**
 * The files of a TensorFlow.js layers model, as a bundle holds them under `model/`: stock
 * `model.json` (topology + weights manifest) and one `weights.bin`, so `tf.loadLayersModel` loads
 * them anywhere. This module reads them without tfjs (bundle checks, model cards).
 */
export const LAYERS_FILES = ['model.json', 'weights.bin'] as const;

/** The standard TF.js LayersModel `model.json` for one weights file. */
export interface LayersModelJson {
	format: 'layers-model';
	generatedBy: string;
	convertedBy: null;
	modelTopology: object;
	weightsManifest: {
		paths: ['weights.bin'];
		weights: { name: string; shape: number[]; dtype: string }[];
	}[];
	/** tfjs's free-form field: how many networks of different seeds the one stored averages. */
	userDefinedMetadata?: { averageOf?: number };
}

/** The standard `model.json` for a topology and its weight specs (one weights file). */
export function layersModelJson(
	modelTopology: object,
	weightSpecs: { name: string; shape: number[]; dtype: string }[],
	averageOf = 1
): LayersModelJson {
	return {
		format: 'layers-model',
		generatedBy: 'Driftwood (TensorFlow.js layers)',
		convertedBy: null,
		modelTopology,
		weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
		...(averageOf > 1 ? { userDefinedMetadata: { averageOf } } : {})
	};
}

/** A saved layers model of `family` from its `model.json` and weights. */
export function layersSaved(
	family: string,
	modelJson: LayersModelJson,
	weights: ArrayBuffer | Uint8Array
): SavedModel {
	return {
		family,
		files: {
			'model.json': new TextEncoder().encode(JSON.stringify(modelJson)),
			'weights.bin': weights instanceof Uint8Array ? weights : new Uint8Array(weights)
		}
	};
}

/** `model.json` of a saved layers model, parsed; throws a plain Error when it is not JSON. */
export function readModelJson(saved: SavedModel): LayersModelJson {
	const bytes = saved.files['model.json'];
	if (!bytes) throw new Error('model.json is missing.');
	return JSON.parse(new TextDecoder().decode(bytes)) as LayersModelJson;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Every problem with a saved layers model: a foreign model.json, weights of the wrong length. */
export function verifyLayers(saved: SavedModel): string[] {
	let modelJson: LayersModelJson;
	try {
		modelJson = readModelJson(saved);
	} catch {
		return ['model/model.json is not valid JSON.'];
	}
	const groups = modelJson?.weightsManifest;
	if (!Array.isArray(groups) || groups.length !== 1 || !modelJson.modelTopology)
		return ['model/model.json has no weights manifest: it is not a TF.js LayersModel.'];
	let declared = 0;
	for (const w of groups[0]!.weights ?? []) {
		const size = DTYPE_BYTES[w.dtype];
		if (!size || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0))
			return [`model/model.json declares an unsupported weight "${w.name}".`];
		declared += size * w.shape.reduce((a, b) => a * b, 1);
	}
	const weights = saved.files['weights.bin']?.length ?? 0;
	if (declared !== weights)
		return [
			`The weights are ${weights} bytes but the model declares ${declared}: the file is truncated or foreign.`
		];
	return shapeProblems(modelJson);
}

/** The width of the first layer's input (`batch_input_shape: [null, n]`), or null. */
function inputWidth(modelJson: LayersModelJson): number | null {
	const layers = topologyLayers(modelJson);
	const shape = layers.find((l) => l.config?.batch_input_shape)?.config?.batch_input_shape;
	const width = Array.isArray(shape) ? shape[shape.length - 1] : null;
	return typeof width === 'number' && Number.isInteger(width) && width > 0 ? width : null;
}

/**
 * Every weight's shape against the topology: each dense layer's kernel is [its input, its units]
 * and its bias [units], chained from the model's input width. Weights whose shapes were swapped
 * keep their byte length, load, and fail at the first prediction with TensorFlow.js's own text.
 */
function shapeProblems(modelJson: LayersModelJson): string[] {
	const width = inputWidth(modelJson);
	if (width === null)
		return ['model/model.json declares no input width: it is not a Driftwood model.'];
	const declared = new Map(modelJson.weightsManifest[0]!.weights.map((w) => [w.name, w.shape]));
	const expected = new Map<string, number[]>();
	let input = width;
	for (const layer of topologyLayers(modelJson)) {
		if (layer.class_name !== 'Dense') continue;
		const { name, units, use_bias: bias } = layer.config ?? {};
		if (
			typeof name !== 'string' ||
			!(typeof units === 'number' && Number.isInteger(units) && units > 0)
		)
			return ['model/model.json has a dense layer without a name or a unit count.'];
		expected.set(`${name}/kernel`, [input, units]);
		if (bias !== false) expected.set(`${name}/bias`, [units]);
		input = units;
	}
	if (expected.size !== declared.size)
		return [
			`model/model.json declares ${declared.size} weights where its layers hold ${expected.size}: the model is inconsistent.`
		];
	for (const [name, shape] of expected) {
		const got = declared.get(name);
		if (!got || got.length !== shape.length || got.some((d, i) => d !== shape[i]))
			return [
				`model/model.json declares "${name}" as [${got?.join(', ') ?? 'nothing'}] where its layers need [${shape.join(', ')}]: the model is inconsistent.`
			];
	}
	return [];
}

interface LayerJson {
	class_name?: string;
	config?: {
		name?: string;
		units?: number;
		use_bias?: boolean;
		activation?: string;
		batch_input_shape?: (number | null)[];
	};
}

function topologyLayers(modelJson: LayersModelJson): LayerJson[] {
	const topology = modelJson.modelTopology as { config?: { layers?: LayerJson[] } };
	const layers = topology?.config?.layers;
	return Array.isArray(layers) ? layers : [];
}

interface DenseConfig {
	units?: number;
	activation?: string;
}

/** The dense layers of a saved model's topology, in order (dropout and others skipped). */
function denseLayers(modelJson: LayersModelJson): DenseConfig[] {
	const topology = modelJson.modelTopology as {
		config?: { layers?: { class_name?: string; config?: DenseConfig }[] };
	};
	return (topology.config?.layers ?? [])
		.filter((l) => l.class_name === 'Dense')
		.map((l) => l.config ?? {});
}

/**
 * The family of a layers model from its topology: one dense layer is a linear model, more are an
 * MLP. Format-1 bundles and stores made before families were named are upgraded by it.
 */
export function layersFamilyOf(saved: SavedModel): 'linear' | 'mlp' {
	return denseLayers(readModelJson(saved)).length > 1 ? 'mlp' : 'linear';
}

/** Plain words for a layers model: its shape and its number of weights. */
export function describeLayers(saved: SavedModel): ModelDescription {
	const modelJson = readModelJson(saved);
	const parameters = (modelJson.weightsManifest[0]?.weights ?? []).reduce(
		(sum, w) => sum + w.shape.reduce((a, b) => a * b, 1),
		0
	);
	const dense = denseLayers(modelJson);
	const hidden = dense.slice(0, -1);
	const output = dense[dense.length - 1];
	const head =
		output?.activation === 'softmax'
			? 'softmax regression'
			: output?.activation === 'sigmoid'
				? 'logistic regression'
				: 'linear regression';
	const average = modelJson.userDefinedMetadata?.averageOf;
	const k = typeof average === 'number' && Number.isInteger(average) && average > 1 ? average : 1;
	const layers = `${hidden.length} hidden layer${hidden.length > 1 ? 's' : ''}`;
	const widths = (per: number) => hidden.map((l) => (l.units ?? 0) / per).join(', ');
	const summary = !hidden.length
		? `Linear model (${head})`
		: k > 1
			? `Multilayer perceptron, the average of ${k} networks trained from different seeds: each ${layers} (${widths(k)}), ${hidden[0]?.activation ?? 'linear'}, then ${head} on their mean output (stored as one network of ${widths(1)} units)`
			: `Multilayer perceptron: ${layers} (${widths(1)}), ${hidden[0]?.activation ?? 'linear'}, then ${head}`;
	return {
		summary,
		parameters,
		inputs: inputWidth(modelJson) ?? 0,
		outputs: output?.units ?? 0
	};
}
