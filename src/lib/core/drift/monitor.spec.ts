import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeModel } from '../bundle/describe';
import { modelJsonFrom } from '../bundle/pack';
import { loadLayersModel, type LoadedModel } from '../bundle/predict';
import { runExperiment } from '../model/experiment';
import { DEFAULT_MLP } from '../model/spec';
import { profileTable } from '../profile/profile';
import { suggestRecipe } from '../recipe/suggest';
import { sniffDialect } from '../table/dialect';
import { chunksOf, readTable } from '../table/read';
import type { CodedColumn, Table } from '../table/types';
import { checkBatch, evaluateLabelled } from './monitor';

let table: Table;
let loaded: LoadedModel;

beforeAll(async () => {
	await tf.setBackend('cpu');
	const bytes = new Uint8Array(
		readFileSync(new URL('../../../../static/samples/penguins.csv', import.meta.url))
	);
	table = (
		await readTable(chunksOf(bytes), {
			dialect: sniffDialect(bytes, 'penguins.csv'),
			totalBytes: bytes.length
		})
	).table;
	const profile = profileTable(table, 'Species');
	const result = await runExperiment(table, {
		target: 'Species',
		task: 'auto',
		recipe: suggestRecipe(profile, 'Species'),
		split: { kind: 'stratified', seed: 1, validation: 0.15, test: 0.2 },
		model: { ...DEFAULT_MLP, epochs: 30 },
		robustness: false,
		importance: false
	});
	const manifest = describeModel({
		name: 'penguins',
		version: 1,
		result,
		profile,
		producer: 'test',
		createdAt: '2026-11-27T00:00:00Z',
		lineage: {
			datasetId: 'd',
			datasetName: 'Palmer penguins',
			datasetVersion: 1,
			tableId: 'x'.repeat(64),
			runId: 'r',
			trainedAt: '2026-11-27T00:00:00Z'
		}
	});
	const modelJson = modelJsonFrom(result.artifacts);
	loaded = { manifest, model: await loadLayersModel(modelJson, result.artifacts.weightData) };
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
