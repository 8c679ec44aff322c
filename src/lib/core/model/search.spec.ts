import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE, sampleSpecs, validateSpace } from './search';
import { DEFAULT_MLP, validateSpec } from './spec';

describe('random search', () => {
	it('draws valid specs inside the space, the same for the same seed', () => {
		const specs = sampleSpecs(DEFAULT_MLP, DEFAULT_SPACE, 20, 1);
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

	it('rejects an absurd space', () => {
		expect(validateSpace(DEFAULT_SPACE, 5)).toEqual([]);
		expect(
			validateSpace({ ...DEFAULT_SPACE, learningRate: [-1, 0.1], hidden: [[0]] }, 1)
		).toHaveLength(3);
	});
});
