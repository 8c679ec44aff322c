import { readFile, writeFile } from 'node:fs/promises';
import { onnxFileName } from '../../lib/core/bundle/file-names';
import { exportOnnx } from '../../lib/core/bundle/onnx';
import {
	onnxContract,
	ONNX_ML_OPSET,
	ONNX_OPSET,
	type OnnxTensor
} from '../../lib/core/bundle/onnx-contract';
import { unpackBundle } from '../../lib/core/bundle/unpack';

/** What `driftwood onnx` wrote: the file and its I/O contract. */
export interface OnnxOutput {
	out: string;
	bytes: number;
	model: { name: string; version: number; family: string; task: string };
	inputs: OnnxTensor[];
	outputs: OnnxTensor[];
	opset: { 'ai.onnx': number; 'ai.onnx.ml': number };
}

/**
 * `driftwood onnx`: any bundle (format 1 or 2, every family) as one ONNX file with its
 * preprocessing, after every check an import makes (checksums, the model's files). Written beside
 * the bundle (`penguins-v1.driftwood.zip` → `penguins-v1.onnx`) unless `out` names a file.
 */
export async function onnxFile(bundlePath: string, out?: string): Promise<OnnxOutput> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const bytes = exportOnnx(bundle.manifest, bundle.model);
	const path = out ?? onnxFileName(bundlePath);
	await writeFile(path, bytes);
	const { model } = bundle.manifest;
	return {
		out: path,
		bytes: bytes.length,
		model: { name: model.name, version: model.version, family: model.family, task: model.task },
		...onnxContract(bundle.manifest),
		opset: { 'ai.onnx': ONNX_OPSET, 'ai.onnx.ml': ONNX_ML_OPSET }
	};
}

/** The contract in lines a person reads. */
export function onnxText(output: OnnxOutput): string {
	const line = (t: OnnxTensor) => `  ${t.name}: ${t.type} [${t.shape.join(', ')}] — ${t.meaning}`;
	const lines = [
		`${output.model.name} v${output.model.version} (${output.model.family}, ${output.model.task}) → ${output.out} (${(output.bytes / 1024).toFixed(1)} kB, opset ${output.opset['ai.onnx']} + ai.onnx.ml ${output.opset['ai.onnx.ml']})`,
		'Inputs, one per column:',
		...output.inputs.map(line),
		'Outputs:',
		...output.outputs.map(line)
	];
	return lines.join('\n') + '\n';
}
