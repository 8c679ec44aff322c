import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../stats/random';
import { DEFAULT_GBDT } from '../spec';
import { fitEnsemble, rawScores, type Ensemble } from './boost';
import { compactRows } from './compact';
import { treeValue, type Tree } from './grow';
import { compileTrees } from './wasm-scorer';

const empty = new Float32Array(0);

/** The scores as a plain walk sums them: the baseline, then every tree in order. */
function walked(ensemble: Ensemble, x: Float32Array): Float64Array {
	const { inputs, outputs, layout } = ensemble;
	const n = x.length / inputs;
	const features = layout ? compactRows(x, inputs, layout) : x;
	const width = layout ? layout.length : inputs;
	const out = new Float64Array(n * outputs);
	for (let i = 0; i < n; i++)
		for (let k = 0; k < outputs; k++) out[i * outputs + k] = ensemble.baseline[k]!;
	ensemble.trees.forEach((tree, t) => {
		for (let i = 0; i < n; i++)
			out[i * outputs + (t % outputs)]! += treeValue(tree, features, i * width);
	});
	return out;
}

/** Rows with a one-hot block of 6 categories (some rows in none: missing), numbers with gaps. */
function mixedTable(n: number, seed: number) {
	const random = seededRandom(seed);
	const inputs = 6 + 5;
	const x = new Float32Array(n * inputs);
	const y = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const c = Math.floor(random() * 7); // 6 means missing: no 1 in the block
		if (c < 6) x[i * inputs + c] = 1;
		for (let j = 0; j < 5; j++) x[i * inputs + 6 + j] = random() < 0.1 ? NaN : (random() - 0.5) * 4;
		const a = x[i * inputs + 6]!;
		const z = (c % 3) - 1 + (a === a ? a : 1.5) + (x[i * inputs + 7]! > 0 ? 1 : 0);
		y[i] = z + random() < 0.3 ? 0 : z + random() < 1.5 ? 1 : 2;
	}
	return { x, y, inputs };
}

function firstDifference(a: Float64Array, b: Float64Array): string | null {
	if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
	for (let i = 0; i < a.length; i++)
		if (!Object.is(a[i], b[i])) return `at ${i}: ${a[i]} and ${b[i]}`;
	return null;
}

describe('trees compiled to WebAssembly', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('scores as the walk does, to the bit: three classes, a category block, missing values, rows not a multiple of four', async () => {
		const { x, y, inputs } = mixedTable(6001, 3);
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: empty, yVal: empty, inputs, classes: 3, groups: [{ start: 0, width: 6 }] },
			{ ...DEFAULT_GBDT, maxIterations: 30, maxLeaves: 31, patience: 0 },
			'multiclass'
		);
		expect(ensemble.layout?.[0]?.kind).toBe('categorical');
		expect(ensemble.trees.some((t) => t.categories.some((c) => c !== null))).toBe(true);
		expect(ensemble.trees.some((t) => t.missingLeft.some((m) => m === 1))).toBe(true);
		const features = compactRows(x, inputs, ensemble.layout!);
		expect(compileTrees(ensemble.trees, 3, ensemble.layout!.length)).not.toBeNull();
		expect(features.length).toBe(6001 * ensemble.layout!.length);
		expect(firstDifference(rawScores(ensemble, x), walked(ensemble, x))).toBeNull();
		// A second call reuses the compiled trees; the same answer.
		expect(firstDifference(rawScores(ensemble, x), walked(ensemble, x))).toBeNull();
	});

	it('walks what it cannot compile, in the trees’ order: more than 32 leaves between compiled trees', async () => {
		const { x, y, inputs } = mixedTable(4000, 5);
		const big = await fitEnsemble(
			{ x, y: y.map((v) => (v > 0 ? 1 : 0)), xVal: empty, yVal: empty, inputs, classes: 2 },
			{ ...DEFAULT_GBDT, maxIterations: 6, maxLeaves: 63, minSamplesLeaf: 5, patience: 0 },
			'binary'
		);
		const small = await fitEnsemble(
			{ x, y: y.map((v) => (v > 0 ? 1 : 0)), xVal: empty, yVal: empty, inputs, classes: 2 },
			{ ...DEFAULT_GBDT, maxIterations: 6, maxLeaves: 8, patience: 0 },
			'binary'
		);
		const leaves = (t: Tree) => t.feature.filter((f) => f < 0).length;
		expect(big.ensemble.trees.some((t) => leaves(t) > 32)).toBe(true);
		const mixed: Ensemble = {
			...small.ensemble,
			trees: small.ensemble.trees.flatMap((t, i) => [t, big.ensemble.trees[i]!])
		};
		expect(firstDifference(rawScores(mixed, x), walked(mixed, x))).toBeNull();
	});

	it('decides edge values as the walk does: infinities, unknown and fractional codes, a many-code set, a tree without a split', () => {
		// Feature 0 is a code, feature 1 a number. Tree 0: code in {1, 3} left (missing left);
		// tree 1: number <= 0.5, then <= Infinity (missing right in both); tree 2: a set of 40 codes
		// (walked); tree 3: a single leaf.
		const node = (
			feature: number[],
			threshold: number[],
			left: number[],
			right: number[],
			value: number[],
			categories: (Uint8Array | null)[],
			missingLeft: number[]
		): Tree => ({
			feature: Int32Array.from(feature),
			threshold: Float32Array.from(threshold),
			left: Int32Array.from(left),
			right: Int32Array.from(right),
			value: Float64Array.from(value),
			gain: new Float64Array(feature.length),
			categories,
			missingLeft: Uint8Array.from(missingLeft)
		});
		// A split on the code (feature 0): the codes of `set` go left to `left`, others right.
		const stump = (set: Uint8Array, left: number, right: number, missingLeft: number) =>
			node(
				[0, -1, -1],
				[0, 0, 0],
				[1, -1, -1],
				[2, -1, -1],
				[0, left, right],
				[set, null, null],
				[missingLeft, 0, 0]
			);
		const codes = new Uint8Array(5);
		codes[1] = codes[3] = 1;
		const many = new Uint8Array(60);
		for (let c = 0; c < 40; c++) many[c] = 1;
		const trees: Tree[] = [
			stump(codes, 1, 2, 1),
			node(
				[1, -1, 1, -1, -1],
				[0.5, 0, Infinity, 0, 0],
				[1, -1, 3, -1, -1],
				[2, -1, 4, -1, -1],
				[0, 10, 0, 20, 30],
				[null, null, null, null, null],
				[0, 0, 0, 0, 0]
			),
			stump(many, 100, 200, 0),
			node([-1], [0], [-1], [-1], [1000], [null], [0])
		];
		const values = [
			[1, 0.5],
			[3, 0.6],
			[2, -Infinity],
			[NaN, Infinity],
			[99, NaN],
			[1.5, 0.5000001],
			[-1, -0],
			[4, 0],
			[41, 1e30]
		];
		const n = 2053;
		const x = new Float32Array(n * 2);
		for (let i = 0; i < n; i++) x.set(values[i % values.length]!, i * 2);
		const ensemble: Ensemble = {
			task: 'regression',
			outputs: 1,
			inputs: 2,
			layout: null,
			baseline: [0.25],
			trees
		};
		const scores = rawScores(ensemble, x);
		expect(firstDifference(scores, walked(ensemble, x))).toBeNull();
		// Written out for the first rows, so that a walk and a scorer wrong alike still fail.
		expect(Array.from(scores.subarray(0, 9))).toEqual([
			0.25 + 1 + 10 + 100 + 1000,
			0.25 + 1 + 20 + 100 + 1000,
			0.25 + 2 + 10 + 100 + 1000,
			0.25 + 1 + 20 + 200 + 1000,
			0.25 + 2 + 30 + 200 + 1000,
			0.25 + 2 + 20 + 200 + 1000,
			0.25 + 2 + 10 + 200 + 1000,
			0.25 + 2 + 10 + 100 + 1000,
			0.25 + 2 + 20 + 200 + 1000
		]);
	});

	it('refuses trees that split on a feature the rows do not have', () => {
		const tree: Tree = {
			feature: Int32Array.from([3, -1, -1]),
			threshold: Float32Array.from([0, 0, 0]),
			left: Int32Array.from([1, -1, -1]),
			right: Int32Array.from([2, -1, -1]),
			value: Float64Array.from([0, 1, 2]),
			gain: new Float64Array(3),
			categories: [null, null, null],
			missingLeft: new Uint8Array(3)
		};
		expect(() => compileTrees([tree], 1, 3)).toThrow('feature 3 of rows with 3 features');
		expect(compileTrees([tree], 1, 4)).not.toBeNull();
	});

	it('falls back to the walk where WebAssembly cannot compile', async () => {
		const { x, y, inputs } = mixedTable(3000, 7);
		const { ensemble } = await fitEnsemble(
			{ x, y: y.map((v) => (v > 1 ? 1 : 0)), xVal: empty, yVal: empty, inputs, classes: 2 },
			{ ...DEFAULT_GBDT, maxIterations: 10, maxLeaves: 15, patience: 0 },
			'binary'
		);
		vi.stubGlobal('WebAssembly', {
			...WebAssembly,
			Module: function () {
				throw new WebAssembly.CompileError('refused by the page’s policy');
			}
		});
		expect(compileTrees(ensemble.trees, 1, inputs)).toBeNull();
		expect(firstDifference(rawScores(ensemble, x), walked(ensemble, x))).toBeNull();
	});
});
