import { describe, expect, it } from 'vitest';
import type { Table } from '../table/types';
import { outsideTrainingRange } from './range';

const schema = [
	{
		name: 'mass',
		type: 'numeric' as const,
		required: true,
		range: [2700, 6300] as [number, number]
	},
	{
		name: 'when',
		type: 'datetime' as const,
		required: true,
		range: [Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1)] as [number, number]
	},
	{ name: 'island', type: 'categorical' as const, required: true, categories: ['a'] }
];

function table(mass: number[], when: number[]): Table {
	return {
		rowCount: mass.length,
		columns: [
			{ storage: 'float', name: 'mass', type: 'numeric', values: Float64Array.from(mass) },
			{ storage: 'float', name: 'when', type: 'datetime', values: Float64Array.from(when) },
			{
				storage: 'coded',
				name: 'island',
				type: 'categorical',
				categories: ['a'],
				codes: Int32Array.of(0, 0, 0)
			}
		]
	};
}

describe('values outside the training range', () => {
	const t = table([4000, 6400, 12000], [Date.UTC(2020, 5, 1), NaN, Date.UTC(2023, 0, 1)]);

	it('says nothing inside the range or for a missing value', () => {
		expect(outsideTrainingRange(schema, t, 0)).toEqual([]);
	});

	it('says just or far, which side and how far, dates as dates', () => {
		expect(outsideTrainingRange(schema, t, 1).map((n) => n.text)).toEqual([
			'mass 6400 is above the training range 2700 … 6300: the model extrapolates here.'
		]);
		const far = outsideTrainingRange(schema, t, 2);
		expect(far.map((n) => [n.column, n.side, Number(n.spans.toFixed(3))])).toEqual([
			['mass', 'above', 1.583],
			['when', 'above', 1.995]
		]);
		expect(far[1]!.text).toMatch(
			/^when 2023-01-01 is far above the training range 2020-01-01 … 2021-01-01 \(2\.0× its width beyond\)/
		);
	});
});
