import { allInLoops } from '../lib/core/model/neural/engine';
import type { EnsembleSpec, ModelChoice } from '../lib/core/model/spec';

/**
 * What computes the networks `model` trains, in Node: plain JavaScript loops for every network
 * the automatic choice trains (and any up to 128 units per layer: faster there than any tfjs
 * backend), else TensorFlow.js on WASM (SIMD, no threads), else its CPU backend — loaded only
 * then, so that no other command pays its start-up (a third of a second). Returns its name.
 * Predicting needs none: a network predicts in loops, the trees in their own code.
 */
export async function computeFor(model: ModelChoice | EnsembleSpec): Promise<string> {
	if (allInLoops(model)) return 'loops';
	const tf = await import('@tensorflow/tfjs');
	await import('@tensorflow/tfjs-backend-wasm');
	tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
	for (const name of ['wasm', 'cpu']) {
		try {
			if (await tf.setBackend(name)) {
				await tf.ready();
				return name;
			}
		} catch {
			// Try the next one.
		}
	}
	throw new Error('Neither the WASM nor the CPU backend of TensorFlow.js could start.');
}
