/**
 * The Driftwood runtime: load a model bundle (`*.driftwood.zip`) and predict, in any web page or
 * in Node, with the same checks, recipe and model code as the studio.
 *
 *   const model = await loadBundle(bytes);
 *   const [result] = await model.predict([{ 'Beak Length (mm)': 39.1, Island: 'Torgersen' }]);
 */
import { bundleBytes, type BundleBytes } from '../lib/core/bundle/bytes';
import { modelMissingPolicy, type CellProblem } from '../lib/core/bundle/enforce';
import {
	loadBundleModel,
	predictTable,
	type PredictOptions,
	type Predictions
} from '../lib/core/bundle/predict';
import { rowBound, type RowBound } from '../lib/core/conformal/predictions';
import { unpackBundle } from '../lib/core/bundle/unpack';
import type { Manifest } from '../lib/core/bundle/manifest';
import { recordsTable } from '../lib/core/table/json';
import type { Table } from '../lib/core/table/types';
import { explainTable, type Explanations, type RowExplanation } from '../lib/core/explain/explain';

export { BundleError } from '../lib/core/bundle/unpack';
export { predictionsCsv } from '../lib/core/bundle/csv-out';
export type {
	Manifest,
	Predictions,
	CellProblem,
	Table,
	BundleBytes,
	Explanations,
	RowExplanation,
	PredictOptions,
	RowBound
};

/** One row's prediction, as `predict(rows)` returns it. */
export interface RowPrediction {
	/** The predicted label (classification) or value (regression). */
	prediction: string | number;
	/** Class probabilities by label (classification only). */
	probabilities?: Record<string, number>;
	/** Cells of this row that did not read as their column's type (treated as missing). */
	problems: CellProblem[];
	/** With `{ level }`: the conformal interval (`lower`, `upper`) or set of labels. */
	bound?: RowBound;
}

/**
 * A loaded bundle: its manifest and model card, and prediction on records or on a columnar table.
 * Every output passes the finite-output guard; a NaN or infinite one rejects with code `non-finite`.
 */
export interface DriftwoodModel {
	/** The bundle's manifest: model name, version, task, labels, input schema, recipe, metrics. */
	manifest: Manifest;
	/** The model card (Markdown). */
	card: string;
	/**
	 * Predicts plain records: `[{ column: value, … }]`. `{ level: 0.9 }` adds each row's
	 * split-conformal bound (refused, code `conformal`, when the bundle has no calibration or too
	 * few held-out rows for the level).
	 */
	predict(rows: Record<string, unknown>[], options?: PredictOptions): Promise<RowPrediction[]>;
	/** Predicts a columnar table (as read by Driftwood's readers); `bounds` with `{ level }`. */
	predictTable(table: Table, options?: PredictOptions): Promise<Predictions>;
	/**
	 * Each input column's exact contribution to each row's output (tree models: TreeSHAP), with
	 * `base + Σ contributions = output` checked against the prediction on every row.
	 */
	explain(rows: Record<string, unknown>[]): Promise<Explanations>;
	/** `explain` on a columnar table. */
	explainTable(table: Table): Promise<Explanations>;
	/** Frees the model's tensors. */
	dispose(): void;
}

/**
 * Opens a bundle; every check runs before the model is built (see unpackBundle). `input` is the
 * `.driftwood.zip` as an ArrayBuffer, any Uint8Array view (a Node `Buffer` from `readFileSync`
 * included), a Blob or File, or a fetch Response.
 */
export async function loadBundle(input: BundleBytes): Promise<DriftwoodModel> {
	const bundle = await unpackBundle(await bundleBytes(input));
	const loaded = await loadBundleModel(bundle.manifest, bundle.model);
	return {
		manifest: bundle.manifest,
		card: bundle.readme,
		predictTable: (table, options) => predictTable(loaded, table, options),
		explainTable: (table) => explainTable(loaded, table),
		explain: (rows) =>
			explainTable(loaded, recordsTable(rows, modelMissingPolicy(bundle.manifest))),
		async predict(rows, options) {
			const result = await predictTable(
				loaded,
				recordsTable(rows, modelMissingPolicy(bundle.manifest)),
				options
			);
			const k = result.labels.length;
			return result.predictions.map((prediction, i) => ({
				prediction,
				probabilities: k
					? Object.fromEntries(
							result.labels.map((label, c) => [label, result.probabilities![i * k + c]!])
						)
					: undefined,
				problems: result.problems.filter((p) => p.row === i + 1),
				...(result.bounds ? { bound: rowBound(result.bounds, i, result.labels) } : {})
			}));
		},
		dispose: () => loaded.model.dispose()
	};
}
