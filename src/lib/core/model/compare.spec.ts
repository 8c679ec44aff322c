import { describe, expect, it } from 'vitest';
import { compareRuns, flatten } from './compare';

describe('run comparison', () => {
	it('flattens nested settings and marks the fields that differ', () => {
		const a = flatten({ model: { kind: 'mlp', hidden: [64, 32], lr: 0.003 }, seed: 1 });
		const b = flatten({ model: { kind: 'mlp', hidden: [32], lr: 0.003 }, seed: 1, extra: null });
		expect(a).toEqual({
			'model.kind': 'mlp',
			'model.hidden': '64, 32',
			'model.lr': '0.003',
			seed: '1'
		});
		const rows = compareRuns([a, b]);
		expect(rows.filter((r) => r.differs).map((r) => r.field)).toEqual(['model.hidden']);
		expect(rows.find((r) => r.field === 'extra')?.values).toEqual(['—', '—']);
	});
});
