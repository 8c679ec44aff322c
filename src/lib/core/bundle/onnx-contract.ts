import { BATCH, onnxInput } from '../onnx/recipe';
import type { Manifest } from './manifest';

/*
 * The I/O contract of a bundle's ONNX file, without the exporter (no protobuf code): what the
 * model page, the card and the CLI show, and the names the exporter gives its inputs and outputs.
 */

/** The operator sets an exported file imports: ONNX 17 and the classical ML set 3 (ORT ≥ 1.14). */
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
/** IR version 8 (ONNX 1.10+), the one that goes with opset 17. */
export const IR_VERSION = 8;

/** One tensor of the I/O contract. */
export interface OnnxTensor {
	name: string;
	type: 'double' | 'string' | 'float';
	shape: (string | number)[];
	/** What it holds, in words. */
	meaning: string;
}

/** The I/O contract of a bundle's ONNX file: its inputs and outputs, for pages, CLI and docs. */
export function onnxContract(manifest: Omit<Manifest, 'files'>): {
	inputs: OnnxTensor[];
	outputs: OnnxTensor[];
} {
	const { model } = manifest;
	const inputs: OnnxTensor[] = manifest.schema.map((c) => ({
		name: c.name,
		shape: [BATCH, 1],
		...onnxInput(c.type)
	}));
	const outputs: OnnxTensor[] =
		model.task === 'regression'
			? [
					{
						name: 'prediction',
						type: 'float',
						shape: [BATCH],
						meaning: `${model.target} in its units`
					}
				]
			: [
					{
						name: 'label',
						type: 'string',
						shape: [BATCH],
						meaning: `the most probable ${model.target}`
					},
					{
						name: 'probabilities',
						type: 'float',
						shape: [BATCH, model.labels.length],
						meaning: `columns ${model.labels.join(', ')}`
					}
				];
	return { inputs, outputs };
}

/** The I/O contract in words: what the file needs and what it gives (its doc string). */
export function contract(manifest: Omit<Manifest, 'files'>): string {
	const { inputs, outputs } = onnxContract(manifest);
	const line = (t: OnnxTensor) => `${t.name}: ${t.type} [${t.shape.join(', ')}], ${t.meaning}`;
	return [
		`${manifest.model.name} v${manifest.model.version} (Driftwood ${manifest.model.task}), preprocessing included.`,
		`Inputs, one per column: ${inputs.map(line).join('; ')}.`,
		`Outputs: ${outputs.map(line).join('; ')}.`
	].join('\n');
}
