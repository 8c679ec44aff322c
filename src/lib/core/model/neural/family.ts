import * as tf from '@tensorflow/tfjs';
import type {
	FamilyImplementation,
	FitData,
	FitOutcome,
	SavedModel,
	TrainHooks,
	TrainedModel
} from '../family';
import type { NeuralSpec } from '../spec';
import { fitLinearExact } from './linear-fit';
import { outputWidth, type Task } from '../task';
import { buildModel } from './build';
import { loadLayers, saveLayers } from './save';
import { predictLayers, trainModel } from './train';

function trained(family: string, model: tf.LayersModel, task: Task, classes: number): TrainedModel {
	const inputs = model.inputs[0]!.shape[1] as number;
	const outputs = outputWidth(task, classes);
	return {
		family,
		outputs,
		predict: (x) => predictLayers(model, x, inputs, task, outputs),
		save: () => saveLayers(family, model),
		dispose() {
			// The optimizer's slots (Adam's moments) are not the model's: dispose them too.
			model.optimizer?.dispose();
			model.dispose();
		}
	};
}

/** Solves the linear model in float64 and sets the tfjs model's output layer to the result. */
async function fitExactly(
	model: tf.LayersModel,
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks
): Promise<FitOutcome> {
	const fitted = await fitLinearExact(data, spec, task, hooks);
	const k = fitted.bias.length;
	const kernel = tf.tensor2d(Float32Array.from(fitted.kernel), [data.inputs, k]);
	const bias = tf.tensor1d(Float32Array.from(fitted.bias));
	try {
		model.getLayer('output').setWeights([kernel, bias]);
	} finally {
		kernel.dispose();
		bias.dispose();
	}
	return { history: fitted.history, bestEpoch: fitted.iterations, stoppedEarly: false };
}

/**
 * Linear/logistic/softmax regression and MLPs: a tfjs Sequential model trained with Adam, saved as
 * stock LayersModel files. `family` is the registry name the model carries.
 */
export function layersFamily(family: string): FamilyImplementation {
	return {
		async fit(data, spec, task, hooks) {
			if (spec.kind !== 'linear' && spec.kind !== 'mlp')
				throw new Error(`A ${spec.kind} spec reached the neural family.`);
			const model = buildModel(spec, data.inputs, task, data.classes);
			try {
				// A linear model without input noise is convex: solved exactly (L-BFGS), as sklearn's
				// LogisticRegression / Ridge are, instead of approached by Adam.
				const outcome =
					spec.kind === 'linear' && spec.inputNoise === 0
						? await fitExactly(model, data, spec, task, hooks)
						: await trainModel(model, data, spec, task, hooks);
				return { model: trained(family, model, task, data.classes), outcome };
			} catch (error) {
				model.optimizer?.dispose();
				model.dispose();
				throw error;
			}
		},
		async load(saved: SavedModel, task, classes) {
			return trained(family, await loadLayers(saved), task, classes);
		}
	};
}
