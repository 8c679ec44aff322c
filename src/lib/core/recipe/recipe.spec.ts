import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../profile/profile';
import { sniffDialect } from '../table/dialect';
import { chunksOf, readTable } from '../table/read';
import type { Table } from '../table/types';
import { fitRecipe, RecipeError } from './fit';
import { DEFAULT_CATEGORICAL, DEFAULT_NUMERIC, suggestRecipe } from './suggest';
import { featureColumns, transformTable } from './transform';
import { coded, numeric } from '../../../../tests/unit/columns';
import type { RecipeSpec, Scale } from './types';

const ROOT = new URL('../../../../', import.meta.url);
const reference = JSON.parse(
	readFileSync(new URL('tests/fixtures/reference/recipe.json', ROOT), 'utf8')
) as {
	train_rows: number;
	cases: { column: string; impute: 'mean' | 'median'; scale: string; expected: number[] }[];
	colour_mode: string;
	colour_order: string[];
};

async function mixed(): Promise<Table> {
	const bytes = new Uint8Array(readFileSync(new URL('tests/fixtures/data/mixed.csv', ROOT)));
	return (
		await readTable(chunksOf(bytes), {
			dialect: sniffDialect(bytes, 'mixed.csv'),
			totalBytes: bytes.length
		})
	).table;
}

const range = (from: number, to: number) =>
	Int32Array.from({ length: to - from }, (_, i) => from + i);
const SCALES: Record<string, Scale> = {
	StandardScaler: 'standard',
	MinMaxScaler: 'minmax',
	RobustScaler: 'robust'
};

describe('recipe', () => {
	it.each(reference.cases)(
		'imputes ($impute) and scales ($scale) "$column" like scikit-learn',
		async ({ column, impute, scale, expected }) => {
			const table = await mixed();
			const spec: RecipeSpec = {
				target: 'label',
				steps: [
					{
						column,
						kind: 'numeric',
						numeric: { ...DEFAULT_NUMERIC, impute, scale: SCALES[scale]! }
					}
				]
			};
			const fitted = fitRecipe(spec, table, range(0, reference.train_rows));
			const out = transformTable(fitted, table, range(reference.train_rows, table.rowCount));
			expect(out).toHaveLength(expected.length);
			expected.forEach((e, i) =>
				expect(Math.abs(out[i]! - e), `row ${i}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(e)))
			);
		}
	);

	it('one-hot encodes with the training mode as fill, an "other" bucket and a cap', async () => {
		const table = await mixed();
		const spec: RecipeSpec = {
			target: 'label',
			steps: [
				{
					column: 'colour',
					kind: 'categorical',
					categorical: { ...DEFAULT_CATEGORICAL, maxCategories: 2 }
				}
			]
		};
		const fitted = fitRecipe(spec, table, range(0, reference.train_rows));
		expect(fitted.features).toEqual([
			`colour=${reference.colour_order[0]}`,
			`colour=${reference.colour_order[1]}`,
			'colour=other'
		]);
		const step = fitted.steps[0]!;
		expect(step.kind === 'categorical' && step.fill).toBe(reference.colour_mode);
		const out = transformTable(fitted, table);
		for (let r = 0; r < table.rowCount; r++) {
			expect(out[r * 3]! + out[r * 3 + 1]! + out[r * 3 + 2]!).toBe(1);
		}
	});

	it('handles unseen categories, missing values, NaN and Infinity at transform time', () => {
		const train: Table = {
			rowCount: 4,
			columns: [
				{ storage: 'float', name: 'x', type: 'numeric', values: Float64Array.from([1, 2, 3, NaN]) },
				{
					storage: 'coded',
					name: 'c',
					type: 'categorical',
					categories: ['a', 'b'],
					codes: Int32Array.from([0, 0, 1, -1])
				}
			]
		};
		const spec: RecipeSpec = {
			target: 'y',
			steps: [
				{
					column: 'x',
					kind: 'numeric',
					numeric: { ...DEFAULT_NUMERIC, indicator: true, scale: 'none' }
				},
				{ column: 'c', kind: 'categorical', categorical: DEFAULT_CATEGORICAL }
			]
		};
		const fitted = fitRecipe(spec, train, range(0, 4));
		expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted);
		const live: Table = {
			rowCount: 3,
			columns: [
				{
					storage: 'coded',
					name: 'c',
					type: 'categorical',
					categories: ['zzz', 'b'],
					codes: Int32Array.from([0, -1, 1])
				},
				{
					storage: 'float',
					name: 'x',
					type: 'numeric',
					values: Float64Array.from([Infinity, NaN, 5])
				}
			]
		};
		const out = Array.from(transformTable(fitted, live));
		expect(fitted.features).toEqual(['x', 'x is missing', 'c=a', 'c=b', 'c=other']);
		expect(out).toEqual([2, 1, 0, 0, 1, 2, 1, 1, 0, 0, 5, 0, 0, 1, 0]);
	});

	it('names a missing column and refuses a recipe that keeps nothing', () => {
		const table: Table = {
			rowCount: 1,
			columns: [{ storage: 'float', name: 'x', type: 'numeric', values: Float64Array.from([1]) }]
		};
		const spec: RecipeSpec = {
			target: 'y',
			steps: [{ column: 'x', kind: 'numeric', numeric: DEFAULT_NUMERIC }]
		};
		const fitted = fitRecipe(spec, table, range(0, 1));
		expect(() => transformTable(fitted, { rowCount: 1, columns: [] })).toThrow(
			'The column "x" is missing from the data.'
		);
		expect(() =>
			fitRecipe(
				{ target: 'y', steps: [{ column: 'x', kind: 'drop', reason: '' }] },
				table,
				range(0, 1)
			)
		).toThrow(RecipeError);
	});

	it('keeps a 10,000-level categorical to its cap without a dense blow-up', () => {
		const n = 20_000;
		const categories = Array.from({ length: 10_000 }, (_, i) => `level${i}`);
		const table: Table = {
			rowCount: n,
			columns: [
				{
					storage: 'coded',
					name: 'c',
					type: 'categorical',
					categories,
					codes: Int32Array.from({ length: n }, (_, i) => i % 10_000)
				}
			]
		};
		const fitted = fitRecipe(
			{
				target: 'y',
				steps: [{ column: 'c', kind: 'categorical', categorical: DEFAULT_CATEGORICAL }]
			},
			table,
			range(0, n)
		);
		expect(fitted.features).toHaveLength(DEFAULT_CATEGORICAL.maxCategories + 1);
		expect(transformTable(fitted, table)).toHaveLength(n * (DEFAULT_CATEGORICAL.maxCategories + 1));
	});

	it('suggests steps from the profile and drops what cannot be a feature', async () => {
		const table = await mixed();
		const spec = suggestRecipe(profileTable(table, 'label'), 'label');
		expect(spec.steps.map((s) => `${s.column}:${s.kind}`)).toEqual([
			'x:numeric',
			'y:numeric',
			'z:numeric',
			'colour:categorical',
			'count:numeric'
		]);
		const x = spec.steps[0]!;
		expect(x.kind === 'numeric' && x.numeric.indicator).toBe(false);
	});
});

describe('featureColumns', () => {
	it('names the input column of every feature, in the matrix order', () => {
		const table = {
			rowCount: 4,
			columns: [
				numeric('x', [1, NaN, 3, 4]),
				coded('c', ['a', 'b', 'a', null]),
				numeric('y', [1, 2, 3, 4])
			]
		};
		const recipe = fitRecipe(
			{
				target: 'y',
				steps: [
					{
						column: 'x',
						kind: 'numeric',
						numeric: { impute: 'mean', constant: 0, indicator: true, clip: null, scale: 'standard' }
					},
					{
						column: 'c',
						kind: 'categorical',
						categorical: {
							impute: 'most_frequent',
							constant: '',
							encode: 'onehot',
							maxCategories: 5
						}
					}
				]
			},
			table,
			Int32Array.from([0, 1, 2, 3])
		);
		expect(featureColumns(recipe)).toEqual(['x', 'x', 'c', 'c', 'c']);
		expect(featureColumns(recipe)).toHaveLength(recipe.features.length);
	});
});
