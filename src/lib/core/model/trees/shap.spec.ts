import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../stats/random';
import { DEFAULT_GBDT } from '../spec';
import type { Task } from '../task';
import { fitEnsemble, rawScores, type Ensemble } from './boost';
import { compactRows } from './compact';
import { readTrees, treesSaved } from './files';
import type { Tree } from './grow';
import { expectedScores, treeContributions } from './shap';
import { treeContributionsRecursive } from './shap-recursive';

/**
 * A small table: 3 numbers (one with missing cells) and a one-hot block of 3 categories (a row
 * with no 1 is a missing category), so the trees split by thresholds, category sets and the
 * missing direction.
 */
function data(task: Task, n = 300) {
	const random = seededRandom(17);
	const d = 6;
	const x = new Float32Array(n * d);
	const y = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const a = random() * 2 - 1;
		const b = random() < 0.15 ? NaN : random() * 2 - 1;
		const c = random() * 2 - 1;
		const code = random() < 0.1 ? -1 : Math.floor(random() * 3);
		x.set([a, b, c, code === 0 ? 1 : 0, code === 1 ? 1 : 0, code === 2 ? 1 : 0], i * d);
		const score = 1.5 * a + (b === b ? b : 0.8) * (code === 1 ? -1 : 1) + 0.3 * c;
		y[i] =
			task === 'regression'
				? score + 0.1 * random()
				: task === 'binary'
					? Number(score > 0)
					: score < -0.5
						? 0
						: score < 0.5
							? 1
							: 2;
	}
	const empty = new Float32Array(0);
	return {
		fit: {
			x,
			y,
			xVal: empty,
			yVal: empty,
			inputs: d,
			classes: task === 'multiclass' ? 3 : 2,
			groups: [{ column: 'code', start: 3, width: 3 }]
		},
		x
	};
}

/** v(S): the path-dependent expectation of one tree given the features in S (a bit mask). */
function valueOf(tree: Tree, x: Float32Array, at: number, known: number, node = 0): number {
	const f = tree.feature[node]!;
	if (f < 0) return tree.value[node]!;
	const [l, r] = [tree.left[node]!, tree.right[node]!];
	if (known & (1 << f)) {
		const v = x[at + f]!;
		const set = tree.categories[node];
		const left =
			v !== v ? tree.missingLeft[node] === 1 : set ? set[v] === 1 : v <= tree.threshold[node]!;
		return valueOf(tree, x, at, known, left ? l : r);
	}
	const cover = tree.cover!;
	return (
		(cover[l]! * valueOf(tree, x, at, known, l) + cover[r]! * valueOf(tree, x, at, known, r)) /
		cover[node]!
	);
}

/** Shapley values by enumerating every coalition (M ≤ 10 features). */
function bruteForce(ensemble: Ensemble, x: Float32Array, row: number): Float64Array {
	const width = ensemble.layout ? ensemble.layout.length : ensemble.inputs;
	const features = ensemble.layout ? compactRows(x, ensemble.inputs, ensemble.layout) : x;
	const at = row * width;
	const k = ensemble.outputs;
	const factorial = (m: number): number => (m <= 1 ? 1 : m * factorial(m - 1));
	const phi = new Float64Array(k * width);
	const v = (known: number, out: number) =>
		ensemble.trees.reduce(
			(sum, tree, t) => (t % k === out ? sum + valueOf(tree, features, at, known) : sum),
			0
		);
	for (let out = 0; out < k; out++)
		for (let i = 0; i < width; i++)
			for (let s = 0; s < 1 << width; s++) {
				if (s & (1 << i)) continue;
				const size = s.toString(2).replace(/0/g, '').length;
				const weight = (factorial(size) * factorial(width - size - 1)) / factorial(width);
				phi[out * width + i]! += weight * (v(s | (1 << i), out) - v(s, out));
			}
	return phi;
}

describe('exact TreeSHAP', () => {
	it.each(['binary', 'multiclass', 'regression'] as Task[])(
		'equals brute-force Shapley values and adds up to the raw score (%s)',
		async (task) => {
			const { fit, x } = data(task);
			const { ensemble } = await fitEnsemble(
				fit,
				{ ...DEFAULT_GBDT, maxIterations: 6, maxLeaves: 8, minSamplesLeaf: 5, patience: 0 },
				task
			);
			expect(ensemble.layout).not.toBeNull();
			// Covers survive a save and a load (trees.json version 3).
			const loaded = readTrees(treesSaved(ensemble));
			const phi = treeContributions(loaded, x);
			const recursive = treeContributionsRecursive(loaded, x);
			phi.forEach((v, i) => expect(Math.abs(v - recursive[i]!)).toBeLessThan(1e-9));
			const base = expectedScores(loaded);
			const raw = rawScores(loaded, x);
			const width = loaded.layout!.length;
			const k = loaded.outputs;
			for (const row of [0, 1, 7, 42, 99]) {
				const exact = bruteForce(loaded, x, row);
				for (let j = 0; j < k * width; j++)
					expect(Math.abs(phi[row * k * width + j]! - exact[j]!)).toBeLessThan(1e-9);
			}
			for (let row = 0; row < x.length / fit.inputs; row++)
				for (let out = 0; out < k; out++) {
					let sum = base[out]!;
					for (let j = 0; j < width; j++) sum += phi[(row * k + out) * width + j]!;
					expect(Math.abs(sum - raw[row * k + out]!)).toBeLessThan(1e-9);
				}
		}
	);

	it('agrees with the recursion on deep trees whose paths hold more than 8 features', async () => {
		const random = seededRandom(23);
		const n = 3000;
		const d = 14;
		const x = new Float32Array(n * d);
		const y = new Float32Array(n);
		for (let i = 0; i < n; i++) {
			let score = 0;
			for (let j = 0; j < d; j++) {
				const v = random() * 2 - 1;
				x[i * d + j] = v;
				score += (j % 2 ? -1 : 1) * v * (1 + j / 7);
			}
			y[i] = score + 0.2 * (random() - 0.5);
		}
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: new Float32Array(0), yVal: new Float32Array(0), inputs: d, classes: 1 },
			{ ...DEFAULT_GBDT, maxIterations: 3, maxLeaves: 255, minSamplesLeaf: 2, patience: 0 },
			'regression'
		);
		const loaded = readTrees(treesSaved(ensemble));
		// Some leaf's path holds more than 8 distinct features: its terms are remembered per pattern.
		const deepest = Math.max(
			...loaded.trees.map((t) => {
				let most = 0;
				const walk = (node: number, seen: Set<number>) => {
					if (t.feature[node]! < 0) most = Math.max(most, seen.size);
					else
						for (const child of [t.left[node]!, t.right[node]!])
							walk(child, new Set([...seen, t.feature[node]!]));
				};
				walk(0, new Set());
				return most;
			})
		);
		expect(deepest).toBeGreaterThan(8);
		const rows = x.subarray(0, 300 * d);
		const fast = treeContributions(loaded, rows);
		const recursive = treeContributionsRecursive(loaded, rows);
		fast.forEach((v, i) => expect(Math.abs(v - recursive[i]!)).toBeLessThan(1e-9));
	});

	it('gives the same values past a chunk of rows, and again from the kept plans', async () => {
		// 17,000 rows: more than one chunk (16,384), so the second chunk's rows and their
		// contributions' places are checked; a second call reads the tables the first filled.
		const { fit, x } = data('multiclass', 17_000);
		const { ensemble } = await fitEnsemble(
			fit,
			{ ...DEFAULT_GBDT, maxIterations: 3, maxLeaves: 8, patience: 0 },
			'multiclass'
		);
		const loaded = readTrees(treesSaved(ensemble));
		const recursive = treeContributionsRecursive(loaded, x);
		for (const phi of [treeContributions(loaded, x), treeContributions(loaded, x)]) {
			expect(phi.length).toBe(recursive.length);
			let worst = 0;
			phi.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - recursive[i]!))));
			expect(worst).toBeLessThan(1e-9);
		}
		// A batch of the last rows alone equals their rows in the whole.
		const d = fit.inputs;
		const tail = treeContributions(loaded, x.subarray(16_380 * d));
		const width = loaded.layout!.length * loaded.outputs;
		tail.forEach((v, i) => expect(v).toBeCloseTo(recursive[16_380 * width + i]!, 9));
	});

	it('refuses, with the reason, trees saved without covers', async () => {
		const { fit, x } = data('binary', 100);
		const { ensemble } = await fitEnsemble(fit, { ...DEFAULT_GBDT, maxIterations: 2 }, 'binary');
		const old = { ...ensemble, trees: ensemble.trees.map((t) => ({ ...t, cover: undefined })) };
		expect(() => treeContributions(old, x)).toThrow(/before version 3/);
		// A tampered cover (a split's count not its children's sum) is refused on reading.
		const saved = treesSaved(ensemble);
		const json = JSON.parse(new TextDecoder().decode(saved.files['trees.json']));
		json.trees[0].cover[0] += 5;
		saved.files['trees.json'] = new TextEncoder().encode(JSON.stringify(json));
		expect(() => readTrees(saved)).toThrow(/node 0's cover is not the sum of its children's/);
	});
});
