import type { LoadedModel } from '../bundle/predict';
import { enforceSchema, type CellProblem } from '../bundle/enforce';
import { transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { DriftwoodError } from '../errors';
import { referenceTable } from '../bundle/reference';
import {
	BACKGROUND_ROWS,
	explainMatrix,
	spaced,
	type MatrixExplanations,
	type RowExplanation
} from '../model/contributions/matrix';

export type { RowExplanation };

/** A table explained: its rows' contributions, and the cells that could not be read. */
export interface Explanations extends MatrixExplanations {
	problems: CellProblem[];
}

/**
 * Each input column's contribution to each row's output, the recipe's derived features — one-hot
 * blocks, date parts, missing flags — summed back to the column they came from, a regression's in
 * target units. Trees: exact path-dependent TreeSHAP. A linear model: exact interventional values
 * against the bundle's reference rows (its logits are linear in its inputs). An MLP or an
 * ensemble: sampled permutations against those rows, each value with its standard error. In every
 * case `base + Σ contributions = output`, checked on every row and output against the model's
 * own prediction before anything is returned.
 */
export async function explainTable(loaded: LoadedModel, table: Table): Promise<Explanations> {
	const { manifest, model } = loaded;
	const enforced = enforceSchema(manifest.schema, table);
	const explained = await explainMatrix(
		{
			model,
			recipe: manifest.recipe,
			task: manifest.model.task,
			labels: manifest.model.labels,
			targetScale: manifest.targetScale,
			background: () => backgroundOf(loaded),
			map: manifest.probabilityCalibration?.map ?? null
		},
		transformTable(manifest.recipe, enforced.table),
		table.rowCount
	);
	return { ...explained, problems: enforced.problems };
}

/** Up to BACKGROUND_ROWS of the bundle's reference rows, through the recipe. */
function backgroundOf(loaded: LoadedModel): Float32Array {
	const { manifest } = loaded;
	const table = referenceTable(loaded);
	if (!table || table.rowCount === 0)
		throw new DriftwoodError(
			'This model version holds no reference rows (it was registered before they were kept): a network or an ensemble is explained against them. Register its run again to explain it.',
			'explain'
		);
	const picked = spaced(
		Int32Array.from({ length: table.rowCount }, (_, i) => i),
		BACKGROUND_ROWS
	);
	const enforced = enforceSchema(manifest.schema, table);
	return transformTable(manifest.recipe, enforced.table, picked);
}

/**
 * A predicted file's contribution columns: `explained` (what the row's values explain: the value,
 * the log-odds, or the predicted class's score), `shap_base`, then `shap_<column>` per input column
 * — for a multiclass model, the predicted class's — so that base + the row's shap values is it.
 */
export function contributionColumns(
	explained: Explanations,
	predictions: (string | number)[],
	labels: string[]
): { header: string[]; cells: (row: number) => string[] } {
	const columns = Object.keys(explained.rows[0]?.contributions ?? {});
	const output = (i: number) =>
		labels.length > 2 ? Math.max(0, labels.indexOf(String(predictions[i]))) : 0;
	return {
		header: ['explained', 'shap_base', ...columns.map((c) => `shap_${c}`)],
		cells: (i) => {
			const row = explained.rows[i]!;
			const k = output(i);
			return [
				explained.outputs[k]!,
				String(row.base[k]),
				...columns.map((c) => String(row.contributions[c]![k]))
			];
		}
	};
}
