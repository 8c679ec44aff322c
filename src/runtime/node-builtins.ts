// The runtime bundle runs in browsers and in Node. TensorFlow.js' Node platform asks for `util`
// (TextEncoder) and `node-fetch`; both exist as globals in every browser and in Node ≥ 18, so the
// bundle maps those imports here instead of to an empty browser stub.
export const TextEncoder = globalThis.TextEncoder;
/** The platform's TextDecoder, for the modules that import it from `util`. */
export const TextDecoder = globalThis.TextDecoder;
/** The platform's fetch, for the modules that import `node-fetch`. */
export const fetch = globalThis.fetch?.bind(globalThis);
/** The part of `util.types` that tfjs uses. */
export const types = {
	isFloat32Array: (v: unknown) => v instanceof Float32Array,
	isInt32Array: (v: unknown) => v instanceof Int32Array,
	isUint8Array: (v: unknown) => v instanceof Uint8Array,
	isUint8ClampedArray: (v: unknown) => v instanceof Uint8ClampedArray
};
export default { TextEncoder, TextDecoder, fetch, types };
