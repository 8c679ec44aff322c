import { sha256Hex } from '../hash/sha256';
import type { SavedModel } from '../model/family';

/** What a bundle may be handed in as: every byte container people have in a page or in Node. */
export type BundleBytes = ArrayBuffer | ArrayBufferView | Blob | Response;

/**
 * The bytes of `input` as a plain Uint8Array that owns exactly them. A Node `Buffer` from
 * `readFileSync` is a view into a larger shared pool (its `buffer` holds other data), and its
 * `slice()` does not copy: only the view's own `byteOffset`/`byteLength` range is the file.
 */
export async function bundleBytes(input: BundleBytes): Promise<Uint8Array> {
	if (input instanceof ArrayBuffer) return new Uint8Array(input);
	if (ArrayBuffer.isView(input)) {
		return new Uint8Array(input.buffer, input.byteOffset, input.byteLength).slice();
	}
	if (typeof Blob !== 'undefined' && input instanceof Blob) {
		return new Uint8Array(await input.arrayBuffer());
	}
	if (typeof Response !== 'undefined' && input instanceof Response) {
		if (!input.ok) throw new TypeError(`The bundle could not be fetched (HTTP ${input.status}).`);
		return new Uint8Array(await input.arrayBuffer());
	}
	throw new TypeError(
		'loadBundle takes the bundle as an ArrayBuffer, a Uint8Array or Buffer, a Blob/File or a fetch Response.'
	);
}

/**
 * What makes two bundles the same model: its family and the SHA-256 of each of its files. A
 * bundle imported twice is recognised by it and not added again.
 */
export async function modelIdentity(model: SavedModel): Promise<string> {
	const parts = [model.family];
	for (const name of Object.keys(model.files).sort())
		parts.push(`${name}=${await sha256Hex(model.files[name]!)}`);
	return parts.join(':');
}
