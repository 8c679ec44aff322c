import { DriftwoodError } from '../../errors';
import type { Ensemble } from './boost';
import { compactRows } from './compact';
import type { Tree } from './grow';

/**
 * What TreeSHAP precomputes per tree (see `treeContributions`): its splits parents first, its
 * leaves' paths, the units a row's terms are summed by, and their tables of terms per key.
 */

/** The rows as the trees read them, and the zeroed contributions (n × outputs × features). */
export function preparedRows(ensemble: Ensemble, x: Float32Array) {
	const { inputs, outputs, layout } = ensemble;
	const n = inputs ? x.length / inputs : 0;
	const width = layout ? layout.length : inputs;
	return {
		n,
		outputs,
		width,
		features: layout ? compactRows(x, inputs, layout) : x,
		phi: new Float64Array(n * outputs * width)
	};
}

export function coverOf(tree: Tree): Float64Array {
	if (!tree.cover)
		throw new DriftwoodError(
			'This tree model was saved without the training rows per node (trees.json before version 3): its contributions cannot be computed exactly. Retrain it to explain its predictions.',
			'explain'
		);
	return tree.cover;
}

/**
 * The trees' plans (null for a tree whose paths are too long for one). They are kept while the
 * trees live when their tables are small enough (KEPT_CELLS in all): the tables fill as rows need
 * them, so explaining a second batch, or one row at a time, reuses what the first computed.
 */
export function plansOf(trees: readonly Tree[]): (TreePlan | null)[] {
	const plans = trees.map((tree) => {
		const kept = PLANS.get(tree);
		return kept === undefined ? treePlan(tree, coverOf(tree)) : kept;
	});
	const cells = plans.reduce((sum, plan) => sum + (plan?.table.length ?? 0), 0);
	if (cells <= KEPT_CELLS) trees.forEach((tree, t) => PLANS.set(tree, plans[t]!));
	return plans;
}
const PLANS = new WeakMap<Tree, TreePlan | null>();
/** Table cells (8 bytes each) an ensemble's kept plans may hold: about 36 MB with their marks. */
const KEPT_CELLS = 4_000_000;

/** A tree's splits in an order that puts parents first, and its leaves' paths, flat. */
export interface TreePlan {
	/** Split nodes, parents first, and per split: its feature, threshold, missing direction. */
	splits: Int32Array;
	splitFeature: Int32Array;
	threshold: Float32Array;
	missingLeft: Uint8Array;
	splitCategories: (Uint8Array | null)[];
	/**
	 * Per split, the mask that clears its feature's slot — the feature's place among the distinct
	 * features from the root down, the same for every leaf below — and its children.
	 */
	bit: Int32Array;
	leftChild: Int32Array;
	rightChild: Int32Array;
	/**
	 * What a row visits: a small subtree (up to UNIT_SPLITS splits) summed in one table keyed by
	 * the pattern at its root and the side the row takes at each of its splits — its leaves'
	 * paths share the features above it, so each is added once, not once per leaf — or a single
	 * leaf.
	 */
	units: Unit[];
	/** Per unit: its root node (a leaf for a single), and the mask of the bits above it. */
	unitNode: Int32Array;
	mask: Int32Array;
	/** Unit u's splits (their indices, parents first) are unitSplits[splitStart[u] … splitStart[u + 1]). */
	unitSplits: Int32Array;
	splitStart: Int32Array;
	/** Unit u's features (its leaves' distinct path features) are pathFeatures[featureStart[u] …). */
	featureStart: Int32Array;
	pathFeatures: Int32Array;
	/**
	 * A short path's terms for every key: feature i's for key o at tableStart[u] + i · keys[u] + o
	 * (one feature's terms side by side, so that a pass over rows reads one stretch), filled on
	 * first use (`filled` at tableStart[u] + o); −1 for a long path, remembered per O in its memo.
	 */
	tableStart: Int32Array;
	keys: Int32Array;
	table: Float64Array;
	filled: Uint8Array;
	/** Per split, 1 when it lies inside a unit (its side is read), 0 above (its pattern passes on). */
	inside: Uint8Array;
}

/**
 * A subtree summed as one: its leaves, each with the way to it from the unit's root (per unit
 * split on its path: the split's place in the unit, the side taken, the mask that clears the
 * split's feature) and where its features go among the unit's.
 */
export interface Unit {
	/** Bits of the root's pattern the key keeps (the features above the root), and splits. */
	above: number;
	splits: number;
	features: Int32Array;
	leaves: {
		leaf: LeafPath;
		route: { at: number; left: number; clear: number }[];
		into: Int32Array;
	}[];
}

/** A leaf's path: its distinct features (by slot) and their fractions. */
export interface LeafPath {
	value: number;
	/** The distinct path features, in slot order (first appearance from the root). */
	features: Int32Array;
	/** Per distinct feature, the product of the path's cover fractions at its nodes. */
	zero: Float64Array;
	/** A long path's terms per pattern O, remembered on first use. */
	memo: Map<number, Float64Array> | null;
}

/** The plan of a tree; null when a path has more than 30 distinct features. */
function treePlan(tree: Tree, cover: Float64Array): TreePlan | null {
	const splits: number[] = [];
	const bits: number[] = [];
	const leaves: LeafPath[] = [];
	const nodes: number[] = [];
	// Per node: the distinct features above it (its pattern's meaningful bits).
	const above = new Int32Array(tree.feature.length);
	let tooLong = false;
	// Depth first from the root: the distinct features above a node, in order, and their fractions.
	const walk = (node: number, distinct: number[], zero: number[]) => {
		above[node] = distinct.length;
		if (tree.feature[node]! < 0) {
			if (distinct.length > 30) tooLong = true;
			nodes.push(node);
			leaves.push({
				value: tree.value[node]!,
				features: Int32Array.from(distinct),
				zero: Float64Array.from(zero),
				memo: distinct.length <= DENSE_FEATURES ? null : new Map()
			});
			return;
		}
		const feature = tree.feature[node]!;
		let at = distinct.indexOf(feature);
		const features = at < 0 ? [...distinct, feature] : distinct;
		if (at < 0) at = distinct.length;
		splits.push(node);
		bits.push(at < 31 ? ~(1 << at) : -1);
		for (const child of [tree.left[node]!, tree.right[node]!]) {
			const fractions = at < zero.length ? [...zero] : [...zero, 1];
			fractions[at]! *= cover[child]! / cover[node]!;
			walk(child, features, fractions);
		}
	};
	walk(0, [], []);
	if (tooLong) return null;
	const leafAt = new Map(nodes.map((node, l) => [node, l]));
	const splitAt = new Map(splits.map((node, q) => [node, q]));
	const units: Unit[] = [];
	const unitNode: number[] = [];
	const unitSplits: number[] = [];
	const splitStart = [0];
	// The splits and leaves below a node, parents first.
	const below = (node: number, out: { splits: number[]; leaves: number[] }) => {
		if (tree.feature[node]! < 0) out.leaves.push(node);
		else {
			out.splits.push(node);
			below(tree.left[node]!, out);
			below(tree.right[node]!, out);
		}
		return out;
	};
	// Largest subtrees first: a node is a unit's root when its subtree has few enough splits, all
	// its leaves' paths are short, and its table stays small; else its children are tried.
	const assign = (node: number) => {
		const { splits: inside, leaves: under } = below(node, { splits: [], leaves: [] });
		const paths = under.map((n) => leaves[leafAt.get(n)!]!);
		const features = [...new Set(paths.flatMap((leaf) => [...leaf.features]))];
		const cells = 2 ** (above[node]! + inside.length) * features.length;
		const single = tree.feature[node]! < 0;
		if (
			single ||
			(inside.length <= UNIT_SPLITS && paths.every((leaf) => !leaf.memo) && cells <= UNIT_CELLS)
		) {
			units.push({
				above: above[node]!,
				splits: inside.length,
				features: Int32Array.from(features),
				leaves: under.map((n, l) => {
					const route: Unit['leaves'][number]['route'] = [];
					for (let at = n; at !== node;) {
						const up = parentOf.get(at)!;
						const q = splitAt.get(up)!;
						route.push({
							at: inside.indexOf(up),
							left: tree.left[up] === at ? 1 : 0,
							clear: bits[q]!
						});
						at = up;
					}
					return {
						leaf: paths[l]!,
						route,
						into: Int32Array.from(paths[l]!.features, (f) => features.indexOf(f))
					};
				})
			});
			unitNode.push(node);
			for (const split of inside) unitSplits.push(splitAt.get(split)!);
			splitStart.push(unitSplits.length);
			return;
		}
		assign(tree.left[node]!);
		assign(tree.right[node]!);
	};
	const parentOf = new Map<number, number>();
	for (const node of splits) {
		parentOf.set(tree.left[node]!, node);
		parentOf.set(tree.right[node]!, node);
	}
	assign(0);
	const inside = new Uint8Array(splits.length);
	for (const q of unitSplits) inside[q] = 1;
	const featureStart = new Int32Array(units.length + 1);
	const tableStart = new Int32Array(units.length);
	const keys = new Int32Array(units.length);
	let cells = 0;
	units.forEach((unit, u) => {
		const d = unit.features.length;
		const memo = unit.splits === 0 && unit.leaves[0]!.leaf.memo;
		featureStart[u + 1] = featureStart[u]! + d;
		keys[u] = 2 ** (unit.above + unit.splits);
		tableStart[u] = memo ? -1 : cells;
		if (!memo) cells += keys[u]! * Math.max(1, d);
	});
	const pathFeatures = new Int32Array(featureStart[units.length]!);
	units.forEach((unit, u) => pathFeatures.set(unit.features, featureStart[u]!));
	return {
		splits: Int32Array.from(splits),
		splitFeature: Int32Array.from(splits, (s) => tree.feature[s]!),
		threshold: Float32Array.from(splits, (s) => tree.threshold[s]!),
		missingLeft: Uint8Array.from(splits, (s) => tree.missingLeft[s]!),
		splitCategories: splits.map((s) => tree.categories[s] ?? null),
		bit: Int32Array.from(bits),
		leftChild: Int32Array.from(splits, (s) => tree.left[s]!),
		rightChild: Int32Array.from(splits, (s) => tree.right[s]!),
		units,
		unitNode: Int32Array.from(unitNode),
		mask: Int32Array.from(units, (unit) => (unit.above ? (1 << unit.above) - 1 : 0)),
		unitSplits: Int32Array.from(unitSplits),
		splitStart: Int32Array.from(splitStart),
		featureStart,
		pathFeatures,
		tableStart,
		keys,
		table: new Float64Array(cells),
		filled: new Uint8Array(cells),
		inside
	};
}

/**
 * A unit's terms for its key (the pattern above its root, then its splits' sides), written to
 * its table: each leaf's pattern is the root's with a split's feature cleared wherever the row
 * leaves the leaf's way, its terms added where its features sit among the unit's.
 */
export function fillCell(plan: TreePlan, u: number, key: number): void {
	const unit = plan.units[u]!;
	const start = plan.tableStart[u]!;
	const stride = plan.keys[u]!;
	const sides = key & ((1 << unit.splits) - 1);
	// The bits above the root as the key holds them; the slots below start followed.
	const root = (key >> unit.splits) | ~((1 << unit.above) - 1);
	for (const { leaf, route, into } of unit.leaves) {
		let p = root;
		for (const step of route)
			if (((sides >> (unit.splits - 1 - step.at)) & 1) !== step.left) p &= step.clear;
		const d = leaf.features.length;
		addTerms(leaf, d ? p & ((1 << d) - 1) : 0, plan.table, start + key, stride, into);
	}
	plan.filled[start + key] = 1;
}

/** A long path's terms for pattern O, remembered (up to MEMO_PATTERNS of them). */
export function leafTerms(leaf: LeafPath, o: number): Float64Array {
	let terms = leaf.memo!.get(o);
	if (!terms) {
		const d = leaf.features.length;
		terms = new Float64Array(d);
		addTerms(leaf, o, terms, 0, 1, IDENTITY.subarray(0, d));
		if (leaf.memo!.size < MEMO_PATTERNS) leaf.memo!.set(o, terms);
	}
	return terms;
}

/** Patterns a long path remembers: beyond them its terms are computed again (memory stays bounded). */
const MEMO_PATTERNS = 4096;
const IDENTITY = Int32Array.from({ length: 32 }, (_, i) => i);

/**
 * Adds v · (o_i − z_i) · c_i(O) for every distinct path feature i of a leaf to out[at + into[i] ·
 * stride], where c_i(O) = Π_{j ∉ O, j ≠ i} z_j · Σ_{S ⊆ O \ i} w(|S|, d) Π_{j ∈ O \ i \ S} z_j, the
 * inner sum by the elementary symmetric sums e of the z over O (or O \ i). A feature off O gets
 * −v · Π_{j ∉ O} z_j · Σ_k w(k) e_{m−k}(O), the same for all of them; a feature on O gets
 * v · (1 − z_i) · Π_{j ∉ O} z_j · Σ_k w(k) e_{m−1−k}(O \ i), its e with z_i divided out by
 * e'_q = e_q − z_i e'_{q−1}. O(d + m²) per leaf and pattern, with no allocation.
 */
function addTerms(
	leaf: LeafPath,
	o: number,
	out: Float64Array,
	at: number,
	stride: number,
	into: Int32Array
): void {
	const zero = leaf.zero;
	const d = zero.length;
	const weight = shapleyWeights(d);
	const e = SUMS;
	e[0] = 1;
	let m = 0;
	let offProduct = 1;
	for (let j = 0; j < d; j++) {
		const z = zero[j]!;
		if (!((o >> j) & 1)) {
			offProduct *= z;
			continue;
		}
		m++;
		e[m] = 0;
		for (let q = m; q >= 1; q--) e[q]! += e[q - 1]! * z;
	}
	const v = leaf.value * offProduct;
	let off = 0;
	if (m < d) for (let k = 0; k <= m; k++) off += weight[k]! * e[m - k]!;
	const w = WITHOUT;
	for (let i = 0; i < d; i++) {
		const cell = at + into[i]! * stride;
		if (!((o >> i) & 1)) {
			out[cell]! -= v * off;
			continue;
		}
		const z = zero[i]!;
		w[0] = 1;
		for (let q = 1; q < m; q++) w[q] = e[q]! - z * w[q - 1]!;
		let sum = 0;
		for (let k = 0; k < m; k++) sum += weight[k]! * w[m - 1 - k]!;
		out[cell]! += (1 - z) * v * sum;
	}
}

/** Scratch for addTerms (a path has at most 30 distinct features in a plan). */
const SUMS = new Float64Array(32);
const WITHOUT = new Float64Array(32);

/** Up to this many distinct path features a leaf's terms go in its units' tables (else its memo). */
const DENSE_FEATURES = 8;
/** A unit sums a subtree of at most this many splits… */
const UNIT_SPLITS = 3;
/** …whose table (every key × its features) holds at most this many cells. */
const UNIT_CELLS = 8192;

const SHAPLEY_WEIGHTS = new Map<number, Float64Array>();

/** w(k) = k!(d − k − 1)!/d!, the Shapley weight of a k-coalition among d players, k < d. */
function shapleyWeights(d: number): Float64Array {
	let w = SHAPLEY_WEIGHTS.get(d);
	if (!w) {
		w = Float64Array.from({ length: d }, (_, k) => 1 / (d * binomial(d - 1, k)));
		SHAPLEY_WEIGHTS.set(d, w);
	}
	return w;
}

function binomial(n: number, k: number): number {
	let out = 1;
	for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
	return out;
}
