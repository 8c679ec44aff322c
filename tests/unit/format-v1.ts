// A bundle rewritten as a format-1 bundle (no family, the two tfjs files, no model.onnx), as
// Driftwood wrote them before model families: what the upgrade paths are tested with.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { sha256Hex } from '../../src/lib/core/hash/sha256';

export async function asFormatV1(bundle: Uint8Array): Promise<Uint8Array> {
	const files = unzipSync(bundle);
	const current = JSON.parse(new TextDecoder().decode(files['manifest.json']));
	// eslint-disable-next-line @typescript-eslint/no-unused-vars -- format 1 names no family
	const { family, ...model } = current.model;
	delete files['model.onnx'];
	files['manifest.json'] = strToU8(
		JSON.stringify({
			...current,
			formatVersion: 1,
			model,
			files: {
				'model/model.json': await sha256Hex(files['model/model.json']!),
				'model/weights.bin': await sha256Hex(files['model/weights.bin']!),
				'README.md': await sha256Hex(files['README.md']!)
			}
		})
	);
	return zipSync(files);
}
