import { DriftwoodError, errorMessage } from '../core/errors';
import { contributionColumns, explainTable } from '../core/explain/explain';
import { waterfallOf, type Waterfall } from '../core/explain/waterfall';
import { predictionsCsv } from '../core/bundle/csv-out';
import { enforceSchema, modelMissingPolicy, type CellProblem } from '../core/bundle/enforce';
import { outsideTrainingRange, type RangeNote } from '../core/bundle/range';
import type { Manifest } from '../core/bundle/manifest';
import {
	loadBundleModel,
	predictTable,
	type LoadedModel,
	type Predictions
} from '../core/bundle/predict';
import type { Bounds } from '../core/conformal/conformal';
import {
	boundColumns,
	predictionBounds,
	rowBound,
	type RowBound
} from '../core/conformal/predictions';
import { boundsText } from '../core/conformal/words';
import type { SavedModel } from '../core/model/family';
import { columnValueText } from '../core/table/access';
import { SNIFF_BYTES, sniffDialect } from '../core/table/dialect';
import { recordsTable } from '../core/table/json';
import type { ReadProgress } from '../core/table/read';
import { blobSource, readSource } from '../core/table/source';
import { scoreLabelled, type LabelledScore } from '../core/drift/monitor';
import { transfer } from 'comlink';
import { tableBuffers } from '../core/table/access';
import type { Table } from '../core/table/types';
import { checkBatch, evaluateLabelled, type BatchCheck } from '../core/drift/monitor';
import type { DriftThresholds } from '../core/drift/thresholds';
import { checkSummary, modelPushdownQuery, tableRecords } from '../core/drift/pushdown-check';
import type { PushdownOptions } from '../core/drift/pushdown-sql';

export interface RowResult {
	prediction: string | number;
	probabilities: { label: string; p: number }[];
	problems: CellProblem[];
	/** Values outside their training range (the model extrapolates there). */
	outside: RangeNote[];
	/** Categorical inputs with a value the model never saw (read as unseen, said so). */
	unseen: { column: string; value: string }[];
	/**
	 * Why this answer: each input column's contribution to the output (the predicted class's for
	 * a classifier), or the reason the model cannot be explained (the prediction stands).
	 */
	explanation: { waterfall: Waterfall; method: string } | { reason: string };
	/**
	 * The conformal bound at the level asked for: an interval or a set, or why there is none
	 * (no calibration, a level the held-out rows cannot support); null when none was asked for.
	 */
	bound: RowBound | { reason: string } | null;
}

/** Bounds at `level` for a prediction, or the reason there are none. */
function boundsOrReason(
	manifest: Omit<Manifest, 'files'>,
	result: Predictions,
	level: number | null
): Bounds | { reason: string } | null {
	if (level === null) return null;
	try {
		return predictionBounds(
			manifest,
			result.predictions,
			result.probabilities,
			level,
			result.draws
		);
	} catch (error) {
		return { reason: errorMessage(error) };
	}
}

/** The row's explanation as a waterfall of its predicted class (or value). */
async function explainRow(
	loaded: LoadedModel,
	table: Table,
	prediction: string | number
): Promise<RowResult['explanation']> {
	try {
		const explained = await explainTable(loaded, table);
		const labels = loaded.manifest.model.labels;
		// Binary: the log-odds of the positive class; multiclass: the predicted class's score.
		const k = labels.length > 2 ? Math.max(0, labels.indexOf(String(prediction))) : 0;
		return {
			waterfall: waterfallOf(explained.rows[0]!, k, explained.outputs[k]!),
			method: explained.method
		};
	} catch (error) {
		return { reason: errorMessage(error) };
	}
}

export interface FileResult {
	rowCount: number;
	/** When the file holds the target column: the predictions measured against it. */
	score: LabelledScore | null;
	/** Whether the file holds the target column at all (it may hold no label the model knows). */
	hasTarget: boolean;
	csv: string;
	preview: { header: string[]; rows: string[][] };
	problems: CellProblem[];
	problemCount: number;
	/** When contributions were asked for: how they were computed, or why there are none. */
	explainNote: string | null;
	/** When bounds were asked for: what they are, or why there are none. */
	boundsNote: string | null;
}

const PREVIEW_ROWS = 20;
let loaded: LoadedModel | null = null;

/** The predict worker's functions: load one model, then predict a row or a whole file. */
export const predictApi = {
	/** Every family predicts in plain TypeScript loops: no compute backend starts here. */
	async load(manifest: Omit<Manifest, 'files'>, model: SavedModel): Promise<void> {
		loaded?.model.dispose();
		loaded = await loadBundleModel(manifest, model);
	},

	async predictRow(
		record: Record<string, unknown>,
		level: number | null = null
	): Promise<RowResult> {
		const { manifest, model } = requireModel();
		const table = recordsTable([record], modelMissingPolicy(manifest));
		const result = await predictTable({ manifest, model }, table);
		const bounds = boundsOrReason(manifest, result, level);
		return {
			bound:
				bounds && 'reason' in bounds ? bounds : bounds ? rowBound(bounds, 0, result.labels) : null,
			prediction: result.predictions[0]!,
			probabilities: result.labels.map((label, c) => ({ label, p: result.probabilities![c]! })),
			problems: result.problems,
			outside: outsideTrainingRange(
				manifest.schema,
				enforceSchema(manifest.schema, table).table,
				0
			),
			unseen: unseenCategories(manifest.schema, record),
			explanation: await explainRow({ manifest, model }, table, result.predictions[0]!)
		};
	},

	/** Checks a live batch: data drift, prediction drift, measured performance when labelled. */
	async monitorFile(
		file: Blob & { name?: string },
		thresholds: DriftThresholds,
		onProgress: (progress: ReadProgress) => void
	): Promise<BatchCheck & { rowCount: number; rows: Table | null }> {
		const loaded = requireModel();
		const table = await readFile(file, loaded.manifest, onProgress);
		const check = await checkBatch(loaded, table, thresholds);
		// A labelled batch's rows go back (transferred, not copied) to be kept for retraining.
		const labelled = table.columns.some((c) => c.name === loaded.manifest.model.target);
		const rows = labelled ? table : null;
		return transfer({ ...check, rowCount: table.rowCount, rows }, rows ? tableBuffers(rows) : []);
	},

	/**
	 * Checks a batch from its warehouse summary (the pushdown query's result as CSV or JSON): the
	 * same report, its order statistics bounded.
	 */
	async monitorSummary(
		file: Blob & { name?: string },
		thresholds: DriftThresholds,
		onProgress: (progress: ReadProgress) => void
	): Promise<BatchCheck & { rowCount: number; rows: null; source: 'summary' }> {
		const loaded = requireModel();
		const sample = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
		const dialect = sniffDialect(sample, file.name ?? '');
		// Bin names and categories as written: only an empty cell is missing.
		const { table } = await readSource(blobSource(file), dialect, {
			sample,
			onProgress,
			missing: { mode: 'keep' }
		});
		const check = await checkSummary(loaded, tableRecords(table), thresholds);
		return { ...check, rowCount: check.report.currentRows, rows: null, source: 'summary' };
	},

	/** The loaded model's pushdown query: one scan of a warehouse table for a batch's summary. */
	async pushdownQuery(
		options: Omit<PushdownOptions, 'title'> & { prediction: string | null; target: string | null },
		thresholds: DriftThresholds
	): Promise<string> {
		return modelPushdownQuery(requireModel(), options, thresholds);
	},

	/** The loaded model's measured score on a labelled table, row by row (null without labels). */
	async evaluate(table: Table): Promise<LabelledScore | null> {
		const score = await evaluateLabelled(requireModel(), table);
		if (!score) return null;
		const buffers = [score.outcomes.buffer, ...(score.truth ? [score.truth.buffer] : [])];
		return transfer(score, buffers);
	},

	async predictFile(
		file: Blob & { name?: string },
		onProgress: (progress: ReadProgress) => void,
		/** Add each row's contributions (`shap_<column>`) to the download. */
		explain = false,
		/** Add conformal bounds at this level (`level`, `lower` / `upper` or `set`). */
		level: number | null = null
	): Promise<FileResult> {
		const { manifest, model } = requireModel();
		const table = await readFile(file, manifest, onProgress);
		const result = await predictTable({ manifest, model }, table);
		const bounds = boundsOrReason(manifest, result, level);
		let boundsNote: string | null = null;
		if (bounds && 'reason' in bounds) boundsNote = `No bounds: ${bounds.reason}`;
		else if (bounds) {
			result.bounds = bounds;
			boundsNote = boundsText(manifest, bounds);
		}
		const boundCells = result.bounds ? boundColumns(result.bounds, result.labels) : null;
		let extra: ReturnType<typeof contributionColumns> | undefined;
		let explainNote: string | null = null;
		if (explain) {
			try {
				const explained = await explainTable({ manifest, model }, table);
				extra = contributionColumns(explained, result.predictions, manifest.model.labels);
				explainNote = `Contributions added (${explained.method}).`;
			} catch (error) {
				explainNote = `No contributions: ${errorMessage(error)}`;
			}
		}
		const csv = predictionsCsv(table, result, extra);
		const header = [
			...table.columns.map((c) => c.name),
			'prediction',
			...result.labels.map((l) => `probability_${l}`),
			...(boundCells?.header ?? [])
		];
		const k = result.labels.length;
		const rows = Array.from({ length: Math.min(PREVIEW_ROWS, table.rowCount) }, (_, i) => [
			...table.columns.map((c) => columnValueText(c, i)),
			String(result.predictions[i]),
			...Array.from({ length: k }, (_, c) => result.probabilities![i * k + c]!.toFixed(4)),
			...(boundCells?.cells(i) ?? [])
		]);
		return {
			rowCount: table.rowCount,
			score: scoreLabelled({ manifest, model }, table, result),
			hasTarget: table.columns.some((c) => c.name === manifest.model.target),
			csv,
			preview: { header, rows },
			problems: result.problems.slice(0, 50),
			problemCount: result.problemCount,
			explainNote,
			boundsNote
		};
	}
};

/** The rows of a file, read in the worker (with progress) as the model read its training file. */
async function readFile(
	file: Blob & { name?: string },
	manifest: Pick<Manifest, 'schema' | 'model'>,
	onProgress: (progress: ReadProgress) => void
) {
	const sample = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
	const dialect = sniffDialect(sample, file.name ?? '');
	const missing = modelMissingPolicy(manifest);
	return (await readSource(blobSource(file), dialect, { sample, onProgress, missing })).table;
}

function requireModel(): LoadedModel {
	if (!loaded) throw new DriftwoodError('No model is loaded in the prediction worker.', 'worker');
	return loaded;
}

/** The categorical inputs of a typed-in row whose value the model never saw in training. */
function unseenCategories(
	schema: Manifest['schema'],
	record: Record<string, unknown>
): { column: string; value: string }[] {
	const out: { column: string; value: string }[] = [];
	for (const column of schema) {
		const value = record[column.name];
		if (!column.categories || typeof value !== 'string' || value.trim() === '') continue;
		if (!column.categories.includes(value.trim())) out.push({ column: column.name, value });
	}
	return out;
}

export type PredictApi = typeof predictApi;
