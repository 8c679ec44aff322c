import { DriftwoodError } from '../errors';
import type { ExperimentConfig } from '../model/types';
import { halfLifeMs, parseHalfLife, type HalfLife, type PeriodUnit } from '../model/recency';
import { findColumn } from '../recipe/fit';
import { takeRows } from '../table/rows';
import type { ColumnType, Table } from '../table/types';
import type { Manifest, SchemaColumnSpec } from './manifest';
import type { TrainingSettings } from './training';

/**
 * Which of the new rows a retrain keeps: the newest N rows, or the rows within a span of time of
 * the newest date (the sliding window of the policy simulator, for one retrain).
 */
export type RetrainWindow = { rows: number } | { periods: number; unit: PeriodUnit };

/** Reads "5000rows" or "12months" (any unit a half-life takes) as a window, or null. */
export function parseWindow(text: string): RetrainWindow | null {
	const rows = /^\s*(\d+)\s*rows?\s*$/i.exec(text);
	if (rows) {
		const n = Number(rows[1]);
		return n >= 1 ? { rows: n } : null;
	}
	return parseHalfLife(text);
}

/** A window in words: "the newest 5000 rows", "the last 12 months". */
export function windowText(window: RetrainWindow): string {
	if ('rows' in window) return `the newest ${window.rows} rows`;
	return `the last ${window.periods} ${window.unit}${window.periods === 1 ? '' : 's'}`;
}

/** The bundle's training settings, or why it cannot be retrained. */
export function trainingOf(manifest: Manifest): TrainingSettings {
	if (!manifest.training)
		throw new DriftwoodError(
			`This bundle (${manifest.model.name} v${manifest.model.version}, made by ${manifest.producer}) does not record how its model was trained: it was made before bundles carried their training settings. Train a new model with "driftwood train" (or export the version again from the studio), then retrain that one.`,
			'bundle'
		);
	return manifest.training;
}

/**
 * Every column a replay reads, with the type the model read it as: each recipe step's column
 * (the schema's type where the schema has it), the target, and the split's date column. A new
 * file lacking any of them cannot be trained on.
 */
export function replayColumns(manifest: Manifest, settings: TrainingSettings): SchemaColumnSpec[] {
	const schema = new Map(manifest.schema.map((c) => [c.name, c.type]));
	const reference = new Map(manifest.reference.columns.map((c) => [c.name, c.type]));
	const columns = new Map<string, ColumnType>();
	for (const step of settings.recipe.steps) {
		if (step.kind === 'drop') continue;
		const fallback: ColumnType =
			step.kind === 'numeric' ? 'numeric' : step.kind === 'datetime' ? 'datetime' : 'categorical';
		columns.set(step.column, schema.get(step.column) ?? reference.get(step.column) ?? fallback);
	}
	const target = manifest.model.target;
	columns.set(
		target,
		reference.get(target) ?? (settings.task === 'regression' ? 'numeric' : 'categorical')
	);
	const time = settings.split.timeColumn;
	if (time && (settings.split.kind === 'time' || settings.halfLife)) columns.set(time, 'datetime');
	return [...columns].map(([name, type]) => ({ name, type, required: true }));
}

/**
 * The rows a window keeps: by the date column when there is one (rows without a date cannot be
 * placed and are left out), else by file order. Returns the table unchanged without a window.
 */
export function windowed(
	table: Table,
	timeColumn: string | null,
	window: RetrainWindow | null
): { table: Table; kept: number; undated: number } {
	if (!window) return { table, kept: table.rowCount, undated: 0 };
	const names = table.columns.map((c) => c.name);
	const order = Int32Array.from({ length: table.rowCount }, (_, i) => i);
	let times: Float64Array | null = null;
	if (timeColumn) {
		const column = findColumn(table, timeColumn);
		if (column.storage !== 'float')
			throw new DriftwoodError(`"${timeColumn}" is not a date column.`, 'schema');
		times = column.values;
	}
	if (!times && !('rows' in window))
		throw new DriftwoodError(
			`A window of ${windowText(window).replace('the last ', '')} needs the model's date column; this model was trained without one. Give the window in rows (e.g. 5000rows).`,
			'experiment'
		);
	const dated = times ? order.filter((r) => Number.isFinite(times![r]!)) : order;
	const undated = order.length - dated.length;
	let kept: Int32Array;
	if ('rows' in window) {
		const byTime = times ? [...dated].sort((a, b) => times![a]! - times![b]! || a - b) : [...dated];
		kept = Int32Array.from(byTime.slice(Math.max(0, byTime.length - window.rows))).sort();
	} else {
		let newest = -Infinity;
		for (const r of dated) newest = Math.max(newest, times![r]!);
		const from = newest - halfLifeMs(window);
		kept = dated.filter((r) => times![r]! > from);
	}
	return { table: takeRows(table, kept, names), kept: kept.length, undated };
}

/** The run settings of a replay: the bundle's, with a new seed and half-life when asked for. */
export function replayConfig(
	settings: TrainingSettings,
	target: string,
	options: { seed?: number; halfLife?: HalfLife | null }
): ExperimentConfig {
	const seed = options.seed;
	const model =
		seed === undefined
			? settings.model
			: settings.model.kind === 'ensemble'
				? {
						...settings.model,
						seed,
						members: settings.model.members.map((m) => ({ ...m, spec: { ...m.spec, seed } }))
					}
				: { ...settings.model, seed };
	const halfLife = options.halfLife === undefined ? settings.halfLife : options.halfLife;
	return {
		target,
		task: settings.task,
		recipe: settings.recipe,
		split: { ...settings.split, ...(seed === undefined ? {} : { seed }) },
		model,
		robustness: true,
		importance: true,
		refit: settings.refit,
		finalRefit: settings.finalRefit,
		...(halfLife ? { halfLife } : {})
	};
}
