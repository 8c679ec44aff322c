import { describe, expect, it, beforeAll } from 'vitest';
import { renderModelCard } from '../lib/core/bundle/card';
import { packBundle, type BundleParts } from '../lib/core/bundle/pack';
import { trainPenguins, type PenguinsModel } from '../../tests/unit/penguins-model';
import { loadBundle, type BundleBytes } from './index';

let penguins: PenguinsModel;
let parts: BundleParts;
let bundle: Uint8Array;
const rows = [
	{
		Island: 'Dream',
		'Beak Length (mm)': 49,
		'Beak Depth (mm)': 18.5,
		'Flipper Length (mm)': 195,
		'Body Mass (g)': 3800,
		Sex: 'FEMALE'
	},
	{
		Island: 'Biscoe',
		'Beak Length (mm)': 47.5,
		'Beak Depth (mm)': 14.2,
		'Flipper Length (mm)': 217,
		'Body Mass (g)': 5000,
		Sex: 'MALE'
	}
];

beforeAll(async () => {
	penguins = await trainPenguins(15);
	parts = {
		manifest: penguins.manifest,
		model: penguins.result.artifacts.model,
		readme: renderModelCard(penguins.manifest, {
			intendedUse: 'Tests.',
			limitations: 'None known.',
			robustness: [],
			importance: [],
			rows: penguins.result.rows
		})
	};
	bundle = await packBundle(parts);
});

describe('loadBundle', () => {
	it('predicts the same from every byte container: Buffer, views with an offset, ArrayBuffer, Blob, Response', async () => {
		const expected = await (await loadBundle(bundle.slice().buffer)).predict(rows);
		expect(new Set(expected.map((r) => r.prediction))).toEqual(new Set(['Chinstrap', 'Gentoo']));
		for (const r of expected)
			for (const p of Object.values(r.probabilities!)) expect(Number.isFinite(p)).toBe(true);
		// A view into a larger buffer, as Node's pooled Buffers and subarrays are.
		const padded = new Uint8Array(bundle.length + 300);
		padded.fill(7);
		padded.set(bundle, 100);
		const containers: [string, BundleBytes][] = [
			['Buffer', Buffer.from(bundle)],
			['Buffer in a pool', Buffer.from(padded.buffer, 100, bundle.length)],
			['Uint8Array view', padded.subarray(100, 100 + bundle.length)],
			['DataView', new DataView(padded.buffer, 100, bundle.length)],
			['Blob', new Blob([bundle.slice()])],
			['Response', new Response(bundle.slice())]
		];
		for (const [name, bytes] of containers) {
			const model = await loadBundle(bytes);
			const got = await model.predict(rows);
			expect(
				got.map((r) => r.prediction),
				name
			).toEqual(expected.map((r) => r.prediction));
			for (let i = 0; i < rows.length; i++)
				for (const [label, p] of Object.entries(expected[i]!.probabilities!))
					expect(got[i]!.probabilities![label], name).toBeCloseTo(p, 7);
			model.dispose();
		}
		await expect(loadBundle('model.zip' as unknown as BundleBytes)).rejects.toThrow(
			/takes the bundle as an ArrayBuffer/
		);
	});

	it('refuses to return a prediction when the weights make the outputs NaN', async () => {
		const size = parts.model.files['weights.bin']!.byteLength / 4;
		const weights = new Uint8Array(new Float32Array(size).fill(Number.NaN).buffer);
		const broken = await packBundle({
			...parts,
			model: { ...parts.model, files: { ...parts.model.files, 'weights.bin': weights } }
		});
		const model = await loadBundle(broken);
		await expect(model.predict(rows)).rejects.toMatchObject({
			code: 'non-finite',
			message: expect.stringMatching(/produced NaN as a probability for row 1/)
		});
		model.dispose();
	});
});
