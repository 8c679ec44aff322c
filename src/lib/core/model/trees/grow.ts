import type { BinMap } from './binning';
import type { NodeRows } from './rows';

/**
 * One regression tree on gradients and hessians, grown best-first (leaf-wise) on histograms, as
 * scikit-learn's `TreeGrower`: the leaf with the largest gain splits next, until `maxLeaves`.
 * A node's histogram is built from its rows only for the smaller child; the larger child's is the
 * parent's minus it (the subtraction trick). Missing values go to the side that gains more.
 */

/** A tree in flat arrays; node 0 is the root, children always come after their parent. */
export interface Tree {
	/** Split feature per node; -1 for a leaf. */
	feature: Int32Array;
	/** Split threshold per node: `x <= threshold` goes left (float32-exact). */
	threshold: Float32Array;
	/** Per split node: missing values go left (1) or right (0). */
	missingLeft: Uint8Array;
	left: Int32Array;
	right: Int32Array;
	/** Leaf value per node (the learning rate already applied); 0 for split nodes. */
	value: Float64Array;
	/** Gain of the split per node (0 for leaves), for gain importance. */
	gain: Float64Array;
	/**
	 * Per node: for a split on category codes, 1 for each code that goes left (the rest go
	 * right); null for a split on a number (and for leaves).
	 */
	categories: (Uint8Array | null)[];
	/**
	 * Training rows that reached each node (TreeSHAP's cover). Absent in files written before
	 * trees.json version 3.
	 */
	cover?: Float64Array;
}

export interface GrowOptions {
	maxLeaves: number;
	minSamplesLeaf: number;
	l2: number;
	learningRate: number;
	/** A child needs at least this much hessian (sklearn's `min_hessian_to_split`). */
	minHessian: number;
}

interface Split {
	gain: number;
	feature: number;
	bin: number;
	missingLeft: boolean;
	/** Sums of the left child. */
	gLeft: number;
	hLeft: number;
	nLeft: number;
	/** A split on codes: 1 for each code (bin) that goes left. */
	set: Uint8Array | null;
}

/** The most a leaf moves a raw score (log-odds, or scaled value), after shrinkage. */
export const MAX_LEAF_STEP = 5;

/** A category takes part in a split only with this many rows (sklearn's MIN_CAT_SUPPORT). */
const MIN_CATEGORY_ROWS = 10;
/** At most this many categories on the left of a split, each way (sklearn's MAX_CAT_THRESHOLD). */
const MAX_LEFT_CATEGORIES = 32;

interface Leaf {
	node: number;
	/** How many training rows the leaf holds. */
	count: number;
	g: number;
	h: number;
	/** Histogram: per feature and bin, [sum of gradients, sum of hessians, rows], interleaved. */
	hist: Float64Array;
	split: Split | null;
}

/** The training problem a grower sees: the rows and the bins of its features. */
export interface GrowData {
	rows: NodeRows;
	inputs: number;
	map: BinMap;
}

/**
 * Grows one tree for the gradients and hessians `gh` of every row (float32, interleaved:
 * `gh[2i]`, `gh[2i + 1]`, as sklearn keeps them; sums are float64). With the tree come its leaves
 * (node indices); `data.rows.leafRows(leaves)` gives each leaf's rows, so the caller adds each
 * leaf's value to its rows' scores without walking the tree.
 */
export function growTree(
	data: GrowData,
	gh: Float32Array,
	options: GrowOptions
): { tree: Tree; leaves: Int32Array } {
	const { rows, inputs, map } = data;
	const width = map.missingBin + 1;
	const maxNodes = 2 * options.maxLeaves - 1;
	const feature = new Int32Array(maxNodes).fill(-1);
	const threshold = new Float32Array(maxNodes);
	const missingLeft = new Uint8Array(maxNodes);
	const left = new Int32Array(maxNodes).fill(-1);
	const right = new Int32Array(maxNodes).fill(-1);
	const value = new Float64Array(maxNodes);
	const gain = new Float64Array(maxNodes);
	const cover = new Float64Array(maxNodes);
	const categories: (Uint8Array | null)[] = new Array<Uint8Array | null>(maxNodes).fill(null);
	let nodes = 1;

	const score = (gs: number, hs: number) => (gs * gs) / (hs + options.l2);

	const { minSamplesLeaf, minHessian, l2 } = options;

	/**
	 * The best split of a leaf, or null. The hottest loop of the fit (every feature and bin of
	 * every leaf), so the running best is kept in locals and a Split is made once, at the end.
	 */
	const findSplit = (leaf: Leaf): Split | null => {
		const count = leaf.count;
		if (count < 2 * minSamplesLeaf) return null;
		const hist = leaf.hist;
		const G = leaf.g;
		const H = leaf.h;
		const parent = score(G, H);
		let bestGain = 1e-7;
		let bestFeature = -1;
		let bestBin = 0;
		let bestMissingLeft = false;
		let bestG = 0;
		let bestH = 0;
		let bestN = 0;
		let bestSet: Split | null = null;
		for (let j = 0; j < inputs; j++) {
			const bins = map.bins[j]!;
			const at = j * width * 3;
			if (map.categorical[j]) {
				const s = categorySplit(leaf, hist, at, bins, count, parent, j, bestGain);
				if (s) {
					bestSet = s;
					bestGain = s.gain;
					bestFeature = -1;
				}
				continue;
			}
			const miss = at + map.missingBin * 3;
			const mg = hist[miss]!;
			const mh = hist[miss + 1]!;
			const mc = hist[miss + 2]!;
			if (bins < 2 && mc === 0) continue;
			// Scan value bins left to right; the missing rows go right, then (if any) left. The left
			// side only grows: skip until it holds enough rows, stop once the right side cannot.
			let gl = 0;
			let hl = 0;
			let cl = 0;
			for (let b = 0, k = at; b < bins - 1; b++, k += 3) {
				gl += hist[k]!;
				hl += hist[k + 1]!;
				cl += hist[k + 2]!;
				if (count - cl < minSamplesLeaf) break;
				if (cl >= minSamplesLeaf) {
					const hr = H - hl;
					if (hl >= minHessian && hr >= minHessian) {
						const gr = G - gl;
						const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
						if (gain > bestGain) {
							bestGain = gain;
							bestFeature = j;
							bestBin = b;
							bestMissingLeft = false;
							bestG = gl;
							bestH = hl;
							bestN = cl;
						}
					}
				}
				if (mc > 0 && cl + mc >= minSamplesLeaf && count - cl - mc >= minSamplesLeaf) {
					const gL = gl + mg;
					const hL = hl + mh;
					const hr = H - hL;
					if (hL >= minHessian && hr >= minHessian) {
						const gr = G - gL;
						const gain = (gL * gL) / (hL + l2) + (gr * gr) / (hr + l2) - parent;
						if (gain > bestGain) {
							bestGain = gain;
							bestFeature = j;
							bestBin = b;
							bestMissingLeft = true;
							bestG = gL;
							bestH = hL;
							bestN = cl + mc;
						}
					}
				}
			}
			// All values to one side, the missing rows to the other.
			if (mc > 0 && bins >= 1) {
				const cL = count - mc;
				const hL = H - mh;
				if (cL >= minSamplesLeaf && mc >= minSamplesLeaf && hL >= minHessian && mh >= minHessian) {
					const gain = score(G - mg, hL) + score(mg, mh) - parent;
					if (gain > bestGain) {
						bestGain = gain;
						bestFeature = j;
						bestBin = bins - 1;
						bestMissingLeft = false;
						bestG = G - mg;
						bestH = hL;
						bestN = cL;
					}
				}
			}
		}
		if (bestFeature >= 0)
			return {
				gain: bestGain,
				feature: bestFeature,
				bin: bestBin,
				missingLeft: bestMissingLeft,
				gLeft: bestG,
				hLeft: bestH,
				nLeft: bestN,
				set: null
			};
		return bestSet;
	};

	/**
	 * The best split of a code feature, as LightGBM and sklearn find it: the categories with
	 * enough rows, sorted by gradient / (hessian + smoothing), then every prefix of that order
	 * (from either end, at most MAX_LEFT_CATEGORIES long) as the left set.
	 */
	const categorySplit = (
		leaf: Leaf,
		hist: Float64Array,
		at: number,
		bins: number,
		count: number,
		parent: number,
		j: number,
		floor: number
	): Split | null => {
		const used: number[] = [];
		for (let b = 0; b < bins; b++) if (hist[at + b * 3 + 2]! >= MIN_CATEGORY_ROWS) used.push(b);
		// A missing category is one more category, in its own bin (sklearn's rule): it takes its
		// place in the order and goes left when its bin falls in the left set; with too few rows
		// to take part, it goes right with the rest.
		if (hist[at + map.missingBin * 3 + 2]! >= MIN_CATEGORY_ROWS) used.push(map.missingBin);
		if (used.length < 2) return null;
		const ratio = (b: number) => hist[at + b * 3]! / (hist[at + b * 3 + 1]! + MIN_CATEGORY_ROWS);
		used.sort((a, b) => ratio(a) - ratio(b) || a - b);
		const most = Math.min(MAX_LEFT_CATEGORIES, (used.length + 1) >> 1);
		let best: { gain: number; from: number; size: number; g: number; h: number; c: number } | null =
			null;
		for (const direction of [1, -1]) {
			let gl = 0;
			let hl = 0;
			let cl = 0;
			for (let i = 0; i < most; i++) {
				const b = used[direction === 1 ? i : used.length - 1 - i]!;
				gl += hist[at + b * 3]!;
				hl += hist[at + b * 3 + 1]!;
				cl += hist[at + b * 3 + 2]!;
				if (cl < minSamplesLeaf || hl < minHessian) continue;
				const cR = count - cl;
				const hR = leaf.h - hl;
				if (cR < minSamplesLeaf || hR < minHessian) break;
				const gainHere = score(gl, hl) + score(leaf.g - gl, hR) - parent;
				if (gainHere > (best?.gain ?? floor))
					best = { gain: gainHere, from: direction, size: i + 1, g: gl, h: hl, c: cl };
			}
		}
		if (!best) return null;
		const set = new Uint8Array(bins);
		let missingLeft = false;
		for (let i = 0; i < best.size; i++) {
			const b = used[best.from === 1 ? i : used.length - 1 - i]!;
			if (b === map.missingBin) missingLeft = true;
			else set[b] = 1;
		}
		return {
			gain: best.gain,
			feature: j,
			bin: -1,
			missingLeft,
			gLeft: best.g,
			hLeft: best.h,
			nLeft: best.c,
			set
		};
	};

	// A Newton step is −G / H: on a leaf whose rows the model already gets confidently wrong (a
	// class of a few rows, probabilities near 0 or 1) H is tiny and the step explodes — leaves of
	// ±30 to ±760 in log-odds on bird strikes, the training loss climbing from 0.32 to 0.94 and every
	// row ending up one class. Each tree moves a raw score by at most MAX_LEAF_STEP (XGBoost's
	// max_delta_step); ordinary leaves stay far inside it.
	const leafValue = (gs: number, hs: number) => {
		const v = (-gs / (hs + options.l2)) * options.learningRate;
		return Math.max(-MAX_LEAF_STEP, Math.min(MAX_LEAF_STEP, v));
	};

	const rootHist = rows.start(gh);
	// The root's sums from its histogram: every row lies in one bin of feature 0.
	let rootG = 0;
	let rootH = 0;
	let rootCount = 0;
	for (let b = 0; b < width; b++) {
		rootG += rootHist[b * 3]!;
		rootH += rootHist[b * 3 + 1]!;
		rootCount += rootHist[b * 3 + 2]!;
	}
	const root: Leaf = { node: 0, count: rootCount, g: rootG, h: rootH, hist: rootHist, split: null };
	cover[0] = rootCount;
	root.split = findSplit(root);
	const open: Leaf[] = [root];
	let leaves = 1;
	while (leaves < options.maxLeaves) {
		let bestAt = -1;
		for (let i = 0; i < open.length; i++) {
			const s = open[i]!.split;
			if (s && (bestAt < 0 || s.gain > open[bestAt]!.split!.gain)) bestAt = i;
		}
		if (bestAt < 0) break;
		const leaf = open.splice(bestAt, 1)[0]!;
		const s = leaf.split!;
		const l = nodes++;
		const r = nodes++;
		feature[leaf.node] = s.feature;
		const edges = map.edges[s.feature]!;
		// Bin b's upper edge; the last value bin (all values left) has none: +∞ keeps them left.
		threshold[leaf.node] = s.set ? 0 : s.bin < edges.length ? edges[s.bin]! : Infinity;
		categories[leaf.node] = s.set;
		missingLeft[leaf.node] = s.missingLeft ? 1 : 0;
		left[leaf.node] = l;
		right[leaf.node] = r;
		gain[leaf.node] = s.gain;
		cover[l] = s.nLeft;
		cover[r] = leaf.count - s.nLeft;
		// The rows are partitioned; the smaller child's histogram is built from its rows, the
		// other is the parent's minus it (the subtraction trick).
		const nRight = leaf.count - s.nLeft;
		const leftSmaller = s.nLeft <= nRight;
		const small = rows.split(leaf.node, l, r, s, leftSmaller);
		const large = leaf.hist;
		rows.subtract(large, small);
		const leftChild: Leaf = {
			node: l,
			count: s.nLeft,
			g: s.gLeft,
			h: s.hLeft,
			hist: leftSmaller ? small : large,
			split: null
		};
		const rightChild: Leaf = {
			node: r,
			count: nRight,
			g: leaf.g - s.gLeft,
			h: leaf.h - s.hLeft,
			hist: leftSmaller ? large : small,
			split: null
		};
		leaves++;
		for (const child of [leftChild, rightChild]) {
			child.split = leaves < options.maxLeaves ? findSplit(child) : null;
			open.push(child);
		}
	}
	for (const leaf of open) {
		rows.giveHistogram(leaf.hist);
		value[leaf.node] = leafValue(leaf.g, leaf.h);
	}
	return {
		leaves: Int32Array.from(open, (leaf) => leaf.node),
		tree: {
			feature: feature.slice(0, nodes),
			threshold: threshold.slice(0, nodes),
			missingLeft: missingLeft.slice(0, nodes),
			left: left.slice(0, nodes),
			right: right.slice(0, nodes),
			value: value.slice(0, nodes),
			gain: gain.slice(0, nodes),
			categories: categories.slice(0, nodes),
			cover: cover.slice(0, nodes)
		}
	};
}

/** The raw score of one row (row-major `x`, float32 values, NaN missing) under a tree. */
export function treeValue(tree: Tree, x: Float32Array, at: number): number {
	let node = 0;
	for (;;) {
		const f = tree.feature[node]!;
		if (f < 0) return tree.value[node]!;
		const v = x[at + f]!;
		const set = tree.categories[node];
		if (set && v === v) {
			node = set[v] === 1 ? tree.left[node]! : tree.right[node]!;
			continue;
		}
		node =
			v !== v
				? tree.missingLeft[node]
					? tree.left[node]!
					: tree.right[node]!
				: v <= tree.threshold[node]!
					? tree.left[node]!
					: tree.right[node]!;
	}
}

/** Whether a tree has no split on codes: `numericTreeValue` walks it. */
export function isNumericTree(tree: Tree): boolean {
	return tree.categories.every((c) => c === null);
}

/** `treeValue` for a tree with no split on codes (`isNumericTree`). */
export function numericTreeValue(tree: Tree, x: Float32Array, at: number): number {
	const { feature, threshold, left, right, missingLeft, value } = tree;
	let node = 0;
	for (;;) {
		const f = feature[node]!;
		if (f < 0) return value[node]!;
		const v = x[at + f]!;
		// A missing value fails `<=`, then goes the way the split learned.
		node =
			v <= threshold[node]!
				? left[node]!
				: v !== v && missingLeft[node]
					? left[node]!
					: right[node]!;
	}
}
