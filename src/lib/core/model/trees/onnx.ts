import type { SavedModel } from '../family';
import type { Task } from '../task';
import { GraphBuilder, floats, int, ints, ML_DOMAIN, text, texts } from '../../onnx/graph';
import { readTrees } from './files';

/**
 * A saved tree ensemble as one `ai.onnx.ml` TreeEnsembleRegressor on the feature matrix `x`
 * (float [N, inputs]) giving the raw scores (one target per output: tree t adds to output
 * t mod outputs, the baseline is the base value), then the link: sigmoid as [1 − p, p] for
 * binary, softmax for multiclass, none for regression (float [N, 1], scaled). A split sends
 * `x <= threshold` to its true branch — the left child — and a missing value the learned way.
 */
export function treesOnnx(saved: SavedModel, g: GraphBuilder, x: string, task: Task): string {
	const ensemble = readTrees(saved);
	const nodes = {
		treeIds: [] as number[],
		nodeIds: [] as number[],
		featureIds: [] as number[],
		modes: [] as string[],
		values: [] as number[],
		trueIds: [] as number[],
		falseIds: [] as number[],
		missingTrue: [] as number[]
	};
	const targets = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[] };
	const weights: number[] = [];
	ensemble.trees.forEach((tree, t) => {
		for (let i = 0; i < tree.feature.length; i++) {
			const leaf = tree.feature[i]! < 0;
			nodes.treeIds.push(t);
			nodes.nodeIds.push(i);
			nodes.featureIds.push(leaf ? 0 : tree.feature[i]!);
			nodes.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
			nodes.values.push(leaf ? 0 : tree.threshold[i]!);
			nodes.trueIds.push(leaf ? 0 : tree.left[i]!);
			nodes.falseIds.push(leaf ? 0 : tree.right[i]!);
			nodes.missingTrue.push(leaf ? 0 : tree.missingLeft[i]!);
			if (leaf) {
				targets.treeIds.push(t);
				targets.nodeIds.push(i);
				targets.ids.push(t % ensemble.outputs);
				weights.push(tree.value[i]!);
			}
		}
	});
	const raw = g.op(
		'TreeEnsembleRegressor',
		[x],
		{
			n_targets: int(ensemble.outputs),
			aggregate_function: text('SUM'),
			post_transform: text('NONE'),
			base_values: floats(ensemble.baseline),
			nodes_treeids: ints(nodes.treeIds),
			nodes_nodeids: ints(nodes.nodeIds),
			nodes_featureids: ints(nodes.featureIds),
			nodes_modes: texts(nodes.modes),
			nodes_values: floats(nodes.values),
			nodes_truenodeids: ints(nodes.trueIds),
			nodes_falsenodeids: ints(nodes.falseIds),
			nodes_missing_value_tracks_true: ints(nodes.missingTrue),
			target_treeids: ints(targets.treeIds),
			target_nodeids: ints(targets.nodeIds),
			target_ids: ints(targets.ids),
			target_weights: floats(weights)
		},
		ML_DOMAIN
	);
	if (task === 'regression') return raw;
	if (task === 'multiclass') return g.op('Softmax', [raw], { axis: int(-1) });
	const p = g.op('Sigmoid', [raw]);
	return g.op('Concat', [g.op('Sub', [g.floats([1], []), p]), p], { axis: int(1) });
}
