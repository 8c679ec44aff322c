import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** The Node backend for the CLI: WASM (SIMD, no threads), else plain CPU. Returns its name. */
export async function startBackend(): Promise<string> {
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
