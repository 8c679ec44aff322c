import { zipSync, strToU8, type Zippable } from 'fflate';
import { DriftwoodError } from '../errors';
import { sha256Hex } from '../hash/sha256';
import type { SavedModel } from '../model/family';
import { ONNX_PATH, type Manifest } from './manifest';
import { exportOnnx } from './onnx';

/** What a bundle is packed from: the manifest (without checksums), the saved model, the card. */
export interface BundleParts {
	manifest: Omit<Manifest, 'files'>;
	/** The model as its family saved it; its files go under `model/`. */
	model: SavedModel;
	readme: string;
}

/** A fixed timestamp: the same model packs to the same bytes. */
const ZIP_TIME = new Date('2020-01-01T00:00:00Z');

/**
 * Packs a bundle (`*.driftwood.zip`): the card, the model's files under `model/`, the model with
 * its preprocessing as `model.onnx`, and the manifest with each one's SHA-256. Binary files are
 * stored, text deflated. A model whose
 * ONNX export is refused (a column named like an ONNX output) is packed without it; "Download
 * ONNX" says why.
 */
export async function packBundle(parts: BundleParts): Promise<Uint8Array> {
	if (parts.manifest.model.family !== parts.model.family)
		throw new Error(
			`The manifest names the family "${parts.manifest.model.family}" but the model is "${parts.model.family}".`
		);
	const entries: [string, Uint8Array][] = [
		['README.md', strToU8(parts.readme)],
		...Object.entries(parts.model.files).map(
			([name, bytes]) => [`model/${name}`, bytes] as [string, Uint8Array]
		),
		...onnxEntry(parts)
	];
	const files: Record<string, string> = {};
	for (const [path, bytes] of entries) files[path] = await sha256Hex(bytes);
	const manifest: Manifest = { ...parts.manifest, files };
	const zip: Zippable = { 'manifest.json': strToU8(JSON.stringify(manifest, null, 2)) };
	for (const [path, bytes] of entries)
		zip[path] = /\.(bin|onnx)$/.test(path) ? [bytes, { level: 0 }] : bytes;
	return zipSync(zip, { level: 6, mtime: ZIP_TIME });
}

function onnxEntry(parts: BundleParts): [string, Uint8Array][] {
	try {
		return [[ONNX_PATH, exportOnnx(parts.manifest, parts.model)]];
	} catch (error) {
		if (error instanceof DriftwoodError && error.code === 'bundle') return [];
		throw error;
	}
}
