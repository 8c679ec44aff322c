import * as tf from '@tensorflow/tfjs';
import { assertFiniteOutputs } from '../model/outputs';
import { predictMatrix } from '../model/train';
import { transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { enforceSchema, type CellProblem } from './enforce';
import type { Manifest } from './manifest';
import type { LayersModelJson } from './pack';
import { rowArgmax } from '../stats/rows';

/** A model ready to predict: the manifest and the tfjs model built from the bundle's files. */
export interface LoadedModel {
	/** Checksums are not needed to predict: a stored version's manifest has none. */
	manifest: Omit<Manifest, 'files'>;
	model: tf.LayersModel;
}

export interface Predictions {
	/** The predicted label (classification) or value (regression) per row. */
	predictions: (string | number)[];
	/** Row-major n × k class probabilities; null for regression. */
	probabilities: Float64Array | null;
	labels: string[];
	problems: CellProblem[];
	problemCount: number;
}

/** Builds the tfjs model from `model.json` + `weights.bin` (the standard LayersModel format). */
export async function loadLayersModel(
	modelJson: LayersModelJson,
	weights: ArrayBuffer
): Promise<tf.LayersModel> {
	return tf.loadLayersModel(
		tf.io.fromMemory({
			modelTopology: modelJson.modelTopology,
			weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
			weightData: weights
		})
	);
}

/**
 * Predicts every row of a table: schema enforcement, the fitted recipe (the one transform), the
 * model, then labels or values. Cells that could not be read are reported and treated as missing.
 */
export async function predictTable(loaded: LoadedModel, table: Table): Promise<Predictions> {
	const { manifest, model } = loaded;
	const enforced = enforceSchema(manifest.schema, table);
	const x = transformTable(manifest.recipe, enforced.table);
	const inputs = manifest.recipe.features.length;
	const task = manifest.model.task;
	const matrix = await predictMatrix(model, x, inputs, task);
	const n = table.rowCount;
	let predictions: (string | number)[];
	let probabilities: Float64Array | null = null;
	if (task === 'regression') {
		const scale = manifest.targetScale ?? { center: 0, scale: 1 };
		predictions = Array.from(matrix, (v) => v * scale.scale + scale.center);
		// A finite output can still overflow once scaled back to the target's units.
		assertFiniteOutputs(predictions as number[], 1, false);
	} else {
		const k = manifest.model.labels.length;
		probabilities = matrix;
		predictions = Array.from({ length: n }, (_, i) => {
			return manifest.model.labels[rowArgmax(matrix, i, k)]!;
		});
	}
	return {
		predictions,
		probabilities,
		labels: task === 'regression' ? [] : manifest.model.labels,
		problems: enforced.problems,
		problemCount: enforced.problemCount
	};
}
