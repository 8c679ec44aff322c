import { readFile, writeFile } from 'node:fs/promises';
import { exportOnnx, ONNX_ML_OPSET, ONNX_OPSET } from '../../lib/core/bundle/onnx';
import { unpackBundle } from '../../lib/core/bundle/unpack';

/** What `driftwood onnx` wrote: the file and its I/O contract. */
export interface OnnxOutput {
	out: string;
	bytes: number;
	model: { name: string; version: number; family: string; task: string };
	inputs: { name: string; type: 'double' | 'string'; shape: ['N', 1] }[];
	outputs: { name: string; type: 'string' | 'float'; shape: (string | number)[] }[];
	opset: { 'ai.onnx': number; 'ai.onnx.ml': number };
}

/** The default file next to the bundle: `penguins-v1.driftwood.zip` → `penguins-v1.onnx`. */
export function onnxPathFor(bundlePath: string): string {
	return bundlePath.replace(/(\.driftwood)?\.zip$/i, '') + '.onnx';
}

/**
 * `driftwood onnx`: any bundle (format 1 or 2, every family) as one ONNX file with its
 * preprocessing, after every check an import makes (checksums, the model's files).
 */
export async function onnxFile(bundlePath: string, out?: string): Promise<OnnxOutput> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const bytes = exportOnnx(bundle.manifest, bundle.model);
	const path = out ?? onnxPathFor(bundlePath);
	await writeFile(path, bytes);
	const { model, schema } = bundle.manifest;
	return {
		out: path,
		bytes: bytes.length,
		model: { name: model.name, version: model.version, family: model.family, task: model.task },
		inputs: schema.map((c) => ({
			name: c.name,
			type: c.type === 'numeric' || c.type === 'datetime' ? 'double' : 'string',
			shape: ['N', 1]
		})),
		outputs:
			model.task === 'regression'
				? [{ name: 'prediction', type: 'float', shape: ['N'] }]
				: [
						{ name: 'label', type: 'string', shape: ['N'] },
						{ name: 'probabilities', type: 'float', shape: ['N', model.labels.length] }
					],
		opset: { 'ai.onnx': ONNX_OPSET, 'ai.onnx.ml': ONNX_ML_OPSET }
	};
}

/** The contract in lines a person reads. */
export function onnxText(output: OnnxOutput): string {
	const shape = (s: (string | number)[]) => `[${s.join(', ')}]`;
	const lines = [
		`${output.model.name} v${output.model.version} (${output.model.family}, ${output.model.task}) → ${output.out} (${(output.bytes / 1024).toFixed(1)} kB, opset ${output.opset['ai.onnx']} + ai.onnx.ml ${output.opset['ai.onnx.ml']})`,
		'Inputs (NaN or "" for a missing value; dates as epoch milliseconds, UTC):',
		...output.inputs.map((i) => `  ${i.name}: ${i.type} ${shape(i.shape)}`),
		'Outputs:',
		...output.outputs.map((o) => `  ${o.name}: ${o.type} ${shape(o.shape)}`)
	];
	return lines.join('\n') + '\n';
}
