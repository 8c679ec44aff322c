import { zipSync, strToU8 } from 'fflate';
import { sha256Hex } from '../hash/sha256';
import type { Manifest } from './manifest';

/** The standard TF.js LayersModel `model.json` for one weights file. */
export interface LayersModelJson {
	format: 'layers-model';
	generatedBy: string;
	convertedBy: null;
	modelTopology: object;
	weightsManifest: {
		paths: ['weights.bin'];
		weights: { name: string; shape: number[]; dtype: string }[];
	}[];
}

export interface BundleParts {
	manifest: Omit<Manifest, 'files'>;
	modelJson: LayersModelJson;
	weights: ArrayBuffer;
	readme: string;
}

/** A fixed timestamp: the same model packs to the same bytes. */
const ZIP_TIME = new Date('2020-01-01T00:00:00Z');

/** Packs a bundle (`*.driftwood.zip`): the files, and the manifest with each one's SHA-256. */
export async function packBundle(parts: BundleParts): Promise<Uint8Array> {
	const modelBytes = strToU8(JSON.stringify(parts.modelJson));
	const weightBytes = new Uint8Array(parts.weights);
	const readmeBytes = strToU8(parts.readme);
	const manifest: Manifest = {
		...parts.manifest,
		files: {
			'model/model.json': await sha256Hex(modelBytes),
			'model/weights.bin': await sha256Hex(weightBytes),
			'README.md': await sha256Hex(readmeBytes)
		}
	};
	return zipSync(
		{
			'manifest.json': strToU8(JSON.stringify(manifest, null, 2)),
			'model/model.json': modelBytes,
			'model/weights.bin': [weightBytes, { level: 0 }],
			'README.md': readmeBytes
		},
		{ level: 6, mtime: ZIP_TIME }
	);
}

/** The file name of a bundle: `<name>-v<version>.driftwood.zip`, safe for any file system. */
export function bundleFileName(name: string, version: number): string {
	const safe =
		name
			.trim()
			.replace(/[^\w.-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'model';
	return `${safe}-v${version}.driftwood.zip`;
}

/** The standard `model.json` for a trained model's artifacts (one weights file). */
export function modelJsonFrom(artifacts: {
	modelTopology: object;
	weightSpecs: { name: string; shape: number[]; dtype: string }[];
}): LayersModelJson {
	return {
		format: 'layers-model',
		generatedBy: 'Driftwood (TensorFlow.js layers)',
		convertedBy: null,
		modelTopology: artifacts.modelTopology,
		weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }]
	};
}
