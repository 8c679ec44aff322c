import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	EXPORT_SPECS,
	generateRows,
	rowsCsv,
	tableOf,
	trainCase,
	type ExportCase,
	type RawRows
} from '../../../../tests/unit/onnx-models';
import type { Table } from '../table/types';
import { GraphBuilder } from '../onnx/graph';
import { decodeModel, encodeModel } from '../onnx/proto';
import { recipeGraph } from '../onnx/recipe';
import { DataType } from '../onnx/types';
import { datePart, DATE_PARTS } from '../recipe/dates';
import { transformTable } from '../recipe/transform';
import { fillPlan } from '../model/ensemble/fill';
import { ENSEMBLE_FORMAT, ENSEMBLE_VERSION, ensembleSaved } from '../model/ensemble/files';
import type { FittedRecipe } from '../recipe/types';
import { DriftwoodError } from '../errors';
import { readTrees } from '../model/trees/files';
import { exportOnnx } from './onnx';
import { ONNX_ML_OPSET, ONNX_OPSET } from './onnx-contract';
import { loadBundleModel, predictTable, type Predictions } from './predict';

const cases: ExportCase[] = [];
let fresh: RawRows;
let freshTable: Table;

beforeAll(async () => {
	await tf.setBackend('cpu');
	const table = await tableOf(rowsCsv(generateRows(600, 1)));
	fresh = generateRows(300, 2, true);
	freshTable = await tableOf(rowsCsv(fresh));
	for (const task of ['binary', 'multiclass', 'regression'] as const)
		for (const spec of EXPORT_SPECS) cases.push(await trainCase(table, task, spec));
}, 120_000);

/** The raw rows as ONNX Runtime tensors, one `[N, 1]` input per schema column. */
function feeds(c: ExportCase, rows: RawRows): Record<string, ort.Tensor> {
	const out: Record<string, ort.Tensor> = {};
	for (const column of c.manifest.schema) {
		const values = rows[column.name as keyof RawRows];
		const n = values.length;
		out[column.name] =
			column.type === 'numeric' || column.type === 'datetime'
				? new ort.Tensor('float64', Float64Array.from(values as number[]), [n, 1])
				: new ort.Tensor('string', values as string[], [n, 1]);
	}
	return out;
}

async function both(c: ExportCase) {
	const session = await ort.InferenceSession.create(exportOnnx(c.manifest, c.saved));
	const onnx = await session.run(feeds(c, fresh));
	const ours: Predictions = await predictTable(
		await loadBundleModel(c.manifest, c.saved),
		freshTable
	);
	return { session, onnx, ours };
}

describe('the ONNX export, run in ONNX Runtime', () => {
	it('takes one input per schema column and gives the contract outputs', async () => {
		for (const c of cases) {
			const { session } = await both(c);
			expect(session.inputNames).toEqual(c.manifest.schema.map((s) => s.name));
			expect([...session.outputNames].sort()).toEqual(
				c.task === 'regression' ? ['prediction'] : ['label', 'probabilities']
			);
		}
	});

	it('gives the studio predictions on new rows (missing cells, unseen categories, later dates)', async () => {
		expect(cases).toHaveLength(9);
		// The trees split the one-hot blocks natively: the parity covers category-set splits too.
		// …and they read missing numbers as missing (NaN through the graph, not the fill).
		for (const c of cases.filter((x) => x.saved.family === 'gbdt')) {
			expect(
				readTrees(c.saved).trees.some((t) => t.categories.some(Boolean)),
				c.name
			).toBe(true);
			expect(
				c.manifest.recipe.steps.some((s) => s.kind === 'numeric' && s.numeric.keepMissing),
				c.name
			).toBe(true);
			// …and a missing colour as missing (a one-hot block with no 1, its own bin).
			expect(
				c.manifest.recipe.steps.some((s) => s.kind === 'categorical' && s.keepMissing),
				c.name
			).toBe(true);
		}
		for (const c of cases) {
			const { onnx, ours } = await both(c);
			const n = fresh.size.length;
			if (c.task === 'regression') {
				const got = onnx.prediction!.data as Float32Array;
				expect(got.length, c.name).toBe(n);
				let worst = 0;
				ours.predictions.forEach((v, i) => {
					worst = Math.max(
						worst,
						Math.abs(got[i]! - (v as number)) / Math.max(1, Math.abs(v as number))
					);
				});
				expect(worst, c.name).toBeLessThan(1e-5);
			} else {
				const k = c.manifest.model.labels.length;
				const probabilities = onnx.probabilities!.data as Float32Array;
				expect(onnx.probabilities!.dims, c.name).toEqual([n, k]);
				let worst = 0;
				for (let i = 0; i < n * k; i++)
					worst = Math.max(worst, Math.abs(probabilities[i]! - ours.probabilities![i]!));
				expect(worst, c.name).toBeLessThan(1e-5);
				expect(Array.from(onnx.label!.data as string[]), c.name).toEqual(ours.predictions);
			}
		}
	});

	it('carries a calibrated classifier’s probability map (Platt, temperature) at parity', async () => {
		for (const c of cases.filter((x) => x.task !== 'regression')) {
			const k = c.manifest.model.labels.length;
			const map =
				k === 2
					? { method: 'platt' as const, scale: 0.6, bias: [0, -0.3] }
					: { method: 'temperature' as const, scale: 0.5, bias: new Array<number>(k).fill(0) };
			const manifest = {
				...c.manifest,
				probabilityCalibration: {
					map,
					method: map.method,
					rows: 100,
					raw: 0.5,
					calibrated: 0.4,
					error: 0.01,
					test: { raw: 0.5, calibrated: 0.4 }
				}
			};
			const session = await ort.InferenceSession.create(exportOnnx(manifest, c.saved));
			const onnx = await session.run(feeds(c, fresh));
			const ours = await predictTable(await loadBundleModel(manifest, c.saved), freshTable);
			const raw = await predictTable(await loadBundleModel(c.manifest, c.saved), freshTable);
			const probabilities = onnx.probabilities!.data as Float32Array;
			let worst = 0;
			let moved = 0;
			for (let i = 0; i < probabilities.length; i++) {
				worst = Math.max(worst, Math.abs(probabilities[i]! - ours.probabilities![i]!));
				moved = Math.max(moved, Math.abs(ours.probabilities![i]! - raw.probabilities![i]!));
			}
			expect(worst, c.name).toBeLessThan(1e-5);
			expect(moved, c.name).toBeGreaterThan(0.01);
			expect(Array.from(onnx.label!.data as string[]), c.name).toEqual(ours.predictions);
		}
	});

	it('gives the studio predictions of an ensemble (trees on missing values, a filled linear and MLP member)', async () => {
		for (const task of ['binary', 'multiclass', 'regression'] as const) {
			const [linear, mlp, trees] = ['linear', 'mlp', 'gbdt'].map((family) =>
				cases.find((c) => c.task === task && c.saved.family === family)!
			);
			// The three were fitted on the same rows: one recipe, the trees' keeping missing values;
			// the other members see its fills.
			const recipe = trees!.manifest.recipe;
			const saved = ensembleSaved(
				{
					format: ENSEMBLE_FORMAT,
					version: ENSEMBLE_VERSION,
					task,
					inputs: recipe.features.length,
					fill: fillPlan(recipe),
					members: [
						{ family: 'gbdt', weight: 0.5 },
						{ family: 'linear', weight: 0.3 },
						{ family: 'mlp', weight: 0.2 }
					]
				},
				[trees!.saved, linear!.saved, mlp!.saved]
			);
			const c: ExportCase = {
				name: `ensemble ${task}`,
				task,
				manifest: { ...trees!.manifest, model: { ...trees!.manifest.model, family: 'ensemble' } },
				saved
			};
			const { onnx, ours } = await both(c);
			const n = fresh.size.length;
			const got = (task === 'regression' ? onnx.prediction! : onnx.probabilities!)
				.data as Float32Array;
			const want =
				task === 'regression'
					? Float64Array.from(ours.predictions as number[])
					: ours.probabilities!;
			expect(got.length, c.name).toBe(task === 'regression' ? n : n * (task === 'binary' ? 2 : 3));
			let worst = 0;
			want.forEach((v, i) => {
				worst = Math.max(worst, Math.abs(got[i]! - v) / Math.max(1, Math.abs(v)));
			});
			expect(worst, c.name).toBeLessThan(1e-5);
			// The blend is not any one member's answer.
			const alone = await predictTable(
				await loadBundleModel(trees!.manifest, trees!.saved),
				freshTable
			);
			expect(ours.predictions, c.name).not.toEqual(alone.predictions);
		}
	});

	it('declares opset 17, ai.onnx.ml 3 and the I/O contract in the file', () => {
		const model = decodeModel(exportOnnx(cases[0]!.manifest, cases[0]!.saved));
		expect(model.opsetImport).toEqual(
			expect.arrayContaining([
				{ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
				expect.objectContaining({ version: ONNX_OPSET })
			])
		);
		expect(model.docString).toContain('size: double [N, 1], NaN when missing');
		expect(model.docString).toContain('when: double [N, 1], epoch milliseconds (UTC)');
		expect(model.docString).toContain('colour: string [N, 1], "" when missing');
		const props = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
		expect(JSON.parse(props['driftwood.labels']!)).toEqual(cases[0]!.manifest.model.labels);
	});
});

/** The recipe's graph alone, run in ONNX Runtime: its float features for raw inputs. */
async function runRecipe(
	recipe: FittedRecipe,
	schema: { name: string; type: 'numeric' | 'datetime' | 'categorical' }[],
	feedsOf: Record<string, ort.Tensor>
): Promise<Float32Array> {
	const g = new GraphBuilder();
	const x = recipeGraph(g, schema, recipe);
	g.output(x, 'features', DataType.FLOAT, ['N', recipe.features.length]);
	g.assertWellFormed();
	const bytes = encodeModel({
		irVersion: 8,
		producerName: 'test',
		producerVersion: '0',
		modelVersion: 1,
		docString: '',
		opsetImport: [
			{ domain: '', version: ONNX_OPSET },
			{ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }
		],
		metadataProps: [],
		graph: {
			name: 'recipe',
			node: g.nodes,
			initializer: g.initializers,
			input: g.inputs,
			output: g.outputs
		}
	});
	const session = await ort.InferenceSession.create(bytes);
	return (await session.run(feedsOf)).features!.data as Float32Array;
}

const identity = {
	fill: -7,
	indicator: false,
	clipLower: null,
	clipUpper: null,
	center: 0,
	scale: 1
};

describe('the ONNX recipe graph', () => {
	it('computes every calendar part as the UTC getters of Date do, from 1600 to 2400', async () => {
		const day = 86_400_000;
		const instants = [
			0,
			-1,
			1,
			day - 1,
			day,
			Date.UTC(2000, 1, 29, 23, 59, 59, 999),
			Date.UTC(1900, 2, 1),
			Date.UTC(2100, 1, 28, 23, 59, 59, 999),
			Date.UTC(2024, 11, 31, 12),
			Date.UTC(1969, 11, 31, 23),
			Date.UTC(1600, 0, 1),
			Date.UTC(2400, 11, 31, 23, 59),
			NaN,
			Infinity,
			-Infinity,
			9e15
		];
		let s = 12345;
		for (let i = 0; i < 3000; i++) {
			s = (s * 1103515245 + 12345) % 2147483648;
			instants.push(Date.UTC(1600, 0, 1) + Math.floor((s / 2147483648) * 800 * 365.25 * day));
		}
		const recipe: FittedRecipe = {
			version: 1,
			target: 't',
			steps: [
				{
					column: 'when',
					kind: 'datetime',
					parts: DATE_PARTS.map((part) => ({ part, numeric: identity }))
				}
			],
			features: DATE_PARTS.map((p) => `when ${p}`)
		};
		const got = await runRecipe(recipe, [{ name: 'when', type: 'datetime' }], {
			when: new ort.Tensor('float64', Float64Array.from(instants), [instants.length, 1])
		});
		const wrong: string[] = [];
		instants.forEach((ms, i) =>
			DATE_PARTS.forEach((part, j) => {
				const expected = Number.isFinite(datePart(ms, part)) ? datePart(ms, part) : identity.fill;
				if (got[i * DATE_PARTS.length + j] !== expected)
					wrong.push(`${ms} ${part}: ${got[i * DATE_PARTS.length + j]} ≠ ${expected}`);
			})
		);
		expect(wrong).toEqual([]);
	});

	it('writes a missing category as transformTable does, kept missing or filled, one-hot and ordinal', async () => {
		const colours = ['red', '', 'blue', 'green', '', 'red', 'mauve'];
		// An id column keeps the empty cells' lines from reading as blank lines.
		const table = await tableOf(`id,colour\n${colours.map((c, i) => `${i},${c}`).join('\n')}\n`);
		const wrong: string[] = [];
		for (const encode of ['onehot', 'ordinal'] as const)
			for (const keep of [false, true]) {
				const step = {
					column: 'colour',
					kind: 'categorical' as const,
					categories: ['red', 'blue', 'green'],
					fill: 'red',
					encode,
					other: true,
					...(keep ? { keepMissing: true as const } : {})
				};
				const recipe: FittedRecipe = {
					version: 1,
					target: 't',
					steps: [step],
					features:
						encode === 'onehot'
							? ['colour=red', 'colour=blue', 'colour=green', 'colour=(other)']
							: ['colour']
				};
				const got = await runRecipe(recipe, [{ name: 'colour', type: 'categorical' }], {
					colour: new ort.Tensor('string', colours, [colours.length, 1])
				});
				const expected = transformTable(recipe, table);
				expected.forEach((v, i) => {
					if (!Object.is(v, got[i]))
						wrong.push(`${encode} keep=${keep} cell ${i}: ${got[i]} ≠ ${v}`);
				});
				if (keep && encode === 'ordinal') expect(Number.isNaN(expected[1])).toBe(true);
				if (keep && encode === 'onehot')
					expect(Array.from(expected.slice(4, 8))).toEqual([0, 0, 0, 0]);
			}
		expect(wrong).toEqual([]);
	});

	it('refuses by name what it cannot write exactly, and packs bundles whose columns clash without it', async () => {
		const c = cases.find((x) => x.saved.family === 'mlp')!;
		const json = JSON.parse(new TextDecoder().decode(c.saved.files['model.json']));
		json.modelTopology.config.layers[0].config.activation = 'softsign';
		const odd = {
			...c.saved,
			files: { ...c.saved.files, 'model.json': new TextEncoder().encode(JSON.stringify(json)) }
		};
		expect(() => exportOnnx(c.manifest, odd)).toThrow(/activation "softsign"/);
		const renamed = {
			...c.manifest,
			schema: c.manifest.schema.map((s) => (s.name === 'size' ? { ...s, name: 'label' } : s)),
			recipe: {
				...c.manifest.recipe,
				steps: c.manifest.recipe.steps.map((s) =>
					s.column === 'size' ? { ...s, column: 'label' } : s
				)
			}
		};
		let refusal: unknown;
		try {
			exportOnnx(renamed, c.saved);
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toBeInstanceOf(DriftwoodError);
		expect((refusal as DriftwoodError).code).toBe('bundle');
		expect((refusal as Error).message).toMatch(/column is named "label"/);
	});
});
