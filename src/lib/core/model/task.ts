import { DriftwoodError } from '../errors';
import type { Column } from '../table/types';
import { columnLength } from '../table/access';

/** What a model predicts: one of two classes, one of many, or a number. */
export type Task = 'binary' | 'multiclass' | 'regression';

/** The score a task is judged by: accuracy for classes, R² for regression. */
export type PrimaryMetric = 'accuracy' | 'r2';

/** The one rule for a task's main score: runs are ranked, models compared and monitored by it. */
export function primaryMetric(task: Task): PrimaryMetric {
	return task === 'regression' ? 'r2' : 'accuracy';
}

/** A target that cannot be trained on (code `target`). */
/** Numbers a model predicts per row: k class probabilities (binary: [1 − p, p]), or one value. */
export function outputWidth(task: Task, classes: number): number {
	return task === 'regression' ? 1 : task === 'binary' ? 2 : classes;
}

export class TargetError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'target');
		this.name = 'TargetError';
	}
}

/** More classes than this is not a classification a tabular model should attempt. */
export const MAX_CLASSES = 50;

/**
 * The task a target calls for: categories → classification; whole numbers with at most
 * `MAX_INTEGER_CLASSES` distinct values → classification (two → binary); other numbers → regression.
 */
export function inferTask(column: Column): Task {
	if (column.storage === 'coded') {
		let present = 0;
		const seen = new Uint8Array(column.categories.length);
		for (const code of column.codes)
			if (code >= 0 && !seen[code]) {
				seen[code] = 1;
				present++;
			}
		return present <= 2 ? 'binary' : 'multiclass';
	}
	// Whole numbers with few distinct values are classes ("digit", "rating"), as sklearn's
	// type_of_target reads them; anything else numeric is a quantity. The form can override it.
	const distinct = new Set<number>();
	for (const v of column.values) {
		if (Number.isNaN(v)) continue;
		if (!Number.isInteger(v)) return 'regression';
		distinct.add(v);
		if (distinct.size > MAX_INTEGER_CLASSES) return 'regression';
	}
	return distinct.size <= 2 ? 'binary' : 'multiclass';
}

/** A numeric target of whole numbers with at most this many distinct values is inferred as classes. */
export const MAX_INTEGER_CLASSES = 10;

/** Regression targets beyond this size square past the largest double. */
const MAX_TARGET = 1e150;

interface TargetRows {
	/** Table rows whose target is present. */
	rows: Int32Array;
	/** Rows left out because the target is missing (or infinite). */
	dropped: number;
}

/** A regression target: its value per table row (only `rows` are meaningful). */
export interface RegressionTarget extends TargetRows {
	task: 'regression';
	values: Float64Array;
	classes: null;
	labels: [];
}

/** A class target: the class index per table row (only `rows` are meaningful) and the names. */
export interface ClassTarget extends TargetRows {
	task: 'binary' | 'multiclass';
	classes: Int32Array;
	values: null;
	labels: string[];
}

/** The target, ready for training: rows that have it, its values or classes, its class names. */
export type PreparedTarget = RegressionTarget | ClassTarget;

/** Checks and encodes the target for `task`; each refusal says what is wrong and what to do. */
export function prepareTarget(column: Column, task: Task): PreparedTarget {
	const n = columnLength(column);
	if (task === 'regression') {
		if (column.storage !== 'float') {
			throw new TargetError(
				`The target "${column.name}" holds text, so it cannot be a regression target. Choose classification, or a numeric target.`
			);
		}
		const rows: number[] = [];
		let largest = 0;
		for (let i = 0; i < n; i++) {
			const v = column.values[i]!;
			if (!Number.isFinite(v)) continue;
			rows.push(i);
			largest = Math.max(largest, Math.abs(v));
		}
		if (rows.length === 0) throw new TargetError(`The target "${column.name}" has no values.`);
		// Squared errors of such values overflow to Infinity: every metric would be NaN.
		if (largest > MAX_TARGET)
			throw new TargetError(
				`The target "${column.name}" holds values as large as ${largest.toPrecision(3)}: their squares overflow, so no error could be measured. Rescale it (for example to thousands), or leave those rows out.`
			);
		return {
			task,
			rows: Int32Array.from(rows),
			classes: null,
			values: column.values,
			labels: [],
			dropped: n - rows.length
		};
	}
	const { labels, classes } = encodeClasses(column);
	const rows: number[] = [];
	for (let i = 0; i < n; i++) if (classes[i]! >= 0) rows.push(i);
	if (labels.length < 2) {
		throw new TargetError(
			labels.length === 0
				? `The target "${column.name}" has no values.`
				: `The target "${column.name}" has a single class ("${labels[0]}"): there is nothing to predict. Choose another target.`
		);
	}
	if (labels.length > MAX_CLASSES) {
		throw new TargetError(
			`The target "${column.name}" has ${labels.length} classes (at most ${MAX_CLASSES}). If it is a quantity, train a regression instead.`
		);
	}
	const k = labels.length;
	return {
		task: k === 2 ? 'binary' : 'multiclass',
		rows: Int32Array.from(rows),
		classes,
		values: null,
		labels,
		dropped: n - rows.length
	};
}

/** Classes in a stable order (sorted as text, like sklearn's LabelEncoder) with a code per row. */
function encodeClasses(column: Column): { labels: string[]; classes: Int32Array } {
	if (column.storage === 'coded') {
		const present = new Set<number>();
		for (const code of column.codes) if (code >= 0) present.add(code);
		const labels = Array.from(present, (code) => column.categories[code]!).sort(compareLabels);
		const map = Int32Array.from(column.categories, (c) => labels.indexOf(c));
		return { labels, classes: column.codes.map((code) => (code < 0 ? -1 : map[code]!)) };
	}
	const distinct = Array.from(
		new Set(Array.from(column.values).filter((v) => !Number.isNaN(v)))
	).sort((a, b) => a - b);
	const labels = distinct.map(String);
	const index = new Map(distinct.map((v, i) => [v, i]));
	return {
		labels,
		classes: Int32Array.from(column.values, (v) => (Number.isNaN(v) ? -1 : index.get(v)!))
	};
}

function compareLabels(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
