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
 * O \ i), with w the Shapley weights of d path features and e the elementary symmetric sums. c(O)
 * is computed once per leaf and pattern O and remembered, so a row costs O(leaves · depth) per tree.
 */
export function treeContributions(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { n, outputs, features, width, phi } = prepared(ensemble, x);
	ensemble.trees.forEach((tree, t) => {
		const k = t % outputs;
		const leaves = leafPaths(tree, coverOf(tree));
		// A pattern is a bit mask: a path of more than 30 distinct features (trees far larger than
		// training makes) takes the recursion instead.
		if (leaves.some((leaf) => leaf.features.length > 30)) {
			const one = treeContributionsRecursive(
				{ ...ensemble, outputs: 1, baseline: [0], trees: [tree] },
				x
			);
			for (let r = 0; r < n; r++)
				for (let j = 0; j < width; j++) phi[(r * outputs + k) * width + j]! += one[r * width + j]!;
			return;
		}
		const left = new Uint8Array(tree.feature.length);
		for (let r = 0; r < n; r++) {
			const at = r * width;
			for (let node = 0; node < tree.feature.length; node++)
				if (tree.feature[node]! >= 0) left[node] = goesLeft(tree, node, features, at) ? 1 : 0;
			const out = (r * outputs + k) * width;
			for (let l = 0; l < leaves.length; l++) {
				const leaf = leaves[l]!;
				// O: the path features whose every node the row follows.
				const d = leaf.features.length;
				let pattern = (1 << d) - 1;
				const { nodes, wentLeft, slot } = leaf;
				for (let p = 0; p < nodes.length; p++)
					if (left[nodes[p]!] !== wentLeft[p]) pattern &= ~(1 << slot[p]!);
				let c: Float64Array;
				let at = 0;
				if (d <= DENSE_FEATURES) {
					// Allocated on the first row that reaches this leaf's table.
					leaf.dense ??= new Float64Array((1 << d) * d);
					leaf.filled ??= new Uint8Array(1 << d);
					if (!leaf.filled[pattern]) {
						leaf.dense.set(patternWeights(leaf.zero, pattern), pattern * d);
						leaf.filled[pattern] = 1;
					}
					c = leaf.dense;
					at = pattern * d;
				} else {
					c = leaf.memo!.get(pattern)!;
					if (!c) leaf.memo!.set(pattern, (c = patternWeights(leaf.zero, pattern)));
				}
				const { features, zero, value } = leaf;
				for (let i = 0; i < d; i++)
					phi[out + features[i]!]! += value * (((pattern >> i) & 1) - zero[i]!) * c[at + i]!;
			}
		}
	});
	return phi;
}

/** A leaf's path: its nodes, the way taken at each, its distinct features and their fractions. */
interface LeafPath {
	value: number;
	nodes: Int32Array;
	wentLeft: Uint8Array;
	/** Per path node, the index of its feature in `features`. */
	slot: Int32Array;
	features: Int32Array;
	/** Per distinct feature, the product of the path's cover fractions at its nodes. */
	zero: Float64Array;
	/**
	 * c(O) per distinct feature for a pattern O (bit i: feature i followed), filled on first use:
	 * for a short path one array for every O (`dense`, with `filled` per O), else remembered per O.
	 */
	dense: Float64Array | null;
	filled: Uint8Array | null;
	memo: Map<number, Float64Array> | null;
}

function leafPaths(tree: Tree, cover: Float64Array): LeafPath[] {
	const out: LeafPath[] = [];
	const walk = (node: number, nodes: number[], lefts: number[]) => {
		if (tree.feature[node]! < 0) {
			const distinct = [...new Set(nodes.map((p) => tree.feature[p]!))];
			const zero = new Float64Array(distinct.length).fill(1);
			const slot = Int32Array.from(nodes, (p) => distinct.indexOf(tree.feature[p]!));
			nodes.forEach((p, i) => {
				const child = lefts[i] ? tree.left[p]! : tree.right[p]!;
				zero[slot[i]!]! *= cover[child]! / cover[p]!;
			});
			out.push({
				value: tree.value[node]!,
				nodes: Int32Array.from(nodes),
				wentLeft: Uint8Array.from(lefts),
				slot,
				features: Int32Array.from(distinct),
				zero,
				dense: null,
				filled: null,
				memo: distinct.length <= DENSE_FEATURES ? null : new Map()
			});
			return;
		}
		walk(tree.left[node]!, [...nodes, node], [...lefts, 1]);
		walk(tree.right[node]!, [...nodes, node], [...lefts, 0]);
	};
	walk(0, [], []);
	return out;
}

/** Up to this many distinct path features a leaf keeps c(O) for every O in one array. */
const DENSE_FEATURES = 8;

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
