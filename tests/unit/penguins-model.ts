// A small model of the penguins sample, trained the same way by the tests that need one.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describeModel, freshModelInput } from '../../src/lib/core/bundle/describe';
import type { Manifest } from '../../src/lib/core/bundle/manifest';
import { runExperiment, type ExperimentResult } from '../../src/lib/core/model/experiment';
import { DEFAULT_MLP } from '../../src/lib/core/model/spec';
import { profileTable } from '../../src/lib/core/profile/profile';
import type { TableProfile } from '../../src/lib/core/profile/types';
import { suggestRecipe } from '../../src/lib/core/recipe/suggest';
import { sniffDialect } from '../../src/lib/core/table/dialect';
import { chunksOf, readTable } from '../../src/lib/core/table/read';
import type { Table } from '../../src/lib/core/table/types';

export interface PenguinsModel {
	table: Table;
	profile: TableProfile;
	result: ExperimentResult;
	manifest: Omit<Manifest, 'files'>;
}

/** Reads the sample, trains the default MLP on CPU (stratified, seed 1) and describes it. */
export async function trainPenguins(epochs: number): Promise<PenguinsModel> {
	await tf.setBackend('cpu');
	const bytes = new Uint8Array(
		readFileSync(new URL('../../static/samples/penguins.csv', import.meta.url))
	);
	const { table } = await readTable(chunksOf(bytes), {
		dialect: sniffDialect(bytes, 'penguins.csv'),
		totalBytes: bytes.length
	});
	const profile = profileTable(table, 'Species');
	const result = await runExperiment(table, {
		target: 'Species',
		task: 'auto',
		recipe: suggestRecipe(profile, 'Species'),
		split: { kind: 'stratified', seed: 1, validation: 0.15, test: 0.2 },
		model: { ...DEFAULT_MLP, epochs },
		robustness: false,
		importance: false
	});
	const manifest = describeModel({
		name: 'penguins',
		version: 1,
		result,
		...freshModelInput(result),
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
	return { table, profile, result, manifest };
}
