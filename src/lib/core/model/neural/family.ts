import type * as tf from '@tensorflow/tfjs';
import type { FamilyImplementation, SavedModel, TrainedModel } from '../family';
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

/**
 * Linear/logistic/softmax regression and MLPs: a tfjs Sequential model trained with Adam, saved as
 * stock LayersModel files. `family` is the registry name the model carries.
 */
export function layersFamily(family: string): FamilyImplementation {
	return {
		async fit(data, spec, task, hooks) {
			if (spec.kind === 'gbdt') throw new Error('A tree spec reached the neural family.');
			const model = buildModel(spec, data.inputs, task, data.classes);
			try {
				const outcome = await trainModel(model, data, spec, task, hooks);
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
