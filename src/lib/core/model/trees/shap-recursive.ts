import type { Ensemble } from './boost';
import type { Tree } from './grow';
import { coverOf, preparedRows } from './shap-plan';

/**
 * Path-dependent TreeSHAP by Algorithm 2's recursion (Lundberg, Erion & Lee 2018), the paper's
 * form, O(leaves · depth²) per row and tree: the reference `treeContributions` is tested against,
 * and the way for a tree whose paths are too long for its plan.
 */
export function treeContributionsRecursive(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { n, outputs, features, width, phi } = preparedRows(ensemble, x);
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
