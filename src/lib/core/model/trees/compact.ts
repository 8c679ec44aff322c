import type { OneHotGroup } from '../../recipe/types';

/**
 * Native categories for trees. The recipe one-hot encodes a categorical column (every model reads
 * the same matrix); the trees read each one-hot block back as ONE column holding the category's
 * code (the index of the block's 1), so a split can send any subset of the categories left, as
 * scikit-learn's HistGradientBoosting does with `categorical_features`, instead of peeling off
 * one category per split.
 */

/** One feature the trees see: an input column as it is, or a one-hot block read as a code. */
export type TreeFeature =
	{ kind: 'numeric'; column: number } | { kind: 'categorical'; start: number; width: number };

/** Codes above this are never made: a code is a bin, and there are 255 value bins. */
export const MAX_TREE_CATEGORIES = 255;

/**
 * The features the trees see for an input matrix of `inputs` columns with these one-hot blocks:
 * the input order kept, each block in its first column's place. Blocks that overlap, leave the
 * matrix, or are wider than the bins (`maxCategories`) are left as numbers (their one-hot columns).
 */
export function treeLayout(
	inputs: number,
	groups: readonly OneHotGroup[] = [],
	maxCategories = MAX_TREE_CATEGORIES
): TreeFeature[] {
	const starts = new Map<number, OneHotGroup>();
	let end = 0;
	for (const g of [...groups].sort((a, b) => a.start - b.start)) {
		const fits =
			Number.isInteger(g.start) &&
			Number.isInteger(g.width) &&
			g.width >= 2 &&
			g.width <= Math.min(maxCategories, MAX_TREE_CATEGORIES) &&
			g.start >= end &&
			g.start + g.width <= inputs;
		if (fits) {
			starts.set(g.start, g);
			end = g.start + g.width;
		}
	}
	const out: TreeFeature[] = [];
	for (let j = 0; j < inputs;) {
		const g = starts.get(j);
		if (g) {
			out.push({ kind: 'categorical', start: g.start, width: g.width });
			j += g.width;
		} else out.push({ kind: 'numeric', column: j++ });
	}
	return out;
}

/** Whether a layout reads every input as it is (no categorical feature). */
export function isIdentity(layout: readonly TreeFeature[], inputs: number): boolean {
	return layout.length === inputs && layout.every((f) => f.kind === 'numeric');
}

/**
 * The matrix the trees read (row-major, `layout.length` columns) from the input matrix: numbers
 * copied, each one-hot block replaced by the index of its largest entry (its 1). A block with no
 * 1 — a missing category under a recipe that keeps it missing — reads as missing (NaN), which the
 * trees bin apart and send the way each split learned; the same in the runtime and in ONNX.
 */
export function compactRows(
	x: Float32Array,
	inputs: number,
	layout: readonly TreeFeature[]
): Float32Array {
	const n = inputs ? x.length / inputs : 0;
	const d = layout.length;
	const out = new Float32Array(n * d);
	for (let i = 0; i < n; i++) {
		const row = i * inputs;
		for (let f = 0; f < d; f++) {
			const feature = layout[f]!;
			if (feature.kind === 'numeric') out[i * d + f] = x[row + feature.column]!;
			else {
				let best = 0;
				for (let c = 1; c < feature.width; c++)
					if (x[row + feature.start + c]! > x[row + feature.start + best]!) best = c;
				out[i * d + f] = x[row + feature.start + best]! > 0 ? best : NaN;
			}
		}
	}
	return out;
}
