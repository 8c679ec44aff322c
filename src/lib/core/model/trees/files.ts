import type { ModelDescription, SavedModel } from '../family';
import type { Task } from '../task';
import type { Ensemble } from './boost';
import { MAX_TREE_CATEGORIES, type TreeFeature } from './compact';
import type { Tree } from './grow';

/**
 * A tree ensemble as a bundle holds it: `model/trees.json`, versioned JSON that needs no code but
 * this to read (the runtime predicts with it without TensorFlow.js). A node is a leaf when its
 * `feature` is -1; a split sends `x <= threshold` left (`null`: +∞, every value left) and a missing
 * value (NaN) the way `missing_left` says. Children always have larger indices than their parent,
 * so a tree cannot loop.
 *
 * Version 2 adds native categories: `layout` lists the features the trees split on (an input
 * column, or a one-hot block read as the code of its 1), and a node whose `categories` entry is a
 * list sends those codes left and every other code right, and a missing category (a block with no
 * 1) the way `missing_left` says; the list may be empty when only missing goes left. Version 1 (no
 * layout: the input columns as they are) still reads.
 *
 * Version 3 adds `cover`: per node, the training rows that reached it (a split's cover is its
 * children's sum), what exact TreeSHAP weighs the branches a row does not take by. Versions 1
 * and 2 still read, without covers: their contributions cannot be computed exactly.
 */
export const TREE_FILES = ['trees.json'] as const;
export const TREES_FORMAT = 'driftwood-trees';
export const TREES_VERSION = 3;

/** Most trees and nodes per tree a file may declare (far above what training makes). */
const MAX_TREES = 200_000;
const MAX_NODES = 1 << 16;

interface TreeJson {
	feature: number[];
	threshold: (number | null)[];
	missing_left: number[];
	left: number[];
	right: number[];
	value: number[];
	gain: number[];
	/** Version 2: per node, the codes that go left on a categorical split; else null. */
	categories?: (number[] | null)[];
	/** Version 3: per node, the training rows that reached it. */
	cover?: number[];
}

interface TreesJson {
	format: typeof TREES_FORMAT;
	version: 1 | 2 | 3;
	task: Task;
	inputs: number;
	/** Version 2: the features the trees split on; null: the input columns as they are. */
	layout?: TreeFeature[] | null;
	outputs: number;
	baseline: number[];
	trees: TreeJson[];
}

/** The saved model of an ensemble. */
export function treesSaved(ensemble: Ensemble): SavedModel {
	const json: TreesJson = {
		format: TREES_FORMAT,
		version: TREES_VERSION,
		task: ensemble.task,
		inputs: ensemble.inputs,
		layout: ensemble.layout,
		outputs: ensemble.outputs,
		baseline: ensemble.baseline,
		trees: ensemble.trees.map((t) => ({
			feature: Array.from(t.feature),
			threshold: Array.from(t.threshold, (v, i) =>
				t.feature[i]! < 0 ? 0 : Number.isFinite(v) ? v : null
			),
			missing_left: Array.from(t.missingLeft),
			left: Array.from(t.left),
			right: Array.from(t.right),
			value: Array.from(t.value),
			gain: Array.from(t.gain),
			categories: t.categories.map((set) =>
				set ? Array.from(set.keys()).filter((c) => set[c] === 1) : null
			),
			...(t.cover ? { cover: Array.from(t.cover) } : {})
		}))
	};
	return {
		family: 'gbdt',
		files: { 'trees.json': new TextEncoder().encode(JSON.stringify(json)) }
	};
}

/** Every problem with a saved ensemble: a foreign file, a bad node index, a cycle, a NaN. */
export function verifyTrees(saved: SavedModel): string[] {
	try {
		readTrees(saved);
		return [];
	} catch (error) {
		return [error instanceof Error ? error.message : String(error)];
	}
}

const isWhole = (v: unknown, lo: number, hi: number): v is number =>
	typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The ensemble of a saved model, every node checked; throws with what is wrong. */
export function readTrees(saved: SavedModel): Ensemble {
	const bytes = saved.files['trees.json'];
	if (!bytes) throw new Error('model/trees.json is missing.');
	let json: TreesJson;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as TreesJson;
	} catch {
		throw new Error('model/trees.json is not valid JSON.');
	}
	if (!json || json.format !== TREES_FORMAT)
		throw new Error('model/trees.json is not a Driftwood tree ensemble.');
	if (json.version !== 1 && json.version !== 2 && json.version !== TREES_VERSION)
		throw new Error(
			`model/trees.json is version ${String(json.version)}; this Driftwood reads versions 1 to ${TREES_VERSION}.`
		);
	if (!['binary', 'multiclass', 'regression'].includes(json.task))
		throw new Error('model/trees.json names no task.');
	if (!isWhole(json.inputs, 1, 1_000_000)) throw new Error('model/trees.json has no input count.');
	const outputs = json.task === 'multiclass' ? json.outputs : 1;
	if (
		!isWhole(json.outputs, 1, 10_000) ||
		json.outputs !== outputs ||
		(json.task === 'multiclass' && outputs < 3)
	)
		throw new Error('model/trees.json declares outputs that do not fit its task.');
	if (
		!Array.isArray(json.baseline) ||
		json.baseline.length !== outputs ||
		!json.baseline.every(isFinite)
	)
		throw new Error('model/trees.json has a baseline that is not one finite number per output.');
	if (!Array.isArray(json.trees) || json.trees.length > MAX_TREES || json.trees.length % outputs)
		throw new Error('model/trees.json does not hold whole iterations of trees.');
	const layout = json.version === 1 ? null : readLayout(json.layout ?? null, json.inputs);
	const widths = layout
		? layout.map((f) => (f.kind === 'categorical' ? f.width : 0))
		: new Array<number>(json.inputs).fill(0);
	const trees: Tree[] = json.trees.map((t, at) => readTree(t, at, widths, json.version === 3));
	return { task: json.task, inputs: json.inputs, layout, outputs, baseline: json.baseline, trees };
}

/** The layout of a version-2 file, every feature inside the input matrix; throws what is wrong. */
function readLayout(layout: unknown, inputs: number): TreeFeature[] | null {
	if (layout === null) return null;
	if (!Array.isArray(layout) || layout.length < 1 || layout.length > inputs)
		throw new Error('model/trees.json has a layout that is not a list of features.');
	return layout.map((f: Partial<Record<string, unknown>>, i) => {
		if (f?.kind === 'numeric' && isWhole(f.column, 0, inputs - 1))
			return { kind: 'numeric', column: f.column };
		if (
			f?.kind === 'categorical' &&
			isWhole(f.width, 2, MAX_TREE_CATEGORIES) &&
			isWhole(f.start, 0, inputs - f.width)
		)
			return { kind: 'categorical', start: f.start, width: f.width };
		throw new Error(`model/trees.json: feature ${i} of the layout is not inside the input matrix.`);
	});
}

/** `widths[f]`: the categories of tree feature f when it holds codes, else 0. */
function readTree(t: TreeJson, at: number, widths: number[], covered: boolean): Tree {
	const inputs = widths.length;
	const where = `tree ${at + 1} of model/trees.json`;
	const n = Array.isArray(t?.feature) ? t.feature.length : 0;
	if (n < 1) throw new Error(`${where} has no nodes.`);
	if (n > MAX_NODES)
		throw new Error(`${where} has ${n} nodes (at most ${MAX_NODES}): it is not a Driftwood tree.`);
	for (const key of ['threshold', 'missing_left', 'left', 'right', 'value', 'gain'] as const) {
		if (!Array.isArray(t[key]) || t[key].length !== n)
			throw new Error(`${where}: "${key}" does not have one entry per node.`);
	}
	if (t.categories !== undefined && (!Array.isArray(t.categories) || t.categories.length !== n))
		throw new Error(`${where}: "categories" does not have one entry per node.`);
	const tree: Tree = {
		categories: new Array<Uint8Array | null>(n).fill(null),
		feature: new Int32Array(n),
		threshold: new Float32Array(n),
		missingLeft: new Uint8Array(n),
		left: new Int32Array(n).fill(-1),
		right: new Int32Array(n).fill(-1),
		value: new Float64Array(n),
		gain: new Float64Array(n)
	};
	for (let i = 0; i < n; i++) {
		const f = t.feature[i];
		if (f === -1) {
			if (!isFinite(t.value[i])) throw new Error(`${where}: leaf ${i} has no finite value.`);
			tree.feature[i] = -1;
			tree.value[i] = t.value[i]!;
			continue;
		}
		if (!isWhole(f, 0, inputs - 1))
			throw new Error(`${where}: node ${i} splits on feature ${String(f)}, which does not exist.`);
		const threshold = t.threshold[i];
		if (threshold !== null && !isFinite(threshold))
			throw new Error(`${where}: node ${i} has a threshold that is not a number.`);
		const [l, r] = [t.left[i], t.right[i]];
		// Children after their parent: no cycle, no self-reference, every index inside the tree.
		if (!isWhole(l, i + 1, n - 1) || !isWhole(r, i + 1, n - 1) || l === r)
			throw new Error(`${where}: node ${i} points at child nodes that do not exist or loop back.`);
		if (t.missing_left[i] !== 0 && t.missing_left[i] !== 1)
			throw new Error(`${where}: node ${i} does not say where missing values go.`);
		if (!isFinite(t.gain[i])) throw new Error(`${where}: node ${i} has no finite gain.`);
		const codes = t.categories?.[i] ?? null;
		if ((codes !== null) !== widths[f]! > 0)
			throw new Error(
				`${where}: node ${i} splits feature ${f} ${codes ? 'by categories, but it holds numbers' : 'by a threshold, but it holds categories'}.`
			);
		if (codes !== null) {
			const set = new Uint8Array(widths[f]!);
			// Missing alone may go left (missing against every category); else a code must.
			if (!Array.isArray(codes) || (codes.length < 1 && t.missing_left[i] !== 1))
				throw new Error(`${where}: node ${i} sends no category left.`);
			for (const c of codes) {
				if (!isWhole(c, 0, set.length - 1) || set[c])
					throw new Error(`${where}: node ${i} names a category code that does not exist.`);
				set[c] = 1;
			}
			tree.categories[i] = set;
		}
		tree.feature[i] = f;
		tree.threshold[i] = threshold === null ? Infinity : threshold;
		tree.missingLeft[i] = t.missing_left[i]!;
		tree.left[i] = l;
		tree.right[i] = r;
		tree.gain[i] = t.gain[i]!;
	}
	if (covered) tree.cover = readCover(t.cover, tree, where);
	return tree;
}

/** A version-3 tree's covers: one count per node, each split's the sum of its children's. */
function readCover(cover: unknown, tree: Tree, where: string): Float64Array {
	const n = tree.feature.length;
	if (!Array.isArray(cover) || cover.length !== n || !cover.every((c) => isFinite(c) && c >= 0))
		throw new Error(`${where}: "cover" is not one row count per node.`);
	if (!(cover[0] > 0)) throw new Error(`${where}: no training row reached its root.`);
	for (let i = 0; i < n; i++) {
		if (tree.feature[i]! < 0) continue;
		const sum = cover[tree.left[i]!] + cover[tree.right[i]!];
		if (Math.abs(sum - cover[i]) > 1e-6 * Math.max(1, cover[i]))
			throw new Error(`${where}: node ${i}'s cover is not the sum of its children's.`);
	}
	return Float64Array.from(cover as number[]);
}

/** Plain words for a tree ensemble: its iterations, outputs and size. */
export function describeTrees(saved: SavedModel): ModelDescription {
	const ensemble = readTrees(saved);
	const iterations = ensemble.trees.length / ensemble.outputs;
	let leaves = 0;
	let nodes = 0;
	for (const tree of ensemble.trees) {
		nodes += tree.feature.length;
		for (const f of tree.feature) if (f < 0) leaves++;
	}
	const per = ensemble.outputs > 1 ? ` × ${ensemble.outputs} classes` : '';
	return {
		summary: `Gradient-boosted trees: ${iterations} iteration${iterations === 1 ? '' : 's'}${per}, ${leaves.toLocaleString('en-US')} leaves in all`,
		parameters: nodes,
		inputs: ensemble.inputs,
		outputs: ensemble.outputs
	};
}
