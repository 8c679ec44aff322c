import * as tf from '@tensorflow/tfjs';
import type { ModelArtifacts } from './results';

/** The trained model in standard TF.js LayersModel form, weights as one ArrayBuffer. */
export async function saveArtifacts(model: tf.LayersModel): Promise<ModelArtifacts> {
	let saved: ModelArtifacts | null = null;
	await model.save(
		tf.io.withSaveHandler(async (artifacts) => {
			const data = artifacts.weightData;
			const weightData = Array.isArray(data) ? concatBuffers(data) : (data as ArrayBuffer);
			saved = {
				modelTopology: artifacts.modelTopology as object,
				weightSpecs: artifacts.weightSpecs ?? [],
				weightData
			};
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	return saved!;
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
