import { DriftwoodError } from '../../errors';
import type { Ensemble } from './boost';
import { compactRows } from './compact';
import type { Tree } from './grow';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2), written from the paper: the Shapley values of a
 * row under the value function v(S) = E[f(x) | x_S], where a split on a feature outside S sends
 * the row down both branches weighted by the training rows (`cover`) each received. A split's
 * side is decided as prediction decides it — thresholds, category sets and the missing
 * direction — so the contributions explain exactly what the model predicts: per output, the
 * expected value plus the contributions is the raw score (log-odds, a class's raw score, or the
 * regression value).
 */

/** The ensemble's expected raw score per output (its baseline plus each tree's cover-weighted mean leaf). */
export function expectedScores(ensemble: Ensemble): Float64Array {
	const out = Float64Array.from(ensemble.baseline);
	ensemble.trees.forEach((tree, t) => {
		const cover = coverOf(tree);
		let sum = 0;
		for (let i = 0; i < tree.feature.length; i++)
			if (tree.feature[i]! < 0) sum += tree.value[i]! * cover[i]!;
		out[t % ensemble.outputs]! += sum / cover[0]!;
	});
	return out;
}

/**
 * The same values by Algorithm 2's recursion (the paper's form, O(leaves · depth²) per row and
 * tree): kept as the reference `treeContributions` is tested against.
 */
export function treeContributionsRecursive(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { n, outputs, features, width, phi } = prepared(ensemble, x);
	const depth = Math.max(1, ...ensemble.trees.map(maxDepth));
	const path = new PathPool(depth + 2);
	ensemble.trees.forEach((tree, t) => {
		const cover = coverOf(tree);
		const k = t % outputs;
		for (let i = 0; i < n; i++)
			recurse(
				tree,
				cover,
				features,
				i * width,
				phi,
				(i * outputs + k) * width,
				path,
				0,
				0,
				0,
				1,
				1,
				-1
			);
	});
	return phi;
}

/** The rows as the trees read them, and the zeroed contributions (n × outputs × features). */
function prepared(ensemble: Ensemble, x: Float32Array) {
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

function coverOf(tree: Tree): Float64Array {
	if (!tree.cover)
		throw new DriftwoodError(
			'This tree model was saved without the training rows per node (trees.json before version 3): its contributions cannot be computed exactly. Retrain it to explain its predictions.',
			'explain'
		);
	return tree.cover;
}

function maxDepth(tree: Tree): number {
	const depth = new Int32Array(tree.feature.length);
	let max = 0;
	for (let i = 0; i < tree.feature.length; i++) {
		if (tree.feature[i]! < 0) continue;
		depth[tree.left[i]!] = depth[tree.right[i]!] = depth[i]! + 1;
		max = Math.max(max, depth[i]! + 1);
	}
	return max;
}

/** Whether row `at` of `x` goes left at `node` (as `treeValue` decides). */
function goesLeft(tree: Tree, node: number, x: Float32Array, at: number): boolean {
	const v = x[at + tree.feature[node]!]!;
	if (v !== v) return tree.missingLeft[node] === 1;
	const set = tree.categories[node];
	return set ? set[v] === 1 : v <= tree.threshold[node]!;
}

/**
 * The paths of the recursion, one level per depth: level `d` holds up to d + 1 elements
 * (feature, zero fraction, one fraction, weight), copied from the level above before extending.
 */
class PathPool {
	readonly feature: Int32Array[];
	readonly zero: Float64Array[];
	readonly one: Float64Array[];
	readonly weight: Float64Array[];
	constructor(levels: number) {
		const make = <T>(f: (size: number) => T) =>
			Array.from({ length: levels + 1 }, (_, d) => f(d + 2));
		this.feature = make((s) => new Int32Array(s));
		this.zero = make((s) => new Float64Array(s));
		this.one = make((s) => new Float64Array(s));
		this.weight = make((s) => new Float64Array(s));
	}
}

/**
 * One node of the recursion. `level`: this call's path level; `length`: the elements of the
 * parent's path, which this call copies and extends by the parent's split (`feature`, with the
 * fractions of the rows that follow this branch when the feature is unknown / known).
 */
function recurse(
	tree: Tree,
	cover: Float64Array,
	x: Float32Array,
	at: number,
	phi: Float64Array,
	phiAt: number,
	pool: PathPool,
	node: number,
	level: number,
	length: number,
	zeroFraction: number,
	oneFraction: number,
	feature: number
): void {
	const f = pool.feature[level]!;
	const z = pool.zero[level]!;
	const o = pool.one[level]!;
	const w = pool.weight[level]!;
	if (level > 0) {
		const [pf, pz, po, pw] = [
			pool.feature[level - 1]!,
			pool.zero[level - 1]!,
			pool.one[level - 1]!,
			pool.weight[level - 1]!
		];
		for (let i = 0; i < length; i++) {
			f[i] = pf[i]!;
			z[i] = pz[i]!;
			o[i] = po[i]!;
			w[i] = pw[i]!;
		}
	}
	f[length] = feature;
	z[length] = zeroFraction;
	o[length] = oneFraction;
	w[length] = length === 0 ? 1 : 0;
	for (let i = length - 1; i >= 0; i--) {
		w[i + 1]! += (oneFraction * w[i]! * (i + 1)) / (length + 1);
		w[i] = (zeroFraction * w[i]! * (length - i)) / (length + 1);
	}
	let last = length; // the index of the path's last element
	if (tree.feature[node]! < 0) {
		const value = tree.value[node]!;
		for (let i = 1; i <= last; i++)
			phi[phiAt + f[i]!]! += unwoundSum(z, o, w, last, i) * (o[i]! - z[i]!) * value;
		return;
	}
	const split = tree.feature[node]!;
	const left = goesLeft(tree, node, x, at);
	const hot = left ? tree.left[node]! : tree.right[node]!;
	const cold = left ? tree.right[node]! : tree.left[node]!;
	// A feature already on the path is taken off it: its fractions carry into both branches.
	let incomingZero = 1;
	let incomingOne = 1;
	let k = 1;
	while (k <= last && f[k] !== split) k++;
	if (k <= last) {
		incomingZero = z[k]!;
		incomingOne = o[k]!;
		unwind(f, z, o, w, last, k);
		last--;
	}
	const hotShare = (incomingZero * cover[hot]!) / cover[node]!;
	const coldShare = (incomingZero * cover[cold]!) / cover[node]!;
	recurse(
		tree,
		cover,
		x,
		at,
		phi,
		phiAt,
		pool,
		hot,
		level + 1,
		last + 1,
		hotShare,
		incomingOne,
		split
	);
	recurse(tree, cover, x, at, phi, phiAt, pool, cold, level + 1, last + 1, coldShare, 0, split);
}

/** Removes element `k` from the path of `last + 1` elements, undoing its extension. */
function unwind(
	f: Int32Array,
	z: Float64Array,
	o: Float64Array,
	w: Float64Array,
	last: number,
	k: number
): void {
	const one = o[k]!;
	const zero = z[k]!;
	let next = w[last]!;
	for (let i = last - 1; i >= 0; i--) {
		if (one !== 0) {
			const t = w[i]!;
			w[i] = (next * (last + 1)) / ((i + 1) * one);
			next = t - (w[i]! * zero * (last - i)) / (last + 1);
		} else {
			w[i] = (w[i]! * (last + 1)) / (zero * (last - i));
		}
	}
	for (let i = k; i < last; i++) {
		f[i] = f[i + 1]!;
		z[i] = z[i + 1]!;
		o[i] = o[i + 1]!;
	}
}

/** The total weight of the path with element `k` unwound, without changing the path. */
function unwoundSum(
	z: Float64Array,
	o: Float64Array,
	w: Float64Array,
	last: number,
	k: number
): number {
	const one = o[k]!;
	const zero = z[k]!;
	let next = w[last]!;
	let total = 0;
	for (let i = last - 1; i >= 0; i--) {
		if (one !== 0) {
			const t = (next * (last + 1)) / ((i + 1) * one);
			total += t;
			next = w[i]! - (t * zero * (last - i)) / (last + 1);
		} else if (zero !== 0) {
			total += w[i]! / zero / ((last - i) / (last + 1));
		}
	}
	return total;
}

/**
 * Per row and output, each tree feature's contribution (n × outputs × features, row-major), the
 * features being the trees' (`layout`, or the input columns). Throws when a tree has no covers
 * (a file written before trees.json version 3).
 *
 * Per leaf, as Fast TreeSHAP (Yang 2021) rearranges Algorithm 2: a leaf's share of v(S) is its
 * value times, for each feature j on its path, o_j (1 when the row follows the path at every node
 * of j) if j ∈ S, else z_j (the path's cover fraction at j's nodes). Its Shapley value for a path
 * feature i is then v · (o_i − z_i) · c_i(O), where c_i depends on the row only through O, the set
 * of path features the row follows: c_i(O) = Π_{j ∉ O, j ≠ i} z_j · Σ_k w(k, d) e_{m−k}(z over
 * O \ i), with w the Shapley weights of d path features and e the elementary symmetric sums. A
 * row's patterns come from one pass over the tree's splits, parents first: a path feature's slot
 * (its place among the distinct features from the root down) is the same for every leaf below a
 * node, so a child's pattern is its parent's with that slot cleared when the row goes the other
 * way. The leaves' terms v · (o_i − z_i) · c_i(O) are summed by units — small subtrees whose
 * leaves share the features above them, keyed by the pattern at the unit's root and the sides
 * the row takes inside it — computed once per unit and key, and remembered. A row costs
 * O(splits + Σ unit features) per tree.
 */
export function treeContributions(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { n, outputs, features, width, phi } = prepared(ensemble, x);
	ensemble.trees.forEach((tree, t) => {
		const k = t % outputs;
		const plan = treePlan(tree, coverOf(tree));
		// A pattern is a bit mask: a path of more than 30 distinct features (trees far larger than
		// training makes) takes the recursion instead.
		if (!plan) {
			const one = treeContributionsRecursive(
				{ ...ensemble, outputs: 1, baseline: [0], trees: [tree] },
				x
			);
			for (let r = 0; r < n; r++)
				for (let j = 0; j < width; j++) phi[(r * outputs + k) * width + j]! += one[r * width + j]!;
			return;
		}
		const { splits, splitFeature, threshold, missingLeft, splitCategories, bit, leftChild } = plan;
		const { rightChild, units, unitNode, mask, unitSplits, splitStart } = plan;
		const { featureStart, pathFeatures, tableStart, table, filled } = plan;
		const pattern = new Int32Array(tree.feature.length);
		// Per split, 1 when the row goes left.
		const went = new Uint8Array(splits.length);
		for (let r = 0; r < n; r++) {
			const at = r * width;
			// Parents first: each split passes its pattern on, clearing its feature's bit on the side
			// the row does not take.
			pattern[0] = -1;
			for (let q = 0; q < splits.length; q++) {
				const v = features[at + splitFeature[q]!]!;
				const set = splitCategories[q];
				const goesLeft = set
					? v === v
						? set[v] === 1
						: missingLeft[q] === 1
					: v <= threshold[q]!
						? true
						: v !== v && missingLeft[q] === 1;
				went[q] = goesLeft ? 1 : 0;
				const p = pattern[splits[q]!]!;
				const cleared = p & bit[q]!;
				pattern[leftChild[q]!] = goesLeft ? p : cleared;
				pattern[rightChild[q]!] = goesLeft ? cleared : p;
			}
			const out = (r * outputs + k) * width;
			for (let u = 0; u < unitNode.length; u++) {
				const from = featureStart[u]!;
				const d = featureStart[u + 1]! - from;
				// A unit's key: the pattern at its root (the bits of the features above it), then the
				// side the row takes at each of its splits.
				let o = pattern[unitNode[u]!]! & mask[u]!;
				for (let t = splitStart[u]!; t < splitStart[u + 1]!; t++)
					o = (o << 1) | went[unitSplits[t]!]!;
				let terms = table;
				let base = tableStart[u]!;
				if (base >= 0) {
					base += o * d;
					if (!filled[base]) {
						table.set(unitTerms(units[u]!, o), base);
						filled[base] = 1;
					}
				} else {
					const leaf = units[u]!.leaves[0]!.leaf;
					let remembered = leaf.memo!.get(o);
					if (!remembered) leaf.memo!.set(o, (remembered = termsOf(leaf, o)));
					terms = remembered;
					base = 0;
				}
				for (let i = 0; i < d; i++) phi[out + pathFeatures[from + i]!]! += terms[base + i]!;
			}
		}
	});
	return phi;
}

/** A tree's splits in an order that puts parents first, and its leaves' paths, flat. */
interface TreePlan {
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
	 * A short path's terms for every key, at tableStart[u] + key · d, filled on first use
	 * (`filled` marks the first cell of each); −1 for a long path, remembered per O in its memo.
	 */
	tableStart: Int32Array;
	table: Float64Array;
	filled: Uint8Array;
}

/**
 * A subtree summed as one: its leaves, each with the way to it from the unit's root (per unit
 * split on its path: the split's place in the unit, the side taken, the mask that clears the
 * split's feature) and where its features go among the unit's.
 */
interface Unit {
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
interface LeafPath {
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
	const featureStart = new Int32Array(units.length + 1);
	const tableStart = new Int32Array(units.length);
	let cells = 0;
	units.forEach((unit, u) => {
		const d = unit.features.length;
		const memo = unit.splits === 0 && unit.leaves[0]!.leaf.memo;
		featureStart[u + 1] = featureStart[u]! + d;
		tableStart[u] = memo ? -1 : cells;
		if (!memo) cells += Math.max(1, 2 ** (unit.above + unit.splits) * d);
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
		table: new Float64Array(cells),
		filled: new Uint8Array(cells)
	};
}

/**
 * A unit's terms for its key (the pattern above its root, then its splits' sides): each leaf's
 * pattern is the root's with a split's feature cleared wherever the row leaves the leaf's way,
 * its terms added where its features sit among the unit's.
 */
function unitTerms(unit: Unit, key: number): Float64Array {
	const sides = key & ((1 << unit.splits) - 1);
	// The bits above the root as the key holds them; the slots below start followed.
	const root = (key >> unit.splits) | ~((1 << unit.above) - 1);
	const out = new Float64Array(unit.features.length);
	for (const { leaf, route, into } of unit.leaves) {
		let p = root;
		for (const step of route)
			if (((sides >> (unit.splits - 1 - step.at)) & 1) !== step.left) p &= step.clear;
		const d = leaf.features.length;
		const terms = termsOf(leaf, d ? p & ((1 << d) - 1) : 0);
		for (let i = 0; i < d; i++) out[into[i]!]! += terms[i]!;
	}
	return out;
}

/** v · (o_i − z_i) · c_i(O) for every distinct path feature i. */
function termsOf(leaf: LeafPath, o: number): Float64Array {
	const c = patternWeights(leaf.zero, o);
	for (let i = 0; i < c.length; i++) c[i] = leaf.value * (((o >> i) & 1) - leaf.zero[i]!) * c[i]!;
	return c;
}

/** Up to this many distinct path features a leaf keeps c(O) for every O in one array. */
const DENSE_FEATURES = 8;
/** A unit sums a subtree of at most this many splits… */
const UNIT_SPLITS = 3;
/** …whose table (every key × its features) holds at most this many cells. */
const UNIT_CELLS = 8192;

/**
 * c_i(O) for every path feature i: Π_{j ∉ O ∪ {i}} z_j · Σ_{S ⊆ O \ i} w(|S|, d) Π_{j ∈ O \ i \ S} z_j,
 * the inner sum by the elementary symmetric sums of the z over O \ i.
 */
function patternWeights(zero: Float64Array, pattern: number): Float64Array {
	const d = zero.length;
	const weight = shapleyWeights(d);
	// e[q]: the sum over q-subsets of the followed features (O) of the product of their z.
	const e = new Float64Array(d + 1);
	e[0] = 1;
	let m = 0;
	for (let j = 0; j < d; j++) {
		if (!((pattern >> j) & 1)) continue;
		m++;
		for (let q = m; q >= 1; q--) e[q]! += e[q - 1]! * zero[j]!;
	}
	const without = new Float64Array(d + 1);
	const c = new Float64Array(d);
	for (let i = 0; i < d; i++) {
		let outside = 1;
		for (let j = 0; j < d; j++) if (j !== i && !((pattern >> j) & 1)) outside *= zero[j]!;
		let sums = e;
		let size = m;
		if ((pattern >> i) & 1) {
			// The sums over O \ i: e with z_i divided out (e'_q = e_q − z_i e'_{q−1}).
			without[0] = 1;
			for (let q = 1; q < m; q++) without[q] = e[q]! - zero[i]! * without[q - 1]!;
			sums = without;
			size = m - 1;
		}
		let sum = 0;
		for (let k = 0; k <= size; k++) sum += weight[k]! * sums[size - k]!;
		c[i] = outside * sum;
	}
	return c;
}

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
