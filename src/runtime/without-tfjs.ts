/**
 * Stands in for the tfjs trainer (`neural/tfjs-fit.ts`) in the runtimes: they load bundles and
 * predict — a network predicts in plain loops — and never train, so TensorFlow.js stays out of
 * dist/driftwood-runtime.js.
 */
import { DriftwoodError } from '../lib/core/errors';

/** Refuses: the runtime does not train. */
export async function fitWithTfjs(): Promise<never> {
	throw new DriftwoodError(
		'The Driftwood runtime predicts; it does not train networks. Train in the studio or with the driftwood CLI.',
		'family'
	);
}
