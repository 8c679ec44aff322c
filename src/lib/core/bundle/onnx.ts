import { DriftwoodError } from '../errors';
import { familyEntry } from '../model/families';
import type { SavedModel } from '../model/family';
import { GraphBuilder, int, OnnxExportError } from '../onnx/graph';
import { encodeModel } from '../onnx/proto';
import { recipeGraph } from '../onnx/recipe';
import { DataType, type ModelMessage } from '../onnx/types';
import { PROBABILITY_FLOOR } from '../calibration/probabilities';
import type { Manifest } from './manifest';
import { contract, IR_VERSION, ONNX_ML_OPSET, ONNX_OPSET, onnxContract } from './onnx-contract';

/**
 * A model with its preprocessing as one ONNX file that takes the raw columns: the bundle's fitted
 * recipe as operators, then the family's model, then the outputs (`label` + `probabilities` for
 * classifiers, `prediction` in the target's units for regression). The graph is checked for
 * dangling values and the message with protobufjs' `verify()` before it is encoded. Anything the
 * export cannot say exactly is refused (code `bundle`), never written wrong.
 */
export function exportOnnx(manifest: Omit<Manifest, 'files'>, saved: SavedModel): Uint8Array {
	try {
		return encodeModel(onnxModel(manifest, saved));
	} catch (error) {
		if (error instanceof DriftwoodError) throw error;
		throw new DriftwoodError(
			`This model cannot be exported as ONNX: ${error instanceof Error ? error.message : String(error)}`,
			'bundle'
		);
	}
}

/** The ONNX model message of a bundle's manifest and model. */
export function onnxModel(manifest: Omit<Manifest, 'files'>, saved: SavedModel): ModelMessage {
	const { model } = manifest;
	// The outputs' names and meanings are the contract's, as the card and the page show them.
	const [first, second] = onnxContract(manifest).outputs;
	const taken = new Set(manifest.schema.map((c) => c.name));
	const clash = [first, second].find((o) => o && taken.has(o.name));
	if (clash)
		throw new OnnxExportError(
			`an input column is named "${clash.name}", the name of an ONNX output. Rename the column and retrain.`
		);
	const g = new GraphBuilder();
	const features = recipeGraph(g, manifest.schema, manifest.recipe);
	const modelScores = familyEntry(saved.family).onnx(saved, g, features, model.task);
	// A calibrated classifier: softmax(scale · log(clip(P)) + bias), as applyProbabilityMap does.
	const map = model.task === 'regression' ? null : manifest.probabilityCalibration?.map;
	const scores = map
		? g.op(
				'Softmax',
				[
					g.op('Add', [
						g.op('Mul', [
							g.op('Log', [
								g.op('Clip', [modelScores, g.floats([PROBABILITY_FLOOR], []), g.floats([1], [])])
							]),
							g.floats([map.scale], [])
						]),
						g.floats(map.bias, [1, map.bias.length])
					])
				],
				{ axis: int(1) }
			)
		: modelScores;
	if (model.task === 'regression') {
		const scale = manifest.targetScale ?? { center: 0, scale: 1 };
		const value = g.op('Add', [
			g.op('Mul', [scores, g.floats([scale.scale], [])]),
			g.floats([scale.center], [])
		]);
		const flat = g.op('Reshape', [value, g.int64s([-1])]);
		g.output(flat, first!.name, DataType.FLOAT, first!.shape, first!.meaning);
	} else {
		const best = g.op('ArgMax', [scores], { axis: int(1), keepdims: int(0) });
		const label = g.op('Gather', [g.strings(model.labels), best], { axis: int(0) });
		g.output(label, first!.name, DataType.STRING, first!.shape, first!.meaning);
		g.output(scores, second!.name, DataType.FLOAT, second!.shape, second!.meaning);
	}
	g.assertWellFormed();
	return {
		irVersion: IR_VERSION,
		producerName: 'Driftwood',
		producerVersion: manifest.producer.replace(/^Driftwood\s*/i, '') || 'unknown',
		modelVersion: model.version,
		docString: contract(manifest),
		opsetImport: [
			{ domain: '', version: ONNX_OPSET },
			{ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }
		],
		metadataProps: [
			{ key: 'driftwood.model', value: model.name },
			{ key: 'driftwood.version', value: String(model.version) },
			{ key: 'driftwood.family', value: saved.family },
			{ key: 'driftwood.task', value: model.task },
			{ key: 'driftwood.target', value: model.target },
			{ key: 'driftwood.labels', value: JSON.stringify(model.labels) },
			{ key: 'driftwood.run', value: manifest.lineage.runId }
		],
		graph: {
			name: model.name,
			node: g.nodes,
			initializer: g.initializers,
			input: g.inputs,
			output: g.outputs
		}
	};
}
