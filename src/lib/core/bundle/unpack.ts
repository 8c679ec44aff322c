import { DriftwoodError, errorMessage } from '../errors';
import { Unzip, UnzipInflate, strFromU8 } from 'fflate';
import * as v from 'valibot';
import { ownBuffer } from './bytes';
import { sha256Hex } from '../hash/sha256';
import {
	BUNDLE_FILES,
	BUNDLE_FORMAT,
	BUNDLE_FORMAT_VERSION,
	ManifestSchema,
	type BundleFile,
	type Manifest
} from './manifest';
import type { LayersModelJson } from './pack';

/** A bundle may expand to at most this many bytes, counted as they are really produced. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export class BundleError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'bundle');
		this.name = 'BundleError';
	}
}

export interface UnpackedBundle {
	manifest: Manifest;
	modelJson: LayersModelJson;
	weights: ArrayBuffer;
	readme: string;
}

const ALLOWED = new Set<string>(BUNDLE_FILES);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Opens a bundle and checks everything before anything uses it: only the four allowed paths,
 * each once; decompressed bytes counted for real against `maxBytes` (a zip bomb's declared sizes
 * are ignored); a manifest that is JSON without prototype keys and matches the schema; every
 * file's SHA-256; weights exactly as long as the model declares; a schema that covers every
 * column the recipe reads. Each refusal is a `BundleError` that says what is wrong.
 */
export async function unpackBundle(
	bytes: Uint8Array,
	maxBytes = MAX_BUNDLE_BYTES
): Promise<UnpackedBundle> {
	const files = extract(bytes, maxBytes);
	for (const name of BUNDLE_FILES) {
		if (!files.has(name)) {
			throw new BundleError(
				files.size === 0 || !files.has('manifest.json')
					? 'This zip is not a Driftwood bundle: it has no manifest.json. Export the model from Driftwood and import that file.'
					: `The bundle is incomplete: ${name} is missing.`
			);
		}
	}
	const manifest = parseManifest(files.get('manifest.json')!);
	for (const name of ['model/model.json', 'model/weights.bin', 'README.md'] as const) {
		if ((await sha256Hex(files.get(name)!)) !== manifest.files[name]) {
			throw new BundleError(
				`The bundle was changed after it was exported: ${name} does not match its checksum. Ask for a fresh export.`
			);
		}
	}
	const modelJson = parseJson(
		files.get('model/model.json')!,
		'model/model.json'
	) as LayersModelJson;
	const weights = files.get('model/weights.bin')!;
	const declared = declaredWeightBytes(modelJson);
	if (declared !== weights.length) {
		throw new BundleError(
			`The weights are ${weights.length} bytes but the model declares ${declared}: the file is truncated or foreign.`
		);
	}
	const schemaNames = new Set(manifest.schema.filter((c) => c.required).map((c) => c.name));
	const missing = manifest.recipe.steps.map((s) => s.column).filter((c) => !schemaNames.has(c));
	if (missing.length) {
		throw new BundleError(
			`The manifest's input schema omits ${missing.map((c) => `"${c}"`).join(', ')}, which the model needs: the bundle is inconsistent.`
		);
	}
	return {
		manifest,
		modelJson,
		weights: ownBuffer(weights),
		readme: strFromU8(files.get('README.md')!)
	};
}

function extract(bytes: Uint8Array, maxBytes: number): Map<BundleFile, Uint8Array> {
	const files = new Map<BundleFile, Uint8Array>();
	let total = 0;
	let failure: BundleError | null = null;
	const fail = (message: string) => {
		failure ??= new BundleError(message);
		throw failure;
	};
	const unzip = new Unzip((file) => {
		if (failure) return;
		const name = file.name;
		if (!ALLOWED.has(name)) {
			fail(
				/(^|\/)\.\.(\/|$)|^\/|^[a-z]:|\\/i.test(name)
					? `The bundle holds an unsafe path ("${name}"): refused.`
					: `The bundle holds an unexpected file ("${name}"): only ${BUNDLE_FILES.join(', ')} are allowed.`
			);
		}
		if (files.has(name as BundleFile)) fail(`The bundle holds "${name}" twice: refused.`);
		const chunks: Uint8Array[] = [];
		files.set(name as BundleFile, new Uint8Array(0));
		file.ondata = (error, chunk, final) => {
			if (error) fail(`The bundle is damaged (${error.message}).`);
			total += chunk.length;
			if (total > maxBytes)
				fail(
					`The bundle expands past ${Math.round(maxBytes / 1048576)} MB: refused (a zip bomb, or a model too large for the browser).`
				);
			chunks.push(chunk);
			if (final) files.set(name as BundleFile, concat(chunks));
		};
		file.start();
	});
	unzip.register(UnzipInflate);
	try {
		unzip.push(bytes, true);
	} catch (error) {
		if (failure) throw failure;
		throw new BundleError(`This file is not a readable zip (${errorMessage(error)}).`);
	}
	if (failure) throw failure;
	return files;
}

function parseManifest(bytes: Uint8Array): Manifest {
	const json = parseJson(bytes, 'manifest.json');
	const record = json as { format?: unknown; formatVersion?: unknown };
	if (record === null || typeof record !== 'object' || record.format !== BUNDLE_FORMAT) {
		throw new BundleError(
			'This zip is not a Driftwood bundle (its manifest is foreign). Export the model from Driftwood and import that file.'
		);
	}
	if (typeof record.formatVersion === 'number' && record.formatVersion > BUNDLE_FORMAT_VERSION) {
		throw new BundleError(
			`This bundle was made by a newer Driftwood (format ${record.formatVersion}; this one reads ${BUNDLE_FORMAT_VERSION}). Update Driftwood to import it.`
		);
	}
	const parsed = v.safeParse(ManifestSchema, json);
	if (!parsed.success) {
		const issues = parsed.issues
			.slice(0, 3)
			.map((issue) => `${v.getDotPath(issue) ?? 'manifest'}: ${issue.message}`);
		throw new BundleError(`The bundle's manifest is invalid (${issues.join('; ')}).`);
	}
	return parsed.output;
}

/** JSON with no prototype keys anywhere (`__proto__`, `constructor`, `prototype`). */
function parseJson(bytes: Uint8Array, name: string): unknown {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new BundleError(`${name} is not UTF-8 text: the bundle is damaged.`);
	}
	try {
		return JSON.parse(text, (key, value: unknown) => {
			if (FORBIDDEN_KEYS.has(key))
				throw new BundleError(`${name} holds a "${key}" key: refused as a tampered file.`);
			return value;
		});
	} catch (error) {
		if (error instanceof BundleError) throw error;
		throw new BundleError(`${name} is not valid JSON: the bundle is damaged.`);
	}
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function declaredWeightBytes(modelJson: LayersModelJson): number {
	const groups = modelJson?.weightsManifest;
	if (!Array.isArray(groups) || groups.length !== 1)
		throw new BundleError(
			'model/model.json has no weights manifest: it is not a TF.js LayersModel.'
		);
	let total = 0;
	for (const w of groups[0]!.weights ?? []) {
		const size = DTYPE_BYTES[w.dtype];
		if (!size || !Array.isArray(w.shape))
			throw new BundleError(`model/model.json declares an unsupported weight "${w.name}".`);
		total += size * w.shape.reduce((a, b) => a * b, 1);
	}
	return total;
}

function concat(chunks: Uint8Array[]): Uint8Array {
	if (chunks.length === 1) return chunks[0]!;
	const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
