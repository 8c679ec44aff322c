import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE, sampleSpecs, validateSpace } from './search';
import { DEFAULT_GBDT, DEFAULT_MLP, validateGbdtSpec, validateSpec, type NeuralSpec } from './spec';

describe('random search', () => {
	it('draws valid specs inside the space, the same for the same seed', () => {
		const specs = sampleSpecs(DEFAULT_MLP, DEFAULT_SPACE, 20, 1) as NeuralSpec[];
		expect(specs).toHaveLength(20);
		for (const spec of specs) {
			expect(validateSpec(spec)).toEqual([]);
			expect(spec.learningRate).toBeGreaterThanOrEqual(DEFAULT_SPACE.learningRate[0] * 0.999);
			expect(spec.learningRate).toBeLessThanOrEqual(DEFAULT_SPACE.learningRate[1] * 1.001);
			expect(DEFAULT_SPACE.hidden.map((h) => h.join())).toContain(spec.hidden.join());
			expect(DEFAULT_SPACE.batchSize).toContain(spec.batchSize);
		}
		expect(new Set(specs.map((s) => s.learningRate)).size).toBeGreaterThan(10);
		expect(sampleSpecs(DEFAULT_MLP, DEFAULT_SPACE, 20, 1)).toEqual(specs);
	});

	it('draws tree specs from the tree ranges', () => {
		const specs = sampleSpecs(DEFAULT_GBDT, DEFAULT_SPACE, 20, 1);
		for (const spec of specs) {
			if (spec.kind !== 'gbdt') throw new Error('a tree search drew a neural spec');
			expect(validateGbdtSpec(spec)).toEqual([]);
			expect(DEFAULT_SPACE.trees.maxLeaves).toContain(spec.maxLeaves);
			expect(DEFAULT_SPACE.trees.minSamplesLeaf).toContain(spec.minSamplesLeaf);
			expect(spec.learningRate).toBeGreaterThanOrEqual(0.02 * 0.999);
			expect(spec.learningRate).toBeLessThanOrEqual(0.3 * 1.001);
		}
		expect(new Set(specs.map((s) => s.kind === 'gbdt' && s.maxLeaves)).size).toBeGreaterThan(2);
		expect(validateSpace(DEFAULT_SPACE, 5, 'gbdt')).toEqual([]);
		expect(validateSpace(DEFAULT_SPACE, 5, 'auto')[0]).toMatch(/A search explores one family/);
		expect(
			validateSpace(
				{ ...DEFAULT_SPACE, trees: { ...DEFAULT_SPACE.trees, maxLeaves: [1] } },
				5,
				'gbdt'
			)
		).toHaveLength(1);
	});

	it('rejects an absurd space', () => {
		expect(validateSpace(DEFAULT_SPACE, 5)).toEqual([]);
		expect(
			validateSpace({ ...DEFAULT_SPACE, learningRate: [-1, 0.1], hidden: [[0]] }, 1)
		).toHaveLength(3);
	});
});
