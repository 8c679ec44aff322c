import { beforeAll, describe, expect, it } from 'vitest';
import { modelJsonFrom } from '../bundle/pack';
import { loadLayersModel, type LoadedModel } from '../bundle/predict';
import type { CodedColumn, Table } from '../table/types';
import { checkBatch, evaluateLabelled } from './monitor';
import { trainPenguins } from '../../../../tests/unit/penguins-model';

let table: Table;
let loaded: LoadedModel;

beforeAll(async () => {
	const trained = await trainPenguins(30);
	table = trained.table;
	loaded = {
		manifest: trained.manifest,
		model: await loadLayersModel(
			modelJsonFrom(trained.result.artifacts),
			trained.result.artifacts.weightData
		)
	};
}, 60_000);

/** The table with every "Gentoo" label renamed: a class the model never saw. */
function withUnseenClass(source: Table): Table {
	return {
		...source,
		columns: source.columns.map((c) => {
			if (c.name !== 'Species') return c;
			const species = c as CodedColumn;
			return {
				...species,
				categories: species.categories.map((s) => (s === 'Gentoo' ? 'Emperor' : s))
			};
		})
	};
}

describe('checkBatch', () => {
	it('sees no drift in the training data itself, and measures the accuracy', async () => {
		const check = await checkBatch(loaded, table);
		expect(check.report.datasetDrift).toBe(false);
		expect(check.predictionDrift?.drifted).toBe(false);
		expect(check.performance).toMatchObject({ metric: 'accuracy', estimated: false, rows: 344 });
		expect(check.performance!.value).toBeGreaterThan(0.9);
	});

	it('estimates an unlabelled batch’s accuracy (CBPE) with a band around the measured one', async () => {
		const measured = (await checkBatch(loaded, table)).performance!.value;
		const unlabelled = { ...table, columns: table.columns.filter((c) => c.name !== 'Species') };
		const estimate = (await checkBatch(loaded, unlabelled)).performance!;
		expect(estimate.estimated).toBe(true);
		expect(measured).toBeGreaterThanOrEqual(estimate.lower!);
		expect(measured).toBeLessThanOrEqual(estimate.upper!);
	});

	it('leaves labels of an unseen class out of the score, and says how many', async () => {
		const check = await checkBatch(loaded, withUnseenClass(table));
		const gentoo = 124;
		expect(check.performance?.droppedUnknown).toBe(gentoo);
		expect(check.performance?.rows).toBe(344 - gentoo);
		expect(check.alerts.join(' ')).toContain(
			`${gentoo} labelled rows have a class the model never saw`
		);
	});

	it('does not predict on a batch lacking the model’s columns', async () => {
		const partial = { ...table, columns: table.columns.filter((c) => c.name !== 'Island') };
		const check = await checkBatch(loaded, partial);
		expect(check.performance).toBeNull();
		expect(check.alerts).toContain(
			'Predictions were not checked: the batch lacks columns the model needs.'
		);
	});
});

describe('evaluateLabelled', () => {
	it('measures the model on labelled rows, and gives null without labels', async () => {
		const measured = await evaluateLabelled(loaded, table);
		const checked = await checkBatch(loaded, table);
		expect(measured?.value).toBe(checked.performance?.value);
		const unlabelled = { ...table, columns: table.columns.filter((c) => c.name !== 'Species') };
		expect(await evaluateLabelled(loaded, unlabelled)).toBeNull();
	});
});
