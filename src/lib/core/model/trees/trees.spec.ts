import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regressionMetrics } from '../../evaluate/regression';
import { DEFAULT_GBDT } from '../spec';
import type { Task } from '../task';
import { fitEnsemble, fromRaw, gainImportance, rawScores } from './boost';
import { MAX_LEAF_STEP, numericTreeValue, treeValue } from './grow';
import { seededRandom } from '../../stats/random';
import { readTrees, treesSaved, verifyTrees } from './files';
import { validateGbdtSpec } from '../spec';
import { applyBins, fitBins } from './binning';
import reference from '../../../../../tests/fixtures/reference/gbdt.json';

/** A fixture table: float32 features (empty cells NaN) and the target, split as the script does. */
function table(name: string, task: Task) {
	const [header, ...lines] = readFileSync(
		new URL(`../../../../../tests/fixtures/data/trees_${name}.csv`, import.meta.url),
		'utf8'
	)
		.trim()
		.split('\n');
	const d = header!.split(',').length - 1;
	const rows = lines.map((l) => l.split(','));
	const targets = rows.map((r) => Number(r[d]));
	const labels = [...new Set(targets)].sort((a, b) => a - b);
	const pick = (test: boolean) => {
		const chosen = rows.filter((_, i) => (i % 4 === 3) === test);
		const x = new Float32Array(chosen.length * d);
		chosen.forEach((r, i) => {
			for (let j = 0; j < d; j++) x[i * d + j] = r[j] === '' ? NaN : Number(r[j]);
		});
		const y = Float32Array.from(chosen, (r) =>
			task === 'regression' ? Number(r[d]) : labels.indexOf(Number(r[d]))
		);
		return { x, y };
	};
	return {
		train: pick(false),
		test: pick(true),
		d,
		classes: task === 'regression' ? 1 : labels.length
	};
}

describe('gradient-boosted trees against scikit-learn HistGradientBoosting', () => {
	for (const [name, ref] of Object.entries(reference)) {
		it(`is within a point of sklearn on ${name} (${ref.task})`, async () => {
			const task = ref.task as Task;
			const { train, test, d, classes } = table(name, task);
			const { ensemble } = await fitEnsemble(
				{
					x: train.x,
					y: train.y,
					xVal: new Float32Array(0),
					yVal: new Float32Array(0),
					inputs: d,
					classes
				},
				{ ...DEFAULT_GBDT, patience: 0 },
				task
			);
			const out = fromRaw(task, rawScores(ensemble, test.x), ensemble.outputs);
			let score: number;
			if (task === 'regression') {
				score = regressionMetrics(Float64Array.from(test.y), out).r2;
			} else {
				const k = task === 'binary' ? 2 : classes;
				let right = 0;
				for (let i = 0; i < test.y.length; i++) {
					let best = 0;
					for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
					if (best === test.y[i]) right++;
				}
				score = right / test.y.length;
			}
			// One point, or one test row on a table too small for a point to be a row.
			const tolerance = Math.max(0.01, task === 'regression' ? 0.01 : 1 / test.y.length);
			expect(score).toBeGreaterThanOrEqual(ref.score - tolerance);
			expect(gainImportance(ensemble).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
			// The walk of trees without splits on codes answers as the general one, missing values
			// (synthetic tables) included.
			let differ = 0;
			for (const tree of ensemble.trees)
				for (let i = 0; i < test.y.length; i++)
					if (numericTreeValue(tree, test.x, i * d) !== treeValue(tree, test.x, i * d)) differ++;
			expect(differ).toBe(0);
		});
	}
});

const empty = new Float32Array(0);

describe('trees on bad input', () => {
	it('ignores a constant and an all-missing feature, and splits on the one that matters', async () => {
		const n = 400;
		const x = new Float32Array(n * 3);
		const y = new Float32Array(n);
		for (let i = 0; i < n; i++) {
			x[i * 3] = 5; // constant
			x[i * 3 + 1] = NaN; // all missing
			x[i * 3 + 2] = i % 2 ? Infinity : i / n; // the signal, with infinities
			y[i] = i % 2;
		}
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: empty, yVal: empty, inputs: 3, classes: 2 },
			{ ...DEFAULT_GBDT, maxIterations: 20, patience: 0 },
			'binary'
		);
		const importance = gainImportance(ensemble);
		expect(importance[0]).toBe(0);
		expect(importance[1]).toBe(0);
		expect(importance[2]).toBeCloseTo(1, 12);
		const p = fromRaw('binary', rawScores(ensemble, x), 1);
		for (let i = 0; i < n; i++) expect(p[i * 2 + 1]! > 0.5).toBe(y[i] === 1);
	});

	it('keeps the best validation iteration at every size, stopping early only above 10,000 rows', async () => {
		const make = (n: number, offset: number) => {
			const x = Float32Array.from({ length: n }, (_, i) => ((i + offset) * 0.618) % 1);
			// Pure noise beyond a step: extra trees only fit the noise, validation stops them.
			const y = Float32Array.from(
				x,
				(v, i) => (v > 0.5 ? 1 : 0) + Math.sin(i * 12.9898 + offset) * 2
			);
			return { x, y };
		};
		const run = async (n: number) => {
			const train = make(n, 0);
			const val = make(Math.round(n / 4), 7);
			return fitEnsemble(
				{ x: train.x, y: train.y, xVal: val.x, yVal: val.y, inputs: 1, classes: 1 },
				{ ...DEFAULT_GBDT, maxIterations: 200, learningRate: 0.3, minSamplesLeaf: 5, patience: 5 },
				'regression'
			);
		};
		const large = await run(12_000);
		expect(large.stoppedEarly).toBe(true);
		expect(large.ensemble.trees.length).toBe(large.bestIteration);
		expect(large.bestIteration).toBeLessThan(large.history.length);
		const small = await run(2_000);
		// Every iteration grown; kept: the last within one standard error of the validation
		// minimum, so the trees that overfit the noise are cut.
		expect(small.stoppedEarly).toBe(false);
		expect(small.history.length).toBe(200);
		const losses = small.history.map((h) => h.valLoss!);
		const argmin = losses.indexOf(Math.min(...losses)) + 1;
		expect(small.bestIteration).toBeGreaterThanOrEqual(argmin);
		expect(small.bestIteration).toBeLessThan(150);
		expect(losses[199]).toBeGreaterThan(losses[small.bestIteration - 1]!);
		expect(small.ensemble.trees.length).toBe(small.bestIteration);
	});

	it('makes a constant model when there are too few rows to split, never NaN', async () => {
		const x = Float32Array.from({ length: 30 }, (_, i) => i);
		const y = Float32Array.from({ length: 30 }, (_, i) => i * 2);
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: empty, yVal: empty, inputs: 1, classes: 1 },
			{ ...DEFAULT_GBDT, maxIterations: 5, patience: 0 },
			'regression'
		);
		expect(ensemble.trees.every((t) => t.feature.length === 1)).toBe(true);
		const out = rawScores(ensemble, x);
		for (const v of out) expect(v).toBeCloseTo(29, 9);
	});

	it('bins at most 255 values per feature, thresholds exact in float32', () => {
		const n = 10_000;
		const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1000);
		const map = fitBins(x, 1);
		expect(map.bins[0]).toBe(255);
		for (const e of map.edges[0]!) expect(Math.fround(e)).toBe(e);
		const binned = applyBins(map, x, 1);
		expect(binned.columns).toEqual(binned.rows);
		const wide = applyBins(
			fitBins(Float32Array.of(1, 10, 2, 20, 3, NaN), 2),
			Float32Array.of(1, 10, 2, 20, 3, NaN),
			2
		);
		expect(Array.from(wide.rows)).toEqual([0, 0, 1, 1, 2, 255]);
		expect(Array.from(wide.columns)).toEqual([0, 1, 2, 0, 1, 255]);
		for (let i = 0; i < n; i++) {
			const b = binned.rows[i]!;
			if (b > 0) expect(x[i]! > map.edges[0]![b - 1]!).toBe(true);
			if (b < 254) expect(x[i]! <= map.edges[0]![b]!).toBe(true);
		}
	});

	it('orders negatives, zeros and infinities as numbers when binning (the radix sort)', () => {
		const values = [3, -1, 0, -0, Infinity, -Infinity, -2.5, 1e-30, -1e-30, 7, 3, -1, NaN];
		const x = Float32Array.from(values);
		const map = fitBins(x, 1);
		const distinct = [...new Set(values.filter((v) => !Number.isNaN(v)).map(Math.fround))].sort(
			(a, b) => a - b
		);
		// One edge between each pair of neighbouring distinct values, in order.
		expect(map.edges[0]!.length).toBe(distinct.length - 1);
		map.edges[0]!.forEach((e, i) => {
			expect(e >= distinct[i]! && e < distinct[i + 1]!).toBe(true);
		});
		const bins = applyBins(map, x, 1).rows;
		values.forEach((v, i) =>
			expect(bins[i]).toBe(Number.isNaN(v) ? 255 : distinct.indexOf(Math.fround(v)))
		);
	});
	it('refuses an absurd spec before training', () => {
		expect(validateGbdtSpec(DEFAULT_GBDT)).toEqual([]);
		const problems = validateGbdtSpec({
			...DEFAULT_GBDT,
			maxLeaves: 0,
			learningRate: 0,
			maxBins: 300
		});
		expect(problems).toHaveLength(3);
		expect(problems.join(' ')).toMatch(/Leaves per tree must be a whole number from 2/);
	});

	it('refuses a tampered trees.json: a bad node index, a cycle, a NaN threshold', async () => {
		const x = Float32Array.from({ length: 200 }, (_, i) => i);
		const y = Float32Array.from({ length: 200 }, (_, i) => (i > 100 ? 1 : 0));
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: empty, yVal: empty, inputs: 1, classes: 2 },
			{ ...DEFAULT_GBDT, maxIterations: 3, patience: 0 },
			'binary'
		);
		const saved = treesSaved(ensemble);
		expect(verifyTrees(saved)).toEqual([]);
		expect(readTrees(saved).trees[0]!.threshold).toEqual(ensemble.trees[0]!.threshold);
		const edit = (change: (json: { trees: Record<string, unknown[]>[] }) => void) => {
			const json = JSON.parse(new TextDecoder().decode(saved.files['trees.json']));
			change(json);
			return { ...saved, files: { 'trees.json': new TextEncoder().encode(JSON.stringify(json)) } };
		};
		expect(verifyTrees(edit((j) => (j.trees[0]!.left![0] = 99)))[0]).toMatch(
			/child nodes that do not exist or loop back/
		);
		expect(verifyTrees(edit((j) => (j.trees[0]!.right![0] = 0)))[0]).toMatch(/loop back/);
		expect(verifyTrees(edit((j) => (j.trees[0]!.threshold![0] = 'NaN')))[0]).toMatch(
			/threshold that is not a number/
		);
		expect(verifyTrees(edit((j) => (j.trees[0]!.feature![0] = 3)))[0]).toMatch(
			/feature 3, which does not exist/
		);
		expect(
			verifyTrees({ family: 'gbdt', files: { 'trees.json': new TextEncoder().encode('{') } })[0]
		).toMatch(/not valid JSON/);
	});

	it('splits a one-hot block natively: any subset of its categories left in one split', async () => {
		// 30 categories, the class is 1 for a scattered half of them: a stump on the code finds it;
		// a stump on one one-hot column cannot do better than one category against the rest.
		const k = 30;
		const positive = new Set([0, 2, 3, 7, 8, 11, 13, 14, 18, 19, 21, 24, 26, 27, 29]);
		const n = 3000;
		const x = new Float32Array(n * (k + 1));
		const y = new Float32Array(n);
		for (let i = 0; i < n; i++) {
			const c = (i * 7919) % k;
			x[i * (k + 1) + c] = 1;
			x[i * (k + 1) + k] = (i % 13) / 13; // a noise column after the block
			y[i] = positive.has(c) ? 1 : 0;
		}
		const stump = { ...DEFAULT_GBDT, maxLeaves: 2, maxIterations: 1, learningRate: 1, patience: 0 };
		const data = { x, y, xVal: empty, yVal: empty, inputs: k + 1, classes: 2 };
		const accuracy = (raw: Float64Array) =>
			raw.reduce((s, v, i) => s + ((v > 0 ? 1 : 0) === y[i] ? 1 : 0), 0) / n;
		const native = await fitEnsemble(
			{ ...data, groups: [{ start: 0, width: k }] },
			stump,
			'binary'
		);
		const oneHot = await fitEnsemble(data, stump, 'binary');
		expect(native.ensemble.layout?.map((f) => f.kind)).toEqual(['categorical', 'numeric']);
		const set = native.ensemble.trees[0]!.categories[0]!;
		const left = new Set(Array.from(set.keys()).filter((c) => set[c] === 1));
		expect(
			left.size === positive.size ? left : new Set([...Array(k).keys()].filter((c) => !left.has(c)))
		).toEqual(positive);
		expect(accuracy(rawScores(native.ensemble, x))).toBe(1);
		expect(accuracy(rawScores(oneHot.ensemble, x))).toBeLessThan(0.7);
		// Gain importance is the block's (its first column), never the noise column's.
		expect(gainImportance(native.ensemble)[0]).toBe(1);

		// trees.json version 2 carries the layout and the sets; they read back and predict the same.
		const saved = treesSaved(native.ensemble);
		expect(verifyTrees(saved)).toEqual([]);
		expect(rawScores(readTrees(saved), x)).toEqual(rawScores(native.ensemble, x));
		const edit = (
			change: (json: Record<string, unknown> & { trees: Record<string, unknown[]>[] }) => void
		) => {
			const json = JSON.parse(new TextDecoder().decode(saved.files['trees.json']));
			change(json);
			return { ...saved, files: { 'trees.json': new TextEncoder().encode(JSON.stringify(json)) } };
		};
		expect(verifyTrees(edit((j) => (j.trees[0]!.categories![0] as number[]).push(30)))[0]).toMatch(
			/category code that does not exist/
		);
		expect(verifyTrees(edit((j) => (j.trees[0]!.categories![0] = null)))[0]).toMatch(
			/by a threshold, but it holds categories/
		);
		expect(
			verifyTrees(edit((j) => (j.layout = [{ kind: 'categorical', start: 20, width: 30 }])))[0]
		).toMatch(/not inside the input matrix/);
		// A version-1 file (no layout, no categories) still reads.
		const v1 = treesSaved(oneHot.ensemble);
		const old = JSON.parse(new TextDecoder().decode(v1.files['trees.json']));
		old.version = 1;
		delete old.layout;
		for (const t of old.trees) delete t.categories;
		const opened = readTrees({
			...v1,
			files: { 'trees.json': new TextEncoder().encode(JSON.stringify(old)) }
		});
		expect(rawScores(opened, x)).toEqual(rawScores(oneHot.ensemble, x));
	});
	it('keeps a missing category apart: its own bin, sent the way each split learns', async () => {
		// Four categories and a missing one (a block with no 1, as a recipe that keeps missing
		// categories writes it). The class is 1 for "b" and for missing: a mode fill ("a", the
		// commonest) would put missing with the zeros; one split on codes must separate them.
		const k = 4;
		const n = 2000;
		const x = new Float32Array(n * k);
		const y = new Float32Array(n);
		for (let i = 0; i < n; i++) {
			const c = i % 10 < 4 ? 0 : i % 10 < 6 ? 1 : i % 10 < 8 ? 2 : i % 10 < 9 ? 3 : -1;
			if (c >= 0) x[i * k + c] = 1;
			y[i] = c === 1 || c === -1 ? 1 : 0;
		}
		const stump = { ...DEFAULT_GBDT, maxLeaves: 2, maxIterations: 1, learningRate: 1, patience: 0 };
		const { ensemble } = await fitEnsemble(
			{ x, y, xVal: empty, yVal: empty, inputs: k, classes: 2, groups: [{ start: 0, width: k }] },
			stump,
			'binary'
		);
		const raw = rawScores(ensemble, x);
		const accuracy = raw.reduce((s, v, i) => s + ((v > 0 ? 1 : 0) === y[i] ? 1 : 0), 0) / n;
		expect(accuracy).toBe(1);
		// The root sends missing with "b", whichever side that is.
		const tree = ensemble.trees[0]!;
		expect(tree.missingLeft[0]).toBe(tree.categories[0]![1]);
		// Saved and read back, it predicts the same (missing_left carries the direction).
		expect(rawScores(readTrees(treesSaved(ensemble)), x)).toEqual(raw);
	});
	it('keeps a rare class from blowing up the Newton steps: the training loss falls, every leaf bounded', async () => {
		// 3,000 rows of three classes; the third has 9 rows, all in a category shared by 21 others.
		// Its first leaf is −G/H with H ≈ 30 × 0.003: an uncapped step of ~30 in log-odds made those
		// 21 rows "certain" of it, and the next trees' steps on near-zero hessians exploded.
		const n = 3000;
		const k = 30;
		const x = new Float32Array(n * (k + 1));
		const y = new Float32Array(n);
		const random = seededRandom(12);
		for (let i = 0; i < n; i++) {
			const c = i < 30 ? 0 : 1 + (i % (k - 1));
			x[i * (k + 1) + c] = 1;
			x[i * (k + 1) + k] = random();
			y[i] = i < 9 ? 2 : x[i * (k + 1) + k]! > 0.85 ? 1 : 0;
		}
		const { ensemble, history } = await fitEnsemble(
			{
				x,
				y,
				xVal: empty,
				yVal: empty,
				inputs: k + 1,
				classes: 3,
				groups: [{ start: 0, width: k }]
			},
			{ ...DEFAULT_GBDT, maxIterations: 30, patience: 0 },
			'multiclass'
		);
		for (let i = 1; i < history.length; i++)
			expect(history[i]!.loss, `iteration ${i + 1}`).toBeLessThanOrEqual(
				history[i - 1]!.loss + 1e-9
			);
		for (const tree of ensemble.trees)
			for (let node = 0; node < tree.value.length; node++)
				expect(Math.abs(tree.value[node]!)).toBeLessThanOrEqual(MAX_LEAF_STEP);
	});
});
