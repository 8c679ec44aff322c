import { DriftwoodError } from '../errors';
import { PERFORMANCE_DROP, performanceDropped, type ScoreSignal } from './rules';
import { enforceSchema } from '../bundle/enforce';
import { appendTables } from '../table/append';
import type { Column, ColumnType, Table } from '../table/types';

/** A column of the training data's version: what every batch is fitted to before appending. */
export interface TrainingColumn {
	name: string;
	type: ColumnType;
	storage: 'float' | 'coded';
}

/** The table a challenger trains on, and how many batch cells could not be read. */
export interface RetrainingData {
	table: Table;
	/** Cells of the batches that could not be read as their column's type (left missing). */
	problemCount: number;
}

/**
 * The challenger's training table: the original training rows (when kept) followed by the rows
 * of the picked labelled batches, each fitted to the training columns by the model's schema rules.
 * A batch must carry every `required` column (features and target); other columns it lacks are
 * left missing.
 */
export function retrainingTable(
	columns: TrainingColumn[],
	required: string[],
	base: Table | null,
	batches: { name: string; table: Table }[]
): RetrainingData {
	if (!base && batches.length === 0) {
		throw new DriftwoodError(
			'Pick the training data, a labelled batch, or both to retrain on.',
			'experiment'
		);
	}
	const need = new Set(required);
	let problemCount = 0;
	const fitted = batches.map(({ name, table }) => {
		const lacking = required.filter((c) => !table.columns.some((col) => col.name === c));
		if (lacking.length) {
			throw new DriftwoodError(
				`Batch "${name}" lacks ${lacking.map((c) => `"${c}"`).join(', ')}: it cannot be trained on.`,
				'schema'
			);
		}
		const schema = columns
			.filter((c) => table.columns.some((col) => col.name === c.name))
			.map((c) => ({ name: c.name, type: c.type, required: need.has(c.name) }));
		const enforced = enforceSchema(schema, table);
		problemCount += enforced.problemCount;
		const byName = new Map(enforced.table.columns.map((c) => [c.name, c]));
		return {
			rowCount: table.rowCount,
			columns: columns.map(
				(c) => withStorage(byName.get(c.name), c, table.rowCount) ?? missing(c, table.rowCount)
			)
		};
	});
	const parts = base ? [ordered(base, columns), ...fitted] : fitted;
	return { table: appendTables(parts), problemCount };
}

/** The base table's columns in the training order (it is the version the columns describe). */
function ordered(base: Table, columns: TrainingColumn[]): Table {
	const byName = new Map(base.columns.map((c) => [c.name, c]));
	return {
		rowCount: base.rowCount,
		columns: columns.map((c) => {
			const column = byName.get(c.name);
			if (!column)
				throw new DriftwoodError(`The training data has no column "${c.name}".`, 'schema');
			return column;
		})
	};
}

/** A fitted column with the storage the training column has (an id kept as numbers, say). */
function withStorage(
	column: Column | undefined,
	spec: TrainingColumn,
	rows: number
): Column | undefined {
	if (!column || column.storage === spec.storage) return column;
	// Only non-feature columns (ids, text) can differ here: the schema rules fixed the rest.
	return missing(spec, rows);
}

function missing(spec: TrainingColumn, rows: number): Column {
	return spec.storage === 'float'
		? {
				storage: 'float',
				name: spec.name,
				type: spec.type,
				values: new Float64Array(rows).fill(NaN)
			}
		: {
				storage: 'coded',
				name: spec.name,
				type: spec.type,
				codes: new Int32Array(rows).fill(-1),
				categories: []
			};
}

/** When the monitor suggests retraining. */
export interface RetrainPolicy {
	enabled: boolean;
	/** Suggest when a batch shows dataset drift. */
	onDatasetDrift: boolean;
	/** Suggest when the (measured or estimated) score falls this far below the test score. */
	performanceDrop: number;
}

/** When a monitor suggests retraining unless its owner says otherwise. */
export const DEFAULT_POLICY: RetrainPolicy = {
	enabled: true,
	onDatasetDrift: true,
	performanceDrop: PERFORMANCE_DROP
};

/** What the policy reads of a batch. */
export interface BatchSignal {
	fileName: string;
	datasetDrift: boolean;
	driftedFeatures: number;
	features: number;
	performance: (ScoreSignal & { metric: string }) | null;
}

/**
 * Why the newest batch calls for a retrain under the policy, or null. An estimate counts as a drop
 * only when its whole band is below the line, so noise alone does not trigger it.
 */
export function retrainSuggestion(
	newest: BatchSignal | null,
	policy: RetrainPolicy
): string | null {
	if (!newest || !policy.enabled) return null;
	const reasons: string[] = [];
	if (policy.onDatasetDrift && newest.datasetDrift) {
		reasons.push(`dataset drift (${newest.driftedFeatures} of ${newest.features} features)`);
	}
	const p = newest.performance;
	if (p && performanceDropped(p, policy.performanceDrop)) {
		reasons.push(
			`${p.estimated ? 'estimated ' : ''}${p.metric} ${p.value.toFixed(3)}, more than ${policy.performanceDrop} below the test score ${p.reference.toFixed(3)}`
		);
	}
	return reasons.length
		? `The newest batch "${newest.fileName}" shows ${reasons.join(' and ')}.`
		: null;
}

/** The share of a lone labelled batch held out for the comparison by default. */
export const DEFAULT_HOLDOUT = 0.3;
/** Each part of a split batch needs at least this many rows to train or to score on. */
export const MIN_PART_ROWS = 10;

/** How many of a batch's `rows` a held-out `share` keeps for the comparison (its newest rows). */
export function heldOutRows(rows: number, share: number): number {
	return Math.round(rows * share);
}

/**
 * Splits a labelled batch in time: its last `holdout` share of rows (the newest, in file order)
 * for comparing champion and challenger, the rows before them to train on. So one labelled batch
 * is enough to retrain, and the comparison still uses rows the challenger never saw.
 */
export function splitBatch(table: Table, holdout: number): { train: Table; compare: Table } {
	if (!(holdout > 0 && holdout < 1)) {
		throw new DriftwoodError(
			`The held-out share must lie between 0 and 1 (exclusive); got ${holdout}.`,
			'experiment'
		);
	}
	const compareRows = heldOutRows(table.rowCount, holdout);
	const trainRows = table.rowCount - compareRows;
	if (compareRows < MIN_PART_ROWS || trainRows < MIN_PART_ROWS) {
		throw new DriftwoodError(
			`Holding out ${Math.round(holdout * 100)} % of a ${table.rowCount}-row batch leaves ${trainRows} rows to train on and ${compareRows} to compare on; each needs at least ${MIN_PART_ROWS}. Change the share, or upload a larger batch.`,
			'experiment'
		);
	}
	return {
		train: sliceRows(table, 0, trainRows),
		compare: sliceRows(table, trainRows, table.rowCount)
	};
}

function sliceRows(table: Table, from: number, to: number): Table {
	return {
		rowCount: to - from,
		columns: table.columns.map((c): Column =>
			c.storage === 'float'
				? { ...c, values: c.values.slice(from, to) }
				: { ...c, codes: c.codes.slice(from, to) }
		)
	};
}
