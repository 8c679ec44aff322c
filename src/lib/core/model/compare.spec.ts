import { describe, expect, it } from 'vitest';
import { compareMetrics, compareSettings, runSettings } from './compare';
import { DEFAULT_GBDT, DEFAULT_LINEAR, DEFAULT_MLP } from './spec';
import type { ExperimentConfig } from './types';

const base: ExperimentConfig = {
	target: 'y',
	task: 'auto',
	recipe: {
		target: 'y',
		steps: [
			{
				column: 'age',
				kind: 'numeric',
				numeric: { impute: 'median', constant: 0, indicator: false, clip: null, scale: 'standard' }
			}
		]
	},
	split: { kind: 'stratified', seed: 42, validation: 0.15, test: 0.2 },
	model: DEFAULT_MLP,
	robustness: true,
	importance: true
};
const extra = { dataset: 'penguins v1', backend: 'wasm' };

describe('run comparison', () => {
	it('marks the best value per metric by its direction, and no best on a tie of all', () => {
		const rows = compareMetrics([
			{ accuracy: 0.9, log_loss: 0.3, ece: 0.02 },
			{ accuracy: 0.95, log_loss: 0.25, ece: 0.02 },
			null
		]);
		const by = Object.fromEntries(rows.map((r) => [r.name, r]));
		expect(by.accuracy!.best).toEqual([1]);
		expect(by.log_loss!.best).toEqual([1]);
		expect(by.ece!.best).toEqual([]);
		expect(by.accuracy!.values).toEqual([0.9, 0.95, null]);
	});

	it('says settings in words, only those of the trained family, and finds what differs', () => {
		const linear = runSettings({ ...base, model: DEFAULT_LINEAR }, null, extra);
		const mlp = runSettings(base, null, extra);
		const trees = runSettings({ ...base, model: DEFAULT_GBDT }, null, extra);
		// A linear model has no activation or hidden layers; trees have leaves, not epochs.
		expect(linear.map((s) => s.key)).not.toContain('model.activation');
		expect(mlp.find((s) => s.key === 'model.activation')?.value).toBe('relu');
		expect(trees.find((s) => s.key === 'model.leaves')?.value).toBe('31');
		expect(trees.find((s) => s.key === 'model.steps')?.label).toBe('Iterations at most');
		expect(mlp.find((s) => s.key === 'split')?.value).toBe(
			'stratified, 15 % validation, 20 % test, seed 42'
		);
		expect(mlp.find((s) => s.key === 'recipe.age')?.value).toBe('median fill, standard scale');
		const rows = compareSettings([linear, mlp]);
		const differ = rows.filter((r) => r.differs).map((r) => r.key);
		expect(differ).toContain('model.family');
		expect(differ).toContain('model.hidden');
		expect(differ).not.toContain('split');
		expect(rows.find((r) => r.key === 'model.hidden')?.values).toEqual(['—', '32']);
		// The MLP's own settings sit with the model's, before the split and the recipe.
		const keys = rows.map((r) => r.key);
		expect(keys.indexOf('model.hidden')).toBe(keys.indexOf('model.family') + 1);
		expect(keys.indexOf('model.dropout')).toBeLessThan(keys.indexOf('split'));
	});
});
