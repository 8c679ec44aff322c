import type { Ensemble } from './boost';
import { coverOf, fillCell, leafTerms, plansOf, preparedRows, type TreePlan } from './shap-plan';
import { treeContributionsRecursive } from './shap-recursive';

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
 *
 * The rows go in chunks, column by column: per tree, one pass per split over the chunk's rows
 * (the side each row takes, or the patterns it passes on), one per unit to build its key, and
 * one per unit feature adding its terms — tight loops over typed arrays, no per-row work between.
 */
export function treeContributions(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { n, outputs, features, width, phi } = preparedRows(ensemble, x);
	const plans = plansOf(ensemble.trees);
	ensemble.trees.forEach((tree, t) => {
		if (plans[t]) return;
		// A pattern is a bit mask: a path of more than 30 distinct features (trees far larger than
		// training makes) takes the recursion instead.
		const k = t % outputs;
		const one = treeContributionsRecursive(
			{ ...ensemble, outputs: 1, baseline: [0], trees: [tree] },
			x
		);
		for (let r = 0; r < n; r++)
			for (let j = 0; j < width; j++) phi[(r * outputs + k) * width + j]! += one[r * width + j]!;
	});
	const nodes = Math.max(1, ...ensemble.trees.map((tree) => tree.feature.length));
	const chunk = Math.max(256, Math.min(CHUNK_ROWS, Math.floor(CHUNK_CELLS / nodes)));
	const rows: ChunkRows = {
		size: chunk,
		count: 0,
		columns: new Float32Array(width * chunk),
		pattern: new Int32Array(nodes * chunk),
		went: new Uint8Array(nodes * chunk),
		key: new Int32Array(chunk),
		phi: new Float64Array(outputs * width * chunk)
	};
	for (let first = 0; first < n; first += chunk) {
		const m = Math.min(chunk, n - first);
		rows.count = m;
		for (let r = 0; r < m; r++)
			for (let j = 0; j < width; j++)
				rows.columns[j * chunk + r] = features[(first + r) * width + j]!;
		rows.phi.fill(0);
		plans.forEach((plan, t) => {
			if (!plan) return;
			splitPasses(plan, rows);
			unitPasses(plan, rows, (t % outputs) * width * chunk);
		});
		for (let k = 0; k < outputs; k++)
			for (let j = 0; j < width; j++) {
				const from = (k * width + j) * chunk;
				for (let r = 0; r < m; r++)
					phi[((first + r) * outputs + k) * width + j]! += rows.phi[from + r]!;
			}
	}
	return phi;
}

/** Rows a chunk holds at most, and the cap on its patterns (nodes × rows) that bounds memory. */
const CHUNK_ROWS = 16384;
const CHUNK_CELLS = 1 << 22;

/**
 * A chunk of rows, column-major (row r of column j at j · size + r): the features, the patterns
 * per node, the side taken per split, a unit's keys, and the contributions per output and feature.
 */
interface ChunkRows {
	size: number;
	count: number;
	columns: Float32Array;
	pattern: Int32Array;
	went: Uint8Array;
	key: Int32Array;
	phi: Float64Array;
}

/**
 * Parents first, each split over the chunk: a split inside a unit records the side each row
 * takes; one above the units passes its pattern to its children, clearing its feature's bit on
 * the side the row does not take. Sides as prediction decides them: a category set, or the
 * threshold, with a missing value going the missing direction.
 */
function splitPasses(plan: TreePlan, rows: ChunkRows): void {
	const { size, count, columns, pattern, went } = rows;
	pattern.fill(-1, 0, count);
	for (let q = 0; q < plan.splits.length; q++) {
		const col = plan.splitFeature[q]! * size;
		const set = plan.splitCategories[q];
		const missingLeft = plan.missingLeft[q] === 1;
		const threshold = plan.threshold[q]!;
		if (plan.inside[q]) {
			const at = q * size;
			if (set) sidesByCategory(columns, col, set, missingLeft, went, at, count);
			else sidesByThreshold(columns, col, threshold, missingLeft, went, at, count);
		} else {
			const from = plan.splits[q]! * size;
			const left = plan.leftChild[q]! * size;
			const right = plan.rightChild[q]! * size;
			const bit = plan.bit[q]!;
			if (set)
				patternsByCategory(columns, col, set, missingLeft, pattern, from, left, right, bit, count);
			else
				patternsByThreshold(
					columns,
					col,
					threshold,
					missingLeft,
					pattern,
					from,
					left,
					right,
					bit,
					count
				);
		}
	}
}

/**
 * Per unit: each row's key (the pattern at the unit's root, then its splits' sides), the table
 * cells no row needed before filled, and per unit feature its terms added to the chunk's
 * contributions (`out`: where this tree's output starts among them).
 */
function unitPasses(plan: TreePlan, rows: ChunkRows, out: number): void {
	const { size, count, pattern, went, key, phi } = rows;
	const { unitNode, mask, splitStart, unitSplits, featureStart, pathFeatures } = plan;
	const { tableStart, keys, table, filled } = plan;
	for (let u = 0; u < unitNode.length; u++) {
		const from = featureStart[u]!;
		const d = featureStart[u + 1]! - from;
		const root = unitNode[u]! * size;
		const start = tableStart[u]!;
		if (start < 0) {
			// A single leaf with a long path: its terms per pattern, remembered.
			const leaf = plan.units[u]!.leaves[0]!.leaf;
			for (let r = 0; r < count; r++) {
				const terms = leafTerms(leaf, pattern[root + r]! & mask[u]!);
				for (let i = 0; i < d; i++) phi[out + pathFeatures[from + i]! * size + r]! += terms[i]!;
			}
			continue;
		}
		keysAt(pattern, root, mask[u]!, key, count);
		for (let s = splitStart[u]!; s < splitStart[u + 1]!; s++)
			shiftIn(key, went, unitSplits[s]! * size, count);
		for (let r = 0; r < count; r++) if (!filled[start + key[r]!]) fillCell(plan, u, key[r]!);
		for (let i = 0; i < d; i++)
			gatherAdd(phi, out + pathFeatures[from + i]! * size, table, start + i * keys[u]!, key, count);
	}
}

// The passes' inner loops, each a small function of typed arrays that the engine compiles tight.
// A split above the units decides its sides and passes its patterns in one loop (by category, by
// threshold): writing the sides first and the patterns from them in a second pass measured 20 %
// slower over the whole explanation.

function sidesByCategory(
	columns: Float32Array,
	col: number,
	set: Uint8Array,
	missingLeft: boolean,
	went: Uint8Array,
	at: number,
	count: number
): void {
	for (let r = 0; r < count; r++) {
		const v = columns[col + r]!;
		went[at + r] = (v === v ? set[v] === 1 : missingLeft) ? 1 : 0;
	}
}

function sidesByThreshold(
	columns: Float32Array,
	col: number,
	threshold: number,
	missingLeft: boolean,
	went: Uint8Array,
	at: number,
	count: number
): void {
	// A missing value fails both comparisons: `!(v > t)` sends it left, `v <= t` right.
	if (missingLeft)
		for (let r = 0; r < count; r++) went[at + r] = columns[col + r]! > threshold ? 0 : 1;
	else for (let r = 0; r < count; r++) went[at + r] = columns[col + r]! <= threshold ? 1 : 0;
}

function patternsByCategory(
	columns: Float32Array,
	col: number,
	set: Uint8Array,
	missingLeft: boolean,
	pattern: Int32Array,
	from: number,
	left: number,
	right: number,
	bit: number,
	count: number
): void {
	for (let r = 0; r < count; r++) {
		const v = columns[col + r]!;
		const goesLeft = v === v ? set[v] === 1 : missingLeft;
		const p = pattern[from + r]!;
		pattern[left + r] = goesLeft ? p : p & bit;
		pattern[right + r] = goesLeft ? p & bit : p;
	}
}

function patternsByThreshold(
	columns: Float32Array,
	col: number,
	threshold: number,
	missingLeft: boolean,
	pattern: Int32Array,
	from: number,
	left: number,
	right: number,
	bit: number,
	count: number
): void {
	for (let r = 0; r < count; r++) {
		const v = columns[col + r]!;
		const goesLeft = missingLeft ? !(v > threshold) : v <= threshold;
		const p = pattern[from + r]!;
		pattern[left + r] = goesLeft ? p : p & bit;
		pattern[right + r] = goesLeft ? p & bit : p;
	}
}

function keysAt(
	pattern: Int32Array,
	root: number,
	mask: number,
	key: Int32Array,
	count: number
): void {
	for (let r = 0; r < count; r++) key[r] = pattern[root + r]! & mask;
}

function shiftIn(key: Int32Array, went: Uint8Array, at: number, count: number): void {
	for (let r = 0; r < count; r++) key[r] = (key[r]! << 1) | went[at + r]!;
}

function gatherAdd(
	out: Float64Array,
	at: number,
	table: Float64Array,
	cells: number,
	key: Int32Array,
	count: number
): void {
	for (let r = 0; r < count; r++) out[at + r]! += table[cells + key[r]!]!;
}
