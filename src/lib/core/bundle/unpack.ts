import { DriftwoodError, errorMessage } from '../errors';
import { Unzip, UnzipInflate, strFromU8 } from 'fflate';
import * as v from 'valibot';
import { sha256Hex } from '../hash/sha256';
import { consistencyProblems } from './consistency';
import { familyEntry } from '../model/families';
import type { SavedModel } from '../model/family';
import { layersFamilyOf } from '../model/neural/files';
import {
	BUNDLE_FORMAT,
	BUNDLE_FORMAT_VERSION,
	BUNDLE_PATH,
	ManifestSchema,
	ONNX_PATH,
	ManifestV1Schema,
	type Manifest
} from './manifest';

/** A bundle may expand to at most this many bytes, counted as they are really produced. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

/** A bundle refused at import: the message says what is wrong with it (code `bundle`). */
export class BundleError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'bundle');
		this.name = 'BundleError';
	}
}

/** A bundle that passed every check: what the studio, the runtime and the CLI load. */
export interface UnpackedBundle {
	/** The manifest, in format 2 whatever the bundle's format (a format-1 one is upgraded). */
	manifest: Manifest;
	model: SavedModel;
	readme: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Opens a bundle and checks everything before anything uses it: only `manifest.json`, `README.md`
 * and `model/` files with plain names, each once; decompressed bytes counted for real against
 * `maxBytes` (a zip bomb's declared sizes are ignored); a manifest that is JSON without prototype
 * keys and matches the schema; exactly the files the model's family saves, each with its SHA-256;
 * the family's own check of its files (weights as long as declared, a well-formed tree); a schema
 * that covers every column the recipe reads. Each refusal is a `BundleError` that says what is
 * wrong.
 */
export async function unpackBundle(
	bytes: Uint8Array,
	maxBytes = MAX_BUNDLE_BYTES
): Promise<UnpackedBundle> {
	const files = extract(bytes, maxBytes);
	const manifestBytes = files.get('manifest.json');
	if (!manifestBytes) {
		throw new BundleError(
			'This zip is not a Driftwood bundle: it has no manifest.json. Export the model from Driftwood and import that file.'
		);
	}
	files.delete('manifest.json');
	const { manifest, family } = parseManifest(manifestBytes);
	const entry = familyEntry(family ?? 'linear');
	// An ensemble's own file names its members' files: they are expected too.
	const modelFiles = [...entry.files];
	if (entry.memberFiles) {
		const own = Object.fromEntries(
			entry.files.flatMap((f) => {
				const bytes = files.get(`model/${f}`);
				return bytes ? [[f, bytes] as const] : [];
			})
		);
		try {
			modelFiles.push(...entry.memberFiles(own));
		} catch (error) {
			throw new BundleError(error instanceof Error ? error.message : String(error));
		}
	}
	// model.onnx is optional (older bundles lack it); when there, it is listed and checksummed.
	const expected = [
		'README.md',
		...modelFiles.map((f) => `model/${f}`),
		...(files.has(ONNX_PATH) || ONNX_PATH in manifest.files ? [ONNX_PATH] : [])
	];
	for (const name of expected) {
		if (!files.has(name)) throw new BundleError(`The bundle is incomplete: ${name} is missing.`);
	}
	for (const name of files.keys()) {
		if (!expected.includes(name))
			throw new BundleError(
				`The bundle holds an unexpected file ("${name}"): a ${entry.label} model has only ${expected.join(', ')}.`
			);
	}
	const listed = Object.keys(manifest.files);
	if (listed.length !== expected.length || !expected.every((n) => n in manifest.files))
		throw new BundleError(
			`The manifest lists ${listed.join(', ')} but a ${entry.label} model holds ${expected.join(', ')}: the bundle is inconsistent.`
		);
	for (const name of expected) {
		if ((await sha256Hex(files.get(name)!)) !== manifest.files[name]) {
			throw new BundleError(
				`The bundle was changed after it was exported: ${name} does not match its checksum. Ask for a fresh export.`
			);
		}
	}
	const model: SavedModel = {
		family: entry.name,
		files: Object.fromEntries(modelFiles.map((f) => [f, files.get(`model/${f}`)!]))
	};
	const problems = entry.verify(model);
	if (problems.length) throw new BundleError(problems.join(' '));
	if (family === null) {
		// Format 1 named no family: its topology says whether it is linear or an MLP.
		model.family = layersFamilyOf(model);
		manifest.model.family = familyEntry(model.family).name as Manifest['model']['family'];
	}
	const inconsistent = consistencyProblems(manifest, entry.describe(model));
	if (inconsistent.length)
		throw new BundleError(`The bundle's parts do not fit together: ${inconsistent.join(' ')}`);
	const schemaNames = new Set(manifest.schema.filter((c) => c.required).map((c) => c.name));
	const missing = manifest.recipe.steps.map((s) => s.column).filter((c) => !schemaNames.has(c));
	if (missing.length) {
		throw new BundleError(
			`The manifest's input schema omits ${missing.map((c) => `"${c}"`).join(', ')}, which the model needs: the bundle is inconsistent.`
		);
	}
	return { manifest, model, readme: strFromU8(files.get('README.md')!) };
}

/** How much of a zip the unzipper is given at a time. */
const ZIP_SLICE = 16 * 1024;

function extract(bytes: Uint8Array, maxBytes: number): Map<string, Uint8Array> {
	const files = new Map<string, Uint8Array>();
	let total = 0;
	let failure: BundleError | null = null;
	const fail = (message: string) => {
		failure ??= new BundleError(message);
		throw failure;
	};
	const unzip = new Unzip((file) => {
		if (failure) return;
		const name = file.name;
		if (name !== 'manifest.json' && !BUNDLE_PATH.test(name)) {
			fail(
				/(^|\/)\.\.(\/|$)|^\/|^[a-z]:|\\/i.test(name)
					? `The bundle holds an unsafe path ("${name}"): refused.`
					: `The bundle holds an unexpected file ("${name}"): only manifest.json, README.md and the model's files under model/ are allowed.`
			);
		}
		if (files.has(name)) fail(`The bundle holds "${name}" twice: refused.`);
		const chunks: Uint8Array[] = [];
		files.set(name, new Uint8Array(0));
		file.ondata = (error, chunk, final) => {
			if (error) fail(`The bundle is damaged (${error.message}).`);
			total += chunk.length;
			if (total > maxBytes)
				fail(
					`The bundle expands past ${Math.round(maxBytes / 1048576)} MB: refused (a zip bomb, or a model too large for the browser).`
				);
			chunks.push(chunk);
			if (final) files.set(name, concat(chunks));
		};
		file.start();
	});
	unzip.register(UnzipInflate);
	try {
		// Fed in small slices: an inflater turns all the input it is given into output at once,
		// so one push of a 4 MB bomb would expand to gigabytes before `ondata` could refuse it.
		// Deflate expands at most ~1,032×, so a 16 KB slice makes at most ~17 MB before the count.
		for (let at = 0; at < bytes.length && !failure; at += ZIP_SLICE)
			unzip.push(bytes.subarray(at, at + ZIP_SLICE), at + ZIP_SLICE >= bytes.length);
		if (bytes.length === 0) unzip.push(bytes, true);
	} catch (error) {
		if (failure) throw failure;
		throw new BundleError(`This file is not a readable zip (${errorMessage(error)}).`);
	}
	if (failure) throw failure;
	return files;
}

/**
 * The manifest in format 2, and the family it names (null for format 1, which named none: the
 * caller reads it from the model's files).
 */
function parseManifest(bytes: Uint8Array): { manifest: Manifest; family: string | null } {
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
	if (record.formatVersion === 1) {
		const old = validated(ManifestV1Schema, json);
		return {
			// The family is filled in from the model's files once they are checked.
			manifest: {
				...old,
				formatVersion: BUNDLE_FORMAT_VERSION,
				model: { ...old.model, family: 'linear' }
			},
			family: null
		};
	}
	const manifest = validated(ManifestSchema, json);
	return { manifest, family: manifest.model.family };
}

function validated<S extends v.GenericSchema>(schema: S, json: unknown): v.InferOutput<S> {
	const parsed = v.safeParse(schema, json);
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
