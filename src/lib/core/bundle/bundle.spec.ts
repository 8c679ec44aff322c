import * as tf from '@tensorflow/tfjs';
import type { ExperimentResult } from '../model/experiment';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyProbabilityMap } from '../calibration/probabilities';
import { transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { modelIdentity } from './bytes';
import { renderModelCard } from './card';
import { predictionsCsv } from './csv-out';
import { packBundle, type BundleParts } from './pack';
import { loadBundleModel, predictTable } from './predict';
import { unpackBundle } from './unpack';
import { trainPenguins, type PenguinsModel } from '../../../../tests/unit/penguins-model';
import { asFormatV1 } from '../../../../tests/unit/format-v1';
import { hostileBundles } from '../../../../tests/fixtures/hostile-bundles';

let table: Table;
let result: ExperimentResult;
let parts: BundleParts;
let bundle: Uint8Array;
let manifest: PenguinsModel['manifest'];

beforeAll(async () => {
	({ table, result, manifest } = await trainPenguins(15));
	parts = {
		manifest,
		model: result.artifacts.model,
		readme: renderModelCard(manifest, {
			intendedUse: 'Tests.',
			limitations: 'None known.',
			robustness: [],
			importance: [],
			rows: result.rows
		})
	};
	bundle = await packBundle(parts);
});

/** Rewrites one file of the bundle (and optionally the manifest) into a new zip. */
function repack(change: (files: Record<string, Uint8Array>) => void): Uint8Array {
	const files = unzipSync(bundle);
	change(files);
	return zipSync(files);
}

function editManifest(edit: (m: Record<string, unknown>) => void): Uint8Array {
	return repack((files) => {
		const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<
			string,
			unknown
		>;
		edit(manifest);
		files['manifest.json'] = strToU8(JSON.stringify(manifest));
	});
}

/** A zip written by hand (stored entries), for names and layouts fflate's writer refuses. */
function rawZip(entries: [string, Uint8Array][]): Uint8Array {
	const chunks: number[] = [];
	const u16 = (v: number) => chunks.push(v & 0xff, (v >> 8) & 0xff);
	const u32 = (v: number) =>
		chunks.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
	for (const [name, data] of entries) {
		const n = strToU8(name);
		u32(0x04034b50);
		u16(20);
		u16(0);
		u16(0);
		u16(0);
		u16(0);
		u32(0); // crc (not checked by the streaming reader)
		u32(data.length);
		u32(data.length);
		u16(n.length);
		u16(0);
		chunks.push(...n, ...data);
	}
	return Uint8Array.from(chunks);
}

describe('bundle', () => {
	it('writes a datetime input’s training range as dates in the card', () => {
		const year = { name: 'Year', type: 'datetime' as const, required: true };
		const card = renderModelCard(
			{ ...manifest, schema: [...manifest.schema, { ...year, range: [0, 378_691_200_000] }] },
			{ intendedUse: '', limitations: '', robustness: [], importance: [], rows: result.rows }
		);
		expect(card).toContain('- `Year` — datetime, trained on 1970-01-01 … 1982-01-01');
	});

	it('gives a bundle imported again the identity of the version it came from', async () => {
		const opened = await unpackBundle(bundle);
		const stored = await modelIdentity(parts.model);
		expect(await modelIdentity(opened.model)).toBe(stored);
		const weights = parts.model.files['weights.bin']!.slice();
		weights[0] = weights[0]! ^ 1;
		const other = { ...parts.model, files: { ...parts.model.files, 'weights.bin': weights } };
		expect(await modelIdentity(other)).not.toBe(stored);
	});

	it('packs deterministically and unpacks to the same files', async () => {
		expect(await packBundle(parts)).toEqual(bundle);
		const opened = await unpackBundle(bundle);
		expect(opened.manifest.model).toMatchObject({
			name: 'penguins',
			version: 1,
			task: 'multiclass',
			labels: ['Adelie', 'Chinstrap', 'Gentoo']
		});
		expect(opened.manifest.formatVersion).toBe(2);
		expect(opened.manifest.model.family).toBe('mlp');
		expect(Object.keys(opened.manifest.files).sort()).toEqual([
			'README.md',
			'model.onnx',
			'model/model.json',
			'model/weights.bin'
		]);
		expect(opened.model.family).toBe('mlp');
		expect(opened.model.files['weights.bin']).toEqual(result.artifacts.model.files['weights.bin']);
		expect(opened.readme).toContain('# penguins — version 1');
		expect(opened.manifest.schema.map((c) => c.name)).toEqual(
			result.recipe.steps.map((s) => s.column)
		);
		// The drift reference travels with the model: raw training rows, inputs and target.
		// The deployed model was refitted on every row after the test: they are its reference.
		const fitted = result.rows.train + result.rows.validation + result.rows.test;
		expect(result.finalRefit?.rows).toBe(fitted);
		expect(opened.manifest.reference.sample?.rows).toBe(fitted);
		expect(opened.manifest.reference.sample?.columns.map((c) => c.name)).toEqual([
			...result.recipe.steps.map((s) => s.column),
			'Species'
		]);
		// Its statistics are the fitted rows' own: counts add up to them, and the
		// quartiles equal those of the sampled training values (all of them: fewer than 10,000).
		const { reference } = opened.manifest;
		expect(reference.rows).toBe(fitted);
		const species = reference.columns.find((c) => c.name === 'Species')!;
		expect(species.categories!.reduce((n, c) => n + c.count, 0)).toBe(fitted);
		const mass = reference.columns.find((c) => c.name === 'Body Mass (g)')!;
		const values = reference
			.sample!.columns.find((c) => c.name === 'Body Mass (g)')!
			.values.filter((v): v is number => typeof v === 'number')
			.sort((a, b) => a - b);
		const median =
			values.length % 2
				? values[(values.length - 1) / 2]!
				: (values[values.length / 2 - 1]! + values[values.length / 2]!) / 2;
		expect(mass.quantiles?.p50).toBe(median);
		expect(mass.count + mass.missing).toBe(fitted);
	});

	it('predicts exactly as the trained model, and stock tf.loadLayersModel loads model/', async () => {
		const opened = await unpackBundle(bundle);
		const loaded = await loadBundleModel(opened.manifest, opened.model);
		const predicted = await predictTable(loaded, table);
		expect(predicted.predictions).toHaveLength(344);
		// Stock tfjs, no Driftwood code: model.json + weights.bin straight from the zip.
		const files = unzipSync(bundle);
		const json = JSON.parse(new TextDecoder().decode(files['model/model.json']));
		const stock = await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: json.modelTopology,
				weightSpecs: json.weightsManifest[0].weights,
				weightData: files['model/weights.bin']!.slice().buffer
			})
		);
		const x = transformTable(opened.manifest.recipe, table);
		const output = stock.predict(
			tf.tensor2d(x, [344, opened.manifest.recipe.features.length])
		) as tf.Tensor;
		// …then the probability map the run kept, when it kept one.
		const map = opened.manifest.probabilityCalibration?.map;
		const raw = await output.data();
		const values = map ? applyProbabilityMap(map, raw, 3) : raw;
		for (let i = 0; i < 344 * 3; i++)
			expect(Math.abs(values[i]! - predicted.probabilities![i]!)).toBeLessThan(1e-6);
		output.dispose();
		stock.dispose();
		loaded.model.dispose();
		const csv = predictionsCsv(table, predicted).split('\n');
		expect(csv[0]).toBe(
			'Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,prediction,probability_Adelie,probability_Chinstrap,probability_Gentoo'
		);
	});

	it.each([
		[
			'a byte flipped in the weights',
			() => repack((f) => (f['model/weights.bin']![10]! ^= 1)),
			/model\/weights.bin does not match its checksum/
		],
		[
			'weights 3 bytes short',
			() => repack((f) => (f['model/weights.bin'] = f['model/weights.bin']!.slice(0, -3))),
			/weights.bin does not match its checksum/
		],
		[
			'manifest __proto__ keys',
			() =>
				repack(
					(f) =>
						(f['manifest.json'] = strToU8(
							new TextDecoder()
								.decode(f['manifest.json'])
								.replace('{', '{"__proto__": {"polluted": true},')
						))
				),
			/"__proto__" key: refused/
		],
		[
			'a schema that omits a required column',
			() => editManifest((m) => (m.schema = (m.schema as unknown[]).slice(1))),
			/schema omits "Island"/
		],
		[
			'a newer formatVersion',
			() => editManifest((m) => (m.formatVersion = 3)),
			/made by a newer Driftwood \(format 3/
		],
		[
			'a family this Driftwood does not know',
			() => editManifest((m) => ((m.model as Record<string, unknown>).family = 'forest')),
			/manifest is invalid \(model.family/
		],
		[
			'conformal scores out of order (a bound would read the wrong score)',
			() =>
				editManifest((m) => {
					const conformal = m.conformal as { calibration: { scores: number[] } };
					conformal.calibration.scores.reverse();
				}),
			/manifest is invalid \(conformal.calibration.scores: scores must be sorted/
		],
		[
			'a negative conformal score',
			() =>
				editManifest((m) => {
					(m.conformal as { calibration: { scores: number[] } }).calibration.scores[0] = -1;
				}),
			/manifest is invalid \(conformal.calibration.scores/
		],
		[
			'a model file the family does not save',
			() => repack((f) => (f['model/extra.bin'] = new Uint8Array(4))),
			/unexpected file \("model\/extra.bin"\): a MLP model has only/
		],
		[
			'a manifest that lists a file the bundle lacks',
			() =>
				editManifest((m) => {
					(m.files as Record<string, string>)['model/extra.bin'] = '0'.repeat(64);
				}),
			/manifest lists .*model\/extra.bin.* the bundle is inconsistent/
		],
		[
			'a foreign zip',
			() => zipSync({ 'data.csv': strToU8('a,b\n1,2\n') }),
			/unexpected file \("data.csv"\)/
		],
		[
			'a foreign manifest',
			() =>
				zipSync({
					'manifest.json': strToU8('{"name": "other"}'),
					'model/model.json': strToU8('{}'),
					'model/weights.bin': new Uint8Array(0),
					'README.md': strToU8('')
				}),
			/not a Driftwood bundle/
		],
		['zip slip ../', () => rawZip([['../evil.js', strToU8('x')]]), /unsafe path \("..\/evil.js"\)/],
		['an absolute path', () => rawZip([['/etc/passwd', strToU8('x')]]), /unsafe path/],
		[
			'a __proto__ entry name',
			() => rawZip([['__proto__', strToU8('{}')]]),
			/unexpected file \("__proto__"\)/
		],
		[
			'a duplicate name',
			() =>
				rawZip([
					['README.md', strToU8('a')],
					['README.md', strToU8('b')]
				]),
			/holds "README.md" twice/
		],
		[
			'not a zip at all',
			() => strToU8('hello, not a zip'),
			/not a Driftwood bundle|not a readable zip/
		]
	])('refuses %s before tfjs sees it', async (_, make, message) => {
		const before = tf.memory().numTensors;
		await expect(unpackBundle(make())).rejects.toThrow(message);
		expect(tf.memory().numTensors).toBe(before);
		expect(Object.keys(Object.prototype)).toEqual([]);
	});

	it('refuses a bundle whose parts disagree, even with fresh checksums (tests/fixtures/hostile-bundles.ts)', async () => {
		const hostile = await hostileBundles(parts);
		expect(hostile).toHaveLength(5);
		for (const { name, bytes, refusal } of hostile)
			await expect(unpackBundle(bytes), name).rejects.toThrow(refusal);
	});

	it('refuses weights that do not match the model, even with a fresh checksum', async () => {
		const short = parts.model.files['weights.bin']!.slice(0, -4);
		const tampered = await packBundle({
			...parts,
			model: { ...parts.model, files: { ...parts.model.files, 'weights.bin': short } }
		});
		await expect(unpackBundle(tampered)).rejects.toThrow(/truncated or foreign/);
	});

	it('still imports a format-1 bundle, its family read from the model', async () => {
		const current = JSON.parse(new TextDecoder().decode(unzipSync(bundle)['manifest.json']));
		expect(current.model.family).toBe('mlp');
		const opened = await unpackBundle(await asFormatV1(bundle));
		expect(opened.manifest.formatVersion).toBe(2);
		expect(opened.manifest.model.family).toBe('mlp');
		expect(opened.model.family).toBe('mlp');
		const loaded = await loadBundleModel(opened.manifest, opened.model);
		const predicted = await predictTable(loaded, table);
		loaded.model.dispose();
		expect(predicted.predictions).toHaveLength(344);
	});

	it('imports a bundle made before model.onnx, and refuses a changed or unlisted model.onnx', async () => {
		const older = editManifest((m) => {
			delete (m.files as Record<string, string>)['model.onnx'];
		});
		const withoutOnnx = unzipSync(older);
		delete withoutOnnx['model.onnx'];
		expect((await unpackBundle(zipSync(withoutOnnx))).manifest.model.family).toBe('mlp');
		await expect(unpackBundle(older)).rejects.toThrow(/inconsistent/);
		const changed = repack((files) => {
			files['model.onnx'] = Uint8Array.from(files['model.onnx']!, (b, i) => (i === 40 ? b ^ 1 : b));
		});
		await expect(unpackBundle(changed)).rejects.toThrow(/model\.onnx does not match its checksum/);
	});

	it('refuses a zip bomb by counting real bytes, whatever sizes it declares', async () => {
		const bomb = zipSync({ 'README.md': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
		// Declare a tiny uncompressed size in the local header (offset 22).
		new DataView(bomb.buffer).setUint32(22, 100, true);
		expect(bomb.length).toBeLessThan(64 * 1024);
		await expect(unpackBundle(bomb, 1024 * 1024)).rejects.toThrow(/expands past 1 MB/);
	});
});
