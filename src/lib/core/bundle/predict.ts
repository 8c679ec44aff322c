import { loadModel } from '../model/families';
import type { SavedModel, TrainedModel } from '../model/family';
import { assertFiniteOutputs } from '../model/outputs';
import { transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { enforceSchema, type CellProblem } from './enforce';
import type { Manifest } from './manifest';
import { rowArgmax } from '../stats/rows';
import type { Bounds } from '../conformal/conformal';
import { applyProbabilityMap } from '../calibration/probabilities';
import { predictionBounds } from '../conformal/predictions';
import { rowDraws } from '../conformal/draws';

/** A model ready to predict: the manifest and the model its family built from the files. */
export interface LoadedModel {
	/** Checksums are not needed to predict: a stored version's manifest has none. */
	manifest: Omit<Manifest, 'files'>;
	model: TrainedModel;
}

/** The predictions of a table, with the cells that could not be read as their type. */
export interface Predictions {
	/** The predicted label (classification) or value (regression) per row. */
	predictions: (string | number)[];
	/** Row-major n × k class probabilities; null for regression. */
	probabilities: Float64Array | null;
	labels: string[];
	problems: CellProblem[];
	problemCount: number;
	/** Conformal intervals or sets, when a level was asked for. */
	bounds?: Bounds;
	/**
	 * Each row's draw for a prediction set, from its input values (see rowDraws); empty for a
	 * regression or a model without conformal bounds (nothing reads it then).
	 */
	draws: Float64Array;
}

/** What a prediction may add: conformal bounds at a level (e.g. 0.9). */
export interface PredictOptions {
	level?: number;
}

/** Builds a bundle's (or a stored version's) model with its family's code. */
export async function loadBundleModel(
	manifest: Omit<Manifest, 'files'>,
	saved: SavedModel
): Promise<LoadedModel> {
	const model = await loadModel(saved, manifest.model.task, manifest.model.labels.length);
	return { manifest, model };
}

/**
 * Predicts every row of a table: schema enforcement, the fitted recipe (the one transform), the
 * model, then labels or values. Cells that could not be read are reported and treated as missing.
 */
export async function predictTable(
	loaded: LoadedModel,
	table: Table,
	options: PredictOptions = {}
): Promise<Predictions> {
	const { manifest, model } = loaded;
	const enforced = enforceSchema(manifest.schema, table);
	const x = transformTable(manifest.recipe, enforced.table);
	const task = manifest.model.task;
	const raw = await model.predict(x);
	// A classifier's probabilities pass through the map its run calibrated (when it kept one).
	const map = manifest.probabilityCalibration?.map;
	const matrix = map ? applyProbabilityMap(map, raw, manifest.model.labels.length) : raw;
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
	// Only a classifier's sets read draws (intervals do not): no hashing of rows otherwise.
	const draws =
		task !== 'regression' && manifest.conformal
			? rowDraws(
					enforced.table,
					manifest.schema.map((c) => c.name)
				)
			: new Float64Array(0);
	return {
		predictions,
		probabilities,
		labels: task === 'regression' ? [] : manifest.model.labels,
		problems: enforced.problems,
		problemCount: enforced.problemCount,
		draws,
		...(options.level !== undefined
			? { bounds: predictionBounds(manifest, predictions, probabilities, options.level, draws) }
			: {})
	};
}
