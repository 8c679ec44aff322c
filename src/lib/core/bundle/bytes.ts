import { sha256Hex } from '../hash/sha256';

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

/** A copy of `bytes` in an ArrayBuffer of its own (never the pool a view lives in). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
	const copy = new Uint8Array(bytes.byteLength);
	copy.set(bytes);
	return copy.buffer;
}

/**
 * What makes two bundles the same model: the SHA-256 of its `model.json` (as packed) and of its
 * weights. A version keeps both, so a bundle imported twice is recognised and not added again.
 */
export async function modelIdentity(modelJson: object, weights: ArrayBuffer): Promise<string> {
	const json = await sha256Hex(new TextEncoder().encode(JSON.stringify(modelJson)));
	return `${json}:${await sha256Hex(new Uint8Array(weights))}`;
}
