import type { FamilyImplementation, TrainedModel } from '../family';
import { outputWidth, type Task } from '../task';
import {
	fitEnsemble,
	fromRaw,
	gainImportance,
	rawScores,
	rawScoresChanged,
	scoredBase,
	type ScoredBase,
	type Ensemble
} from './boost';
import { readTrees, treesSaved } from './files';
import { expectedScores, treeContributions } from './shap';

function trained(ensemble: Ensemble, task: Task): TrainedModel {
	// The raw scores of the last base matrix of predictChanged (permutation importance asks for
	// many variants of one test matrix).
	let base: ScoredBase | null = null;
	return {
		family: 'gbdt',
		outputs: outputWidth(task, ensemble.outputs),
		predict: async (x) => fromRaw(task, rawScores(ensemble, x), ensemble.outputs),
		predictChanged: async (from, x, changed) => {
			if (base?.x !== from) base = scoredBase(ensemble, from);
			return fromRaw(task, rawScoresChanged(ensemble, base, x, changed), ensemble.outputs);
		},
		save: async () => treesSaved(ensemble),
		gainImportance: () => gainImportance(ensemble),
		contributions: (x) => {
			const { inputs, outputs, layout } = ensemble;
			const byFeature = treeContributions(ensemble, x);
			if (!layout) return { outputs, base: expectedScores(ensemble), phi: byFeature };
			// A one-hot block's contribution goes to its first column: every column of a block
			// belongs to one input column, where contributions are summed.
			const n = x.length / inputs;
			const phi = new Float64Array(n * outputs * inputs);
			const width = layout.length;
			for (let r = 0; r < n * outputs; r++)
				layout.forEach((f, j) => {
					phi[r * inputs + (f.kind === 'numeric' ? f.column : f.start)]! +=
						byFeature[r * width + j]!;
				});
			return { outputs, base: expectedScores(ensemble), phi };
		},
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
