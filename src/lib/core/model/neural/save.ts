import * as tf from '@tensorflow/tfjs';
import type { SavedModel } from '../family';
import { layersModelJson, layersSaved, readModelJson } from './files';

/** The trained model as stock TF.js LayersModel files (`model.json` + one `weights.bin`). */
export async function saveLayers(family: string, model: tf.LayersModel): Promise<SavedModel> {
	let saved: SavedModel | null = null;
	await model.save(
		tf.io.withSaveHandler(async (artifacts) => {
			const data = artifacts.weightData;
			const weights = Array.isArray(data) ? concatBuffers(data) : (data as ArrayBuffer);
			saved = layersSaved(
				family,
				layersModelJson(artifacts.modelTopology as object, artifacts.weightSpecs ?? []),
				weights
			);
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	if (!saved) throw new Error('TensorFlow.js did not hand over the saved model.');
	return saved;
}

/** Builds the tfjs model from a saved layers model's files. */
export async function loadLayers(saved: SavedModel): Promise<tf.LayersModel> {
	const modelJson = readModelJson(saved);
	const weights = saved.files['weights.bin'] ?? new Uint8Array(0);
	return tf.loadLayersModel(
		tf.io.fromMemory({
			modelTopology: modelJson.modelTopology,
			weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
			// A copy in a buffer of its own: a view's `.buffer` (a Node Buffer's pool) may hold other
			// bytes before and after it, and `Buffer#slice` does not copy.
			weightData: new Uint8Array(weights).buffer
		})
	);
}

function concatBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
	const total = buffers.reduce((s, b) => s + b.byteLength, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const b of buffers) {
		out.set(new Uint8Array(b), at);
		at += b.byteLength;
	}
	return out.buffer;
}
