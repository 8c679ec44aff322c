import type { FitData, FitOutcome, TrainHooks } from '../family';
import type { NeuralSpec } from '../spec';
import type { Task } from '../task';
import { buildModel } from './build';
import { activationsOf, mergeNets, type DenseNet, type DenseWeights } from './dense-model';
import { trainModel } from './train';

/**
 * Trains the network with TensorFlow.js's `model.fit` on the active backend (a GPU's), and hands
 * back its weights: the model Driftwood keeps is the network, not the tfjs object. Imported only
 * when a network trains on a backend, so that nothing else loads TensorFlow.js.
 */
export async function fitWithTfjs(
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks
): Promise<{ net: DenseNet; outcome: FitOutcome }> {
	// An average of seeds trains its members one after the other here (each stopping early on
	// its own), then merges them as the loops do.
	const count = spec.kind === 'mlp' ? (spec.seeds ?? 1) : 1;
	const members: DenseWeights[][] = [];
	let first: FitOutcome | null = null;
	for (let m = 0; m < count; m++) {
		const { layers, outcome } = await fitOne(
			data,
			{ ...spec, seed: spec.seed + m * 1_000_003 },
			task,
			hooks
		);
		members.push(layers);
		first ??= outcome;
	}
	const layers = count === 1 ? members[0]! : mergeNets(members);
	return { net: { layers, activations: activationsOf(spec, task, data.classes) }, outcome: first! };
}

async function fitOne(
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks
): Promise<{ layers: DenseWeights[]; outcome: FitOutcome }> {
	const model = buildModel(spec, data.inputs, task, data.classes);
	try {
		const outcome = await trainModel(model, data, spec, task, hooks);
		const layers: DenseWeights[] = [];
		for (const layer of model.layers.filter((l) => l.getClassName() === 'Dense')) {
			const [kernel, bias] = layer.getWeights();
			// Read asynchronously: a synchronous read kills a WebGPU device.
			layers.push({
				kernel: Float64Array.from(await kernel!.data()),
				bias: Float64Array.from(await bias!.data())
			});
		}
		return { layers, outcome };
	} finally {
		model.optimizer?.dispose();
		model.dispose();
	}
}
