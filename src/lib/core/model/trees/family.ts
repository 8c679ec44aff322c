import type { FamilyImplementation, TrainedModel } from '../family';
import { outputWidth, type Task } from '../task';
import { fitEnsemble, fromRaw, gainImportance, rawScores, type Ensemble } from './boost';
import { readTrees, treesSaved } from './files';

function trained(ensemble: Ensemble, task: Task): TrainedModel {
	return {
		family: 'gbdt',
		outputs: outputWidth(task, ensemble.outputs),
		predict: async (x) => fromRaw(task, rawScores(ensemble, x), ensemble.outputs),
		save: async () => treesSaved(ensemble),
		gainImportance: () => gainImportance(ensemble),
		dispose() {
			// Plain typed arrays: the garbage collector frees them.
		}
	};
}

/** Gradient-boosted trees: plain TypeScript over typed arrays, no TensorFlow.js. */
export const treesFamily: FamilyImplementation = {
	async fit(data, spec, task, hooks) {
		if (spec.kind !== 'gbdt') throw new Error('A neural spec reached the tree family.');
		const { ensemble, history, bestIteration, stoppedEarly } = await fitEnsemble(
			data,
			spec,
			task,
			hooks
		);
		return {
			model: trained(ensemble, task),
			outcome: { history, bestEpoch: bestIteration, stoppedEarly }
		};
	},
	async load(saved, task) {
		const ensemble = readTrees(saved);
		if (ensemble.task !== task)
			throw new Error(`The trees were trained for ${ensemble.task}, not ${task}.`);
		return trained(ensemble, task);
	}
};
