import { seededRandom } from '../stats/random';
import { kthSmallest, sortFloat64 } from '../stats/sort';
import { presentValues } from '../stats/summary';

/**
 * An isolation forest (Liu, Ting & Zhou, ICDM 2008) on the recipe's matrix: random trees of
 * random splits on samples of 256 rows; a row that random splits isolate in few steps lies apart
 * from the rest. Its score is 2^(−E[path] / c(256)): about 0.5 for ordinary rows, towards 1 for
 * rows apart. Linear in the rows, so it audits 100,000 rows in a second or two.
 */

const TREES = 100;
const SAMPLE = 256;

/** The average path length of an unsuccessful search in a binary search tree of n points. */
function averagePath(n: number): number {
	if (n <= 1) return 0;
	if (n === 2) return 1;
	return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

interface Node {
	feature: number;
	threshold: number;
	left: Node | null;
	right: Node | null;
	/** Leaves: rows that reached it (the path is extended by c(size)). */
	size: number;
}

/** Each row's isolation score (0–1); `x` is row-major n × d, NaN read as the column's median. */
export function isolationScores(x: Float32Array, n: number, d: number, seed = 17): Float64Array {
	const random = seededRandom(seed);
	const filled = fillMissing(x, n, d);
	const sample = Math.min(SAMPLE, n);
	const limit = Math.ceil(Math.log2(Math.max(2, sample)));
	const depth = new Float64Array(n);
	const rows = new Int32Array(n);
	for (let t = 0; t < TREES; t++) {
		for (let i = 0; i < n; i++) rows[i] = i;
		// A sample without replacement: a partial Fisher–Yates shuffle.
		for (let i = 0; i < sample; i++) {
			const j = i + Math.floor(random() * (n - i));
			const swap = rows[i]!;
			rows[i] = rows[j]!;
			rows[j] = swap;
		}
		const tree = flatten(grow(filled, d, rows.slice(0, sample), 0, limit, random));
		for (let i = 0; i < n; i++) depth[i]! += pathLength(filled, d, i, tree);
	}
	const c = averagePath(sample);
	return depth.map((total) => Math.pow(2, -total / TREES / c));
}

function grow(
	x: Float64Array,
	d: number,
	rows: Int32Array,
	level: number,
	limit: number,
	random: () => number
): Node {
	if (rows.length <= 1 || level >= limit) return leaf(rows.length);
	// A feature that varies among these rows, at random; none: they cannot be split.
	const order = Array.from({ length: d }, (_, f) => f);
	for (let tries = 0; tries < d; tries++) {
		const pick = tries + Math.floor(random() * (d - tries));
		[order[tries], order[pick]] = [order[pick]!, order[tries]!];
		const f = order[tries]!;
		let lo = Infinity;
		let hi = -Infinity;
		for (const r of rows) {
			const v = x[r * d + f]!;
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		if (!(hi > lo)) continue;
		const threshold = lo + random() * (hi - lo);
		const left = rows.filter((r) => x[r * d + f]! < threshold);
		const right = rows.filter((r) => x[r * d + f]! >= threshold);
		return {
			feature: f,
			threshold,
			left: grow(x, d, left, level + 1, limit, random),
			right: grow(x, d, right, level + 1, limit, random),
			size: rows.length
		};
	}
	return leaf(rows.length);
}

function leaf(size: number): Node {
	return { feature: -1, threshold: 0, left: null, right: null, size };
}

/** A tree as arrays: per node its feature (−1: a leaf), threshold, children, and for a leaf its path length. */
interface FlatTree {
	feature: Int32Array;
	threshold: Float64Array;
	left: Int32Array;
	right: Int32Array;
	/** A leaf's depth plus c(size), the expected rest of the path among the rows it holds. */
	length: Float64Array;
}

/** The tree's nodes numbered depth first, each leaf's whole path length computed once. */
function flatten(root: Node): FlatTree {
	const nodes: { node: Node; depth: number }[] = [];
	const stack = [{ node: root, depth: 0 }];
	while (stack.length) {
		const top = stack.pop()!;
		nodes.push(top);
		if (top.node.left && top.node.right)
			stack.push(
				{ node: top.node.right, depth: top.depth + 1 },
				{ node: top.node.left, depth: top.depth + 1 }
			);
	}
	const index = new Map(nodes.map(({ node }, i) => [node, i]));
	const tree: FlatTree = {
		feature: new Int32Array(nodes.length),
		threshold: new Float64Array(nodes.length),
		left: new Int32Array(nodes.length),
		right: new Int32Array(nodes.length),
		length: new Float64Array(nodes.length)
	};
	nodes.forEach(({ node, depth }, i) => {
		if (node.left && node.right) {
			tree.feature[i] = node.feature;
			tree.threshold[i] = node.threshold;
			tree.left[i] = index.get(node.left)!;
			tree.right[i] = index.get(node.right)!;
		} else {
			tree.feature[i] = -1;
			tree.length[i] = depth + averagePath(node.size);
		}
	});
	return tree;
}

function pathLength(x: Float64Array, d: number, row: number, tree: FlatTree): number {
	let node = 0;
	for (;;) {
		const f = tree.feature[node]!;
		if (f < 0) return tree.length[node]!;
		node = x[row * d + f]! < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
	}
}

/** The matrix as doubles, each missing cell read as its column's median. */
function fillMissing(x: Float32Array, n: number, d: number): Float64Array {
	const out = Float64Array.from(x);
	const column = new Float64Array(n);
	for (let f = 0; f < d; f++) {
		let missing = false;
		for (let i = 0; i < n; i++) {
			column[i] = out[i * d + f]!;
			if (Number.isNaN(column[i]!)) missing = true;
		}
		if (!missing) continue;
		const present = presentValues(column);
		const median = present.length ? kthSmallest(present, present.length >> 1) : 0;
		for (let i = 0; i < n; i++) if (Number.isNaN(out[i * d + f]!)) out[i * d + f] = median;
	}
	return out;
}

/** A robust z this large flags a row (a value, or its isolation score, this far from the bulk). */
export const OUTLIER_Z = 6;
/** At most this share of rows is flagged as outliers, the strongest first. */
export const MAX_OUTLIER_SHARE = 0.01;

/** A row apart from the rest, with how far and why. */
export interface Outlier {
	/** Index into the rows audited. */
	index: number;
	/** The robust z that flagged it: distance from the median in 1.4826 × MAD. */
	score: number;
	reason: string;
}

/**
 * Outliers two ways, each judged against its own bulk by a robust z (median and MAD, so the
 * outliers do not hide themselves by inflating a standard deviation): a single number far from
 * its column's median (the plain case an isolation forest in many dimensions dilutes), and an
 * isolation score far above the other rows' (rows odd in their combination). At most
 * MAX_OUTLIER_SHARE of the rows, the strongest first.
 */
export function findOutliers(
	numbers: { name: string; values: Float64Array }[],
	isolation: Float64Array
): Outlier[] {
	const n = isolation.length;
	const best = new Map<number, Outlier>();
	const offer = (o: Outlier) => {
		const seen = best.get(o.index);
		if (!seen || o.score > seen.score) best.set(o.index, o);
	};
	for (const { name, values } of numbers) {
		const scale = robustScale(values);
		if (!scale) continue;
		for (let i = 0; i < n; i++) {
			const v = values[i]!;
			if (Number.isNaN(v)) continue;
			const z = Math.abs(v - scale.median) / scale.spread;
			if (z >= OUTLIER_Z)
				offer({
					index: i,
					score: z,
					reason: `"${name}" is ${formatNumber(v)}, ${z.toFixed(0)} robust standard deviations ${v > scale.median ? 'above' : 'below'} its median ${formatNumber(scale.median)}.`
				});
		}
	}
	const iso = robustScale(isolation);
	if (iso)
		for (let i = 0; i < n; i++) {
			const z = (isolation[i]! - iso.median) / iso.spread;
			if (z >= OUTLIER_Z)
				offer({
					index: i,
					score: z,
					reason: `Random splits isolate it far sooner than the other rows (isolation score ${isolation[i]!.toFixed(2)}, the median row's ${iso.median.toFixed(2)}): its combination of values is rare.`
				});
		}
	const limit = Math.max(1, Math.floor(n * MAX_OUTLIER_SHARE));
	return [...best.values()].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, limit);
}

/** Median and robust spread (1.4826 × MAD; the mean absolute deviation when half the values tie). */
function robustScale(values: Float64Array): { median: number; spread: number } | null {
	const present = presentValues(values);
	if (present.length < 10) return null;
	const median = kthSmallest(present, present.length >> 1);
	const deviations = present.map((v) => Math.abs(v - median));
	let spread = 1.4826 * kthSmallest(deviations, deviations.length >> 1);
	// (Summed in ascending order, as always: the mean is the same to the last bit.)
	if (!(spread > 0))
		spread = 1.2533 * (sortFloat64(deviations).reduce((a, b) => a + b, 0) / deviations.length);
	return spread > 0 ? { median, spread } : null;
}

function formatNumber(v: number): string {
	return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0)
		? v.toExponential(3)
		: String(+v.toPrecision(6));
}
