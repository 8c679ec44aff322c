import type { SavedModel } from '../family';
import type { Task } from '../task';
import {
	GraphBuilder,
	floats,
	int,
	ints,
	ML_DOMAIN,
	text,
	texts,
	twoClassProbabilities
} from '../../onnx/graph';
import type { Ensemble } from './boost';
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
	const { features, columnOf } = treeInputs(g, x, ensemble);
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
			const set = tree.categories[i] ?? null;
			nodes.featureIds.push(leaf ? 0 : columnOf(tree.feature[i]!, set));
			nodes.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
			// A category split tests its indicator: 0 (≤ ½, not in the left set) goes right.
			nodes.values.push(leaf ? 0 : set ? 0.5 : tree.threshold[i]!);
			nodes.trueIds.push(leaf ? 0 : set ? tree.right[i]! : tree.left[i]!);
			nodes.falseIds.push(leaf ? 0 : set ? tree.left[i]! : tree.right[i]!);
			// A missing category (its indicator NaN) goes left when the split learned so: on a
			// category split that is the false branch.
			nodes.missingTrue.push(leaf ? 0 : set ? 1 - tree.missingLeft[i]! : tree.missingLeft[i]!);
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
		[features],
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
	return twoClassProbabilities(g, g.op('Sigmoid', [raw]));
}

/**
 * The matrix the ensemble's nodes read, and each node's column in it. Without a layout: the input
 * matrix. With one: the numeric features (gathered from the input), then per categorical split
 * set an indicator — the block's code (ArgMax: the index of its 1, as `compactRows` reads it)
 * looked up in a table of the sets that hold it (1 in the set, 0 not) — exact in float32; NaN
 * when the block has no 1 (a missing category the recipe kept missing).
 */
function treeInputs(
	g: GraphBuilder,
	x: string,
	ensemble: Ensemble
): { features: string; columnOf: (feature: number, set: Uint8Array | null) => number } {
	const { layout } = ensemble;
	if (!layout) return { features: x, columnOf: (f) => f };
	const numeric = layout.flatMap((f, i) => (f.kind === 'numeric' ? [i] : []));
	const numericAt = new Map(numeric.map((f, at) => [f, at]));
	// The distinct sets per categorical feature, in first-use order.
	const sets = new Map<number, string[]>();
	for (const tree of ensemble.trees)
		tree.categories.forEach((set, node) => {
			if (!set) return;
			const keys = sets.get(tree.feature[node]!) ?? [];
			const key = set.join('');
			if (!keys.includes(key)) keys.push(key);
			sets.set(tree.feature[node]!, keys);
		});
	const pieces: string[] = [];
	if (numeric.length) {
		const columns = numeric.map((f) => (layout[f] as { column: number }).column);
		pieces.push(g.op('Gather', [x, g.int64s(columns)], { axis: int(1) }));
	}
	const indicatorAt = new Map<string, number>();
	let next = numeric.length;
	for (const [f, keys] of sets) {
		const block = layout[f] as { start: number; width: number };
		const slice = g.op('Slice', [
			x,
			g.int64s([block.start]),
			g.int64s([block.start + block.width]),
			g.int64s([1])
		]);
		const code = g.op('ArgMax', [slice], { axis: int(1), keepdims: int(0) });
		const table = new Float32Array(block.width * keys.length);
		keys.forEach((key, s) => {
			for (let c = 0; c < block.width; c++) if (key[c] === '1') table[c * keys.length + s] = 1;
			indicatorAt.set(`${f}:${key}`, next + s);
		});
		const indicators = g.op('Gather', [g.floats(table, [block.width, keys.length]), code], {
			axis: int(0)
		});
		const present = g.op('Greater', [
			g.op('ReduceMax', [slice], { axes: ints([1]), keepdims: int(1) }),
			g.floats([0], [])
		]);
		pieces.push(g.op('Where', [present, indicators, g.floats([NaN], [])]));
		next += keys.length;
	}
	const features = pieces.length === 1 ? pieces[0]! : g.op('Concat', pieces, { axis: int(1) });
	return {
		features,
		columnOf: (f, set) => (set ? indicatorAt.get(`${f}:${set.join('')}`)! : numericAt.get(f)!)
	};
}
