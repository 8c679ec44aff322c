import type { FamilyImplementation, FitData, FitOutcome, TrainHooks } from '../family';
import type { NeuralSpec } from '../spec';
import type { Task } from '../task';
import { fitLinearExact } from './linear-fit';
import { fitDense } from './dense-fit';
import { activationsOf, denseModel, netOfSaved, savedOfNet, type DenseNet } from './dense-model';
import { trainsInLoops } from './engine';

/** The network and how training went, trained where `trainsInLoops` says. */
async function fitNet(
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks
): Promise<{ net: DenseNet; outcome: FitOutcome }> {
	const activations = activationsOf(spec, task, data.classes);
	// A linear model without input noise is convex: solved exactly (L-BFGS), as sklearn's
	// LogisticRegression / Ridge are, instead of approached by Adam.
	if (spec.kind === 'linear' && spec.inputNoise === 0) {
		const fitted = await fitLinearExact(data, spec, task, hooks);
		return {
			net: { layers: [{ kernel: fitted.kernel, bias: fitted.bias }], activations },
			outcome: { history: fitted.history, bestEpoch: fitted.iterations, stoppedEarly: false }
		};
	}
	if (trainsInLoops(spec)) {
		const { layers, history, bestEpoch, stoppedEarly } = await fitDense(data, spec, task, hooks);
		return { net: { layers, activations }, outcome: { history, bestEpoch, stoppedEarly } };
	}
	const { fitWithTfjs } = await import('./tfjs-fit');
	return fitWithTfjs(data, spec, task, hooks);
}

/**
 * Linear/logistic/softmax regression and MLPs: trained in loops or with tfjs (see `engine.ts`),
 * kept and predicted as plain weights, saved as stock TF.js LayersModel files. `family` is the
 * registry name the model carries.
 */
export function layersFamily(family: string): FamilyImplementation {
	return {
		async fit(data, spec, task, hooks) {
			if (spec.kind !== 'linear' && spec.kind !== 'mlp')
				throw new Error(`A ${spec.kind} spec reached the neural family.`);
			const { net, outcome } = await fitNet(data, spec, task, hooks);
			const saved = savedOfNet(family, spec, net, task, data.classes);
			return { model: denseModel(family, net, task, data.classes, saved), outcome };
		},
		async load(saved, task, classes) {
			return denseModel(family, netOfSaved(saved), task, classes, saved);
		}
	};
}
