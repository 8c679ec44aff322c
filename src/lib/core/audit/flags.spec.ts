import { describe, expect, it } from 'vitest';
import { auditLineageText, orderFlags, scoreText, type Flag } from './flags';

const flag = (row: number, kind: Flag['kind'], score: number): Flag => ({
	row,
	kind,
	suggested: '',
	score,
	reason: ''
});

describe('the order of an audit’s flags', () => {
	it('ranks by score within each kind, kinds in reading order, never across scales', () => {
		const flags = [
			flag(7, 'outlier', 6.4),
			flag(3, 'label', 0.71),
			flag(9, 'duplicate', 1),
			flag(1, 'label', 0.99),
			flag(5, 'outlier', 8.2),
			flag(2, 'label', 0.71)
		];
		expect(orderFlags(flags, 'score').map((f) => f.row)).toEqual([1, 2, 3, 9, 5, 7]);
		expect(orderFlags(flags, 'row').map((f) => f.row)).toEqual([1, 2, 3, 5, 7, 9]);
		// The list handed in is not reordered.
		expect(flags[0]!.row).toBe(7);
	});
});

describe('the lineage line of an audit', () => {
	it('writes its counts as the pages write counts, with thousands separators', () => {
		expect(
			auditLineageText({
				of: 2,
				target: 'colour',
				leftOut: 5955,
				byKind: { label: 5950, duplicate: 1, outlier: 1200 }
			})
		).toBe(
			'Audited before training: this data is version 2 of the dataset without 5,955 rows its audit on "colour" flagged (5,950 labels, 1 duplicate, 1,200 outliers).'
		);
	});
});

describe("a flag's score", () => {
	it('shows a score in three decimals, never a probability short of 1 as 1.000', () => {
		expect([0.9999987, 0.9994, 1, 0.5, 6.25, 12.4].map(scoreText)).toEqual([
			'>0.999',
			'0.999',
			'1.000',
			'0.500',
			'6.250',
			'12'
		]);
	});
});
