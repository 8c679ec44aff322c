import { DriftwoodError } from '../errors';
import type { ColumnProfile, TableProfile } from '../profile/types';
import { seededRandom, shuffleInPlace } from '../stats/random';

/** How rows are split into train, validation and test. */
export interface SplitSpec {
	kind: 'random' | 'stratified' | 'time';
	seed: number;
	/** Shares of the rows; train gets the rest. */
	validation: number;
	test: number;
	/** The datetime column ordering a time split (oldest rows train, newest test). */
	timeColumn?: string | null;
	/**
	 * Table rows from this index on are a held-out test file appended to the training file: they
	 * are the test rows (`test` is then ignored), the rows before split into train / validation.
	 */
	heldOutFrom?: number;
}

/** Row indices of the table in each part. The test rows are never used for fitting anything. */
export interface Split {
	train: Int32Array;
	validation: Int32Array;
	test: Int32Array;
}

/** A split the data cannot support (code `split`). */
export class SplitError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'split');
		this.name = 'SplitError';
	}
}

const MIN_ROWS = 10;

/**
 * Splits `rows` (the rows with a target) into train / validation / test. Stratified keeps each
 * class's share in every part (`labels` per row of the table); time puts the latest rows last
 * (`times` per row of the table).
 */
export function splitRows(
	rows: Int32Array,
	spec: SplitSpec,
	labels?: Int32Array,
	times?: Float64Array
): Split {
	if (spec.heldOutFrom !== undefined) return splitHeldOut(rows, spec, labels, times);
	checkFractions(spec, rows.length);
	return partition(rows, spec, labels, times);
}

/** The split itself, shares already checked. */
function partition(
	rows: Int32Array,
	spec: SplitSpec,
	labels?: Int32Array,
	times?: Float64Array
): Split {
	if (spec.kind === 'time') {
		if (!times) throw new SplitError('A time split needs a date/time column.');
		const ordered = Int32Array.from(rows).sort((a, b) => times[a]! - times[b]! || a - b);
		// Rows without a time cannot be placed in time: they are not used.
		const dated = ordered.filter((r) => Number.isFinite(times[r]!));
		return cut(dated, spec);
	}
	const random = seededRandom(spec.seed);
	if (spec.kind === 'stratified') {
		if (!labels) throw new SplitError('A stratified split needs a categorical target.');
		const byClass = new Map<number, number[]>();
		for (const r of rows) {
			const list = byClass.get(labels[r]!) ?? [];
			list.push(r);
			byClass.set(labels[r]!, list);
		}
		const parts: Split[] = [];
		for (const key of Array.from(byClass.keys()).sort((a, b) => a - b)) {
			parts.push(cut(shuffleInPlace(Int32Array.from(byClass.get(key)!), random), spec));
		}
		const join = (pick: (s: Split) => Int32Array) =>
			shuffleInPlace(Int32Array.from(parts.flatMap((p) => Array.from(pick(p)))), random);
		return {
			train: join((p) => p.train),
			validation: join((p) => p.validation),
			test: join((p) => p.test)
		};
	}
	return cut(shuffleInPlace(Int32Array.from(rows), random), spec);
}

/** The appended test file's rows are the test; the training file's split into train / validation. */
function splitHeldOut(
	rows: Int32Array,
	spec: SplitSpec,
	labels?: Int32Array,
	times?: Float64Array
): Split {
	const from = spec.heldOutFrom!;
	const own = rows.filter((r) => r < from);
	const test = rows.filter((r) => r >= from);
	if (test.length === 0)
		throw new SplitError('The test file has no rows with a target value: nothing to test on.');
	if (!(spec.validation >= 0 && spec.validation < 0.9))
		throw new SplitError('Choose a validation share from 0 to 90 % of the training rows.');
	if (own.length < MIN_ROWS)
		throw new SplitError(
			`Only ${own.length} training rows have a target: at least ${MIN_ROWS} are needed to train.`
		);
	// The training file splits as usual, with nothing kept back for a test of its own.
	const { train, validation } = partition(own, { ...spec, test: 0 }, labels, times);
	return { train, validation, test };
}

function cut(ordered: Int32Array, spec: SplitSpec): Split {
	const n = ordered.length;
	const testCount = Math.round(n * spec.test);
	const validationCount = Math.round(n * spec.validation);
	const trainCount = n - testCount - validationCount;
	return {
		train: ordered.slice(0, trainCount),
		validation: ordered.slice(trainCount, trainCount + validationCount),
		test: ordered.slice(trainCount + validationCount)
	};
}

function checkFractions(spec: SplitSpec, rows: number): void {
	const { validation, test } = spec;
	if (!(validation >= 0 && test > 0 && validation + test < 0.9)) {
		throw new SplitError(
			'Choose a test share above 0, and validation + test below 90 % of the rows.'
		);
	}
	if (rows < MIN_ROWS)
		throw new SplitError(
			`Only ${rows} rows have a target: at least ${MIN_ROWS} are needed to train and test.`
		);
}

/**
 * k-fold cross-validation folds over `rows` (stratified when `labels` are given): each fold's
 * validation part is one k-th of the rows, its train part the rest.
 */
export function kFolds(
	rows: Int32Array,
	k: number,
	seed: number,
	labels?: Int32Array
): { train: Int32Array; validation: Int32Array }[] {
	if (!Number.isInteger(k) || k < 2)
		throw new SplitError('Cross-validation needs at least 2 folds.');
	if (rows.length < k)
		throw new SplitError(
			`${rows.length} rows cannot be split into ${k} folds: use fewer folds or more data.`
		);
	const random = seededRandom(seed);
	const order = shuffleInPlace(Int32Array.from(rows), random);
	const fold = new Int32Array(rows.length);
	if (labels) {
		// Deal each class round-robin over the folds, so every fold keeps the class shares.
		const next = new Map<number, number>();
		const sorted = Array.from(order.keys()).sort(
			(a, b) => labels[order[a]!]! - labels[order[b]!]! || a - b
		);
		let start = 0;
		for (const i of sorted) {
			const label = labels[order[i]!]!;
			if (!next.has(label)) next.set(label, start++ % k);
			const f = next.get(label)!;
			fold[i] = f;
			next.set(label, (f + 1) % k);
		}
	} else {
		for (let i = 0; i < order.length; i++) fold[i] = i % k;
	}
	return Array.from({ length: k }, (_, f) => ({
		train: order.filter((_, i) => fold[i] !== f),
		validation: order.filter((_, i) => fold[i] === f)
	}));
}

/** The date/time feature a time split orders by: the first with more than one instant, or null. */
export function timeColumnOf(profile: TableProfile, target: string): ColumnProfile | null {
	return (
		profile.columns.find((c) => c.name !== target && c.type === 'datetime' && c.unique > 1) ?? null
	);
}

/** The split a dataset gets by default, and why, in words for the form and the CLI. */
export interface SuggestedSplit {
	spec: SplitSpec;
	reason: string;
}

/**
 * The default split: time-ordered on the first date/time feature with more than one instant (new
 * data comes after the training data, so the newest rows are the honest test), else stratified for
 * a class target and random for a numeric one.
 */
export function suggestSplit(profile: TableProfile, target: string, seed = 42): SuggestedSplit {
	const base = { seed, validation: 0.15, test: 0.2 };
	const time = timeColumnOf(profile, target);
	if (time) {
		return {
			spec: { ...base, kind: 'time', timeColumn: time.name },
			reason: `Split by time because "${time.name}" holds dates: the newest ${base.test * 100} % of rows are the test rows, as new data will come after the training data. A random split would test on dates between training rows and overstate how well the model predicts what comes next.`
		};
	}
	const numericTarget = profile.columns.find((c) => c.name === target)?.type === 'numeric';
	return numericTarget
		? { spec: { ...base, kind: 'random' }, reason: 'Random split: the target is numeric.' }
		: {
				spec: { ...base, kind: 'stratified' },
				reason: 'Stratified split: every part keeps each class’s share of the rows.'
			};
}
