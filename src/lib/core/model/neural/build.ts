import * as tf from '@tensorflow/tfjs';
import { outputOf, type NeuralSpec } from '../spec';
import type { Task } from '../task';

/**
 * Builds the tfjs model for a spec: a standard Sequential LayersModel (so `tf.loadLayersModel`
 * loads it anywhere), with seeded initialisers and dropout. Compiled with Adam.
 */
export function buildModel(
	spec: NeuralSpec,
	inputs: number,
	task: Task,
	classes: number
): tf.Sequential {
	const output = outputOf(task, classes);
	const model = tf.sequential();
	const regularizer = spec.l2 > 0 ? tf.regularizers.l2({ l2: spec.l2 }) : undefined;
	let seed = spec.seed;
	const hidden = spec.kind === 'mlp' ? spec.hidden : [];
	hidden.forEach((units, i) => {
		model.add(
			tf.layers.dense({
				units,
				activation: spec.activation,
				inputShape: i === 0 ? [inputs] : undefined,
				kernelInitializer:
					spec.activation === 'relu'
						? tf.initializers.heNormal({ seed: seed++ })
						: tf.initializers.glorotUniform({ seed: seed++ }),
				kernelRegularizer: regularizer,
				name: `hidden_${i + 1}`
			})
		);
		if (spec.dropout > 0)
			model.add(tf.layers.dropout({ rate: spec.dropout, seed: seed++, name: `dropout_${i + 1}` }));
	});
	model.add(
		tf.layers.dense({
			units: output.units,
			activation: output.activation,
			inputShape: hidden.length === 0 ? [inputs] : undefined,
			kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
			kernelRegularizer: regularizer,
			name: 'output'
		})
	);
	model.compile({ optimizer: tf.train.adam(spec.learningRate), loss: output.loss });
	return model;
}
