import { describe, expect, it } from 'vitest';
import { generateRows, rowsCsv, tableOf, trainCase } from '../../../../tests/unit/onnx-models';
import { withPermuted } from '../evaluate/perturb';
import { transformTable } from '../recipe/transform';
import { changedColumns } from './experiment';
import { loadModel } from './families';
import { DEFAULT_GBDT, DEFAULT_LINEAR, type EnsembleSpec, type FamilySpec } from './spec';
import type { Task } from './task';

// Small trees (two splits each) read few columns each: most shuffles touch a few of them, so the
// incremental path runs (with many leaves every tree reads most columns and all are evaluated).
const smallTrees = { ...DEFAULT_GBDT, maxIterations: 30, maxLeaves: 3, minSamplesLeaf: 5 };
const blend: EnsembleSpec = {
	kind: 'ensemble',
	seed: 1,
	members: [
		{ spec: smallTrees, weight: 0.6 },
		{ spec: { ...DEFAULT_LINEAR, epochs: 20 }, weight: 0.4 }
	]
};

describe('predictions of a matrix with one column shuffled, from the unshuffled one', () => {
	const cases: [Task, FamilySpec | EnsembleSpec][] = [
		['multiclass', smallTrees],
		['regression', { ...DEFAULT_GBDT, maxIterations: 20 }],
		['binary', blend]
	];
	it.each(cases)('%s, %o: the same as predicting it whole', async (task, spec) => {
		const table = await tableOf(rowsCsv(generateRows(400, 5)));
		const { manifest, saved } = await trainCase(table, task, spec);
		const recipe = manifest.recipe;
		const model = await loadModel(saved, task, manifest.model.labels.length);
		expect(model.predictChanged).toBeDefined();
		const rows = Int32Array.from({ length: 120 }, (_, i) => i * 3);
		const base = transformTable(recipe, table, rows);
		const width = recipe.features.length;
		for (const step of recipe.steps) {
			const x = transformTable(recipe, withPermuted(table, rows, step.column, 9));
			const changed = changedColumns(base, x, width);
			expect(changed.length).toBeGreaterThan(0);
			const whole = await model.predict(x);
			const fromBase = await model.predictChanged!(base, x, changed);
			expect(fromBase.length).toBe(whole.length);
			for (let i = 0; i < whole.length; i++)
				expect(Math.abs(fromBase[i]! - whole[i]!)).toBeLessThan(1e-9);
		}
		// And the base itself, asked as a variant with nothing changed, is its own prediction.
		const same = await model.predictChanged!(base, base.slice(), []);
		expect(Array.from(same)).toEqual(Array.from(await model.predict(base)));
		model.dispose();
	});

	it('finds the columns that differ, a missing value equal to a missing value', () => {
		const base = Float32Array.from([1, NaN, 3, 4, NaN, 6]);
		expect(changedColumns(base, Float32Array.from([1, NaN, 3, 4, NaN, 6]), 3)).toEqual([]);
		expect(changedColumns(base, Float32Array.from([1, 2, 3, 4, NaN, 7]), 3)).toEqual([1, 2]);
		expect(changedColumns(base, Float32Array.from([0, NaN, 3, 4, NaN, 6]), 3)).toEqual([0]);
		expect(() => changedColumns(base, new Float32Array(3), 3)).toThrow(/size/);
	});
});
