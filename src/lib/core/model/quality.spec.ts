import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileTable } from '../profile/profile';
import { findColumn } from '../recipe/fit';
import { suggestRecipe } from '../recipe/suggest';
import { sniffDialect } from '../table/dialect';
import { chunksOf, readTable } from '../table/read';
import { runExperiment } from './experiment';
import { DEFAULT_MLP } from './spec';
import { splitRows, type SplitSpec } from './split';
import { prepareTarget } from './task';

interface QualityCase {
	name: string;
	file: string;
	target: string;
	test_rows: number[];
	sklearn_logistic_accuracy: number;
}

const ROOT = new URL('../../../../', import.meta.url);
const cases = JSON.parse(
	readFileSync(new URL('tests/fixtures/reference/quality.json', ROOT), 'utf8')
) as QualityCase[];
const SPLIT: SplitSpec = { kind: 'stratified', seed: 42, validation: 0.15, test: 0.2 };

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe.each(cases)('default recipe + MLP on $name', (c) => {
	it('is within 2 points of scikit-learn LogisticRegression on the same split', async () => {
		const bytes = new Uint8Array(readFileSync(new URL(c.file, ROOT)));
		const { table } = await readTable(chunksOf(bytes), {
			dialect: sniffDialect(bytes, c.file),
			totalBytes: bytes.length
		});
		// The split is the one the Python script reproduced (same generator, same cut).
		const target = prepareTarget(findColumn(table, c.target), 'multiclass');
		const split = splitRows(target.rows, SPLIT, target.classes!);
		expect(Array.from(split.test).sort((a, b) => a - b)).toEqual(c.test_rows);
		const result = await runExperiment(table, {
			target: c.target,
			task: 'auto',
			recipe: suggestRecipe(profileTable(table, c.target), c.target),
			split: SPLIT,
			model: DEFAULT_MLP,
			robustness: false,
			importance: false
		});
		expect(result.test.accuracy!).toBeGreaterThanOrEqual(c.sklearn_logistic_accuracy - 0.02);
	});
});
