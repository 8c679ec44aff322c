import * as tf from '@tensorflow/tfjs';
import { zipSync, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	generateRows,
	rowsCsv,
	tableOf,
	trainCase,
	type ExportCase
} from '../../../../../tests/unit/onnx-models';
import { packBundle } from '../../bundle/pack';
import { unpackBundle } from '../../bundle/unpack';
import { loadBundleModel, predictTable } from '../../bundle/predict';
import { fitRecipe, keepMissing } from '../../recipe/fit';
import { transformTable } from '../../recipe/transform';
import { seededRandom } from '../../stats/random';
import type { Table } from '../../table/types';
import { DEFAULT_GBDT, DEFAULT_LINEAR } from '../spec';
import { fillMissing, fillPlan } from './fill';
import { ENSEMBLE_FORMAT, ENSEMBLE_VERSION, ensembleSaved } from './files';
import { blend, crossFitted, pairedGain, selectWeights } from './select';

describe('the fill plan', () => {
	it('turns the trees’ matrix (missing kept) into exactly the filled recipe’s matrix', async () => {
		const table = await tableOf(rowsCsv(generateRows(400, 7, true)));
		const rows = Int32Array.from({ length: 300 }, (_, i) => i);
		const { fullRecipe } = await import('../../../../../tests/unit/onnx-models');
		const fitted = fitRecipe(fullRecipe('churn'), table, rows);
		const kept = transformTable(keepMissing(fitted), table);
		const filled = transformTable(fitted, table);
		expect(kept.some((v) => Number.isNaN(v))).toBe(true);
		const plan = fillPlan(keepMissing(fitted));
		expect(Array.from(fillMissing(kept, fitted.features.length, plan))).toEqual(Array.from(filled));
	});
});

describe('greedy ensemble selection', () => {
	// Two noisy views of the same classes, wrong on different rows: their average beats either.
	const n = 600;
	const random = seededRandom(11);
	const classes = Int32Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
	const view = () =>
		Float64Array.from({ length: n * 2 }, (_, j) => {
			const i = j >> 1;
			const p = Math.min(
				0.99,
				Math.max(0.01, (classes[i] ? 0.62 : 0.38) + 0.45 * (random() - 0.5))
			);
			return j % 2 ? p : 1 - p;
		});
	const a = view();
	const b = view();
	const useless = Float64Array.from({ length: n * 2 }, () => 0.5);
	const truth = { classes, k: 2 };

	it('weights the views that help and leaves out the one that does not', () => {
		const w = selectWeights([a, useless, b], truth);
		expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
		expect(w[1]).toBe(0);
		expect(w[0]).toBeGreaterThan(0.2);
		expect(w[2]).toBeGreaterThan(0.2);
	});

	it('scores the selection on folds it did not select on, and pairs it with one candidate', () => {
		const foldOf = Int32Array.from({ length: n }, (_, i) => i % 5);
		const accuracyOn = (p: Float64Array, rows: Int32Array) =>
			Array.from(rows).filter((i) => (p[i * 2 + 1]! > p[i * 2]! ? 1 : 0) === classes[i]).length /
			rows.length;
		const { scores, blended } = crossFitted([a, b], truth, foldOf, 5, accuracyOn);
		expect(scores).toHaveLength(5);
		const all = Int32Array.from({ length: n }, (_, i) => i);
		const alone = accuracyOn(a, all);
		expect(accuracyOn(blended, all)).toBeGreaterThan(alone);
		const { gain, error } = pairedGain(blended, a, truth);
		expect(gain).toBeCloseTo(accuracyOn(blended, all) - alone, 12);
		expect(error).toBeGreaterThan(0);
		// A candidate against itself gains nothing, with no spread.
		expect(pairedGain(a, a, truth)).toEqual({ gain: 0, error: 0 });
		expect(Array.from(blend([a, b], [1, 0]))).toEqual(Array.from(a));
	});
});

describe('an ensemble bundle', () => {
	let table: Table;
	let trees: ExportCase;
	let linear: ExportCase;
	let parts: Parameters<typeof packBundle>[0];

	beforeAll(async () => {
		await tf.setBackend('cpu');
		table = await tableOf(rowsCsv(generateRows(500, 3)));
		trees = await trainCase(table, 'binary', { ...DEFAULT_GBDT, maxIterations: 20 });
		linear = await trainCase(table, 'binary', DEFAULT_LINEAR);
		const recipe = trees.manifest.recipe;
		parts = {
			manifest: { ...trees.manifest, model: { ...trees.manifest.model, family: 'ensemble' } },
			model: ensembleSaved(
				{
					format: ENSEMBLE_FORMAT,
					version: ENSEMBLE_VERSION,
					task: 'binary',
					inputs: recipe.features.length,
					fill: fillPlan(recipe),
					members: [
						{ family: 'gbdt', weight: 0.6 },
						{ family: 'linear', weight: 0.4 }
					]
				},
				[trees.saved, linear.saved]
			),
			readme: '# ensemble'
		};
	}, 60_000);

	it('packs, opens and predicts the weighted average of its members', async () => {
		const opened = await unpackBundle(await packBundle(parts));
		expect(Object.keys(opened.model.files).sort()).toEqual([
			'ensemble.json',
			'm0/trees.json',
			'm1/model.json',
			'm1/weights.bin'
		]);
		const fresh = await tableOf(rowsCsv(generateRows(200, 9, true)));
		// The members' raw outputs, averaged (each run's own probability map left aside).
		const raw = <T extends { probabilityCalibration?: unknown }>(m: T): T => ({
			...m,
			probabilityCalibration: null
		});
		const both = await predictTable(
			await loadBundleModel(raw(opened.manifest), opened.model),
			fresh
		);
		const t = await predictTable(await loadBundleModel(raw(trees.manifest), trees.saved), fresh);
		const l = await predictTable(await loadBundleModel(raw(linear.manifest), linear.saved), fresh);
		both.probabilities!.forEach((p, i) =>
			expect(p).toBeCloseTo(0.6 * t.probabilities![i]! + 0.4 * l.probabilities![i]!, 12)
		);
	});

	it('is refused when a member file is missing, extra, or the weights do not add up', async () => {
		const bytes = await packBundle(parts);
		const edit = async (change: (files: Record<string, Uint8Array>) => void) => {
			const files = unzipSync(bytes);
			change(files);
			return unpackBundle(zipSync(files));
		};
		await expect(edit((f) => delete f['model/m1/weights.bin'])).rejects.toThrow(
			/model\/m1\/weights\.bin is missing/
		);
		await expect(
			edit((f) => (f['model/m2/trees.json'] = f['model/m0/trees.json']!))
		).rejects.toThrow(/unexpected file/);
		// A tampered ensemble file: the checksum fails first, and a re-listed one is read and refused.
		const { manifest } = await unpackBundle(bytes);
		const json = JSON.parse(new TextDecoder().decode(parts.model.files['ensemble.json']));
		json.members[0].weight = 0.9;
		const tampered = {
			...parts,
			model: {
				...parts.model,
				files: {
					...parts.model.files,
					'ensemble.json': new TextEncoder().encode(JSON.stringify(json))
				}
			}
		};
		expect(manifest.model.family).toBe('ensemble');
		await expect(unpackBundle(await packBundle(tampered))).rejects.toThrow(/add up to 1.3, not 1/);
	});
});
