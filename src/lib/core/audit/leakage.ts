import { sortFloat64 } from '../stats/sort';
import { kFolds } from '../model/split';
import type { PreparedTarget } from '../model/task';
import type { Column } from '../table/types';
import { columnLength } from '../table/access';

/** A column that gives the answer away. */
export interface LeakSuspect {
	column: string;
	/**
	 * How much of the way from the constant answer to a perfect one this column alone goes,
	 * out of fold: (score − baseline) / (1 − baseline) for accuracy, R² for numbers (0–1).
	 */
	score: number;
	reason: string;
}

/** A column alone this close to perfect, out of fold, is named a leak suspect. */
export const LEAK_SCORE = 0.97;
/** Bins a numeric column is cut into for its single-column score. */
const BINS = 32;

/**
 * Each feature alone, out of fold: its values cut into bins (numbers: 32 quantile bins; words:
 * their categories), each bin answered by its training folds' commonest class or mean — a
 * lookup table, the simplest model that can read one column. A column whose lookup is almost
 * perfect on rows it never saw tells the answer; so does a number almost constant within each
 * class (η² ≥ 0.99). Both name the evidence in words.
 */
export function leakSuspects(
	columns: Column[],
	target: PreparedTarget,
	targetName: string,
	seed = 5
): LeakSuspect[] {
	const rows = target.rows;
	const classes = target.task === 'regression' ? null : target.classes;
	const folds = kFolds(rows, Math.min(5, rows.length), seed, classes ?? undefined);
	const suspects: LeakSuspect[] = [];
	for (const column of columns) {
		if (column.name === targetName) continue;
		const bin = binsOf(column, rows);
		const score = lookupScore(bin, rows, target, folds);
		if (score >= LEAK_SCORE) {
			suspects.push({
				column: column.name,
				score,
				reason: `"${column.name}" alone predicts "${targetName}" ${target.task === 'regression' ? `with R² ${score.toFixed(3)}` : `${(score * 100).toFixed(1)} % of the way from the commonest class to perfect`} on rows it never saw: it is likely known only after the answer, or computed from it.`
			});
			continue;
		}
		if (classes && column.storage === 'float') {
			const eta = etaSquared(column.values, rows, classes, target.labels.length);
			if (eta >= 0.99)
				suspects.push({
					column: column.name,
					score: eta,
					reason: `"${column.name}" is almost constant within each class of "${targetName}" (η² = ${eta.toFixed(3)}): it may encode the answer.`
				});
		}
	}
	return suspects.sort((a, b) => b.score - a.score);
}

/** Each row's bin: quantile bins for numbers (missing its own), categories for words. */
function binsOf(column: Column, rows: Int32Array): Int32Array {
	const out = new Int32Array(columnLength(column));
	if (column.storage === 'coded') {
		for (const r of rows) out[r] = column.codes[r]! + 1;
		return out;
	}
	const values = column.values;
	let count = 0;
	const present = new Float64Array(rows.length);
	for (const r of rows) if (!Number.isNaN(values[r]!)) present[count++] = values[r]!;
	const sorted = sortFloat64(present.subarray(0, count));
	const edges: number[] = [];
	for (let b = 1; b < BINS; b++) {
		const v = sorted[Math.floor((b * sorted.length) / BINS)];
		if (v !== undefined && v !== edges[edges.length - 1]) edges.push(v);
	}
	for (const r of rows) {
		const v = column.values[r]!;
		if (Number.isNaN(v)) {
			out[r] = 0;
			continue;
		}
		let lo = 0;
		let hi = edges.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (v < edges[mid]!) hi = mid;
			else lo = mid + 1;
		}
		out[r] = lo + 1;
	}
	return out;
}

/** The lookup table's out-of-fold score, from the constant answer (0) to perfect (1). */
function lookupScore(
	bin: Int32Array,
	rows: Int32Array,
	target: PreparedTarget,
	folds: { train: Int32Array; validation: Int32Array }[]
): number {
	// Bins are small whole numbers (a category's code + 1 at most): tables indexed by bin.
	let bins = 1;
	for (const r of rows) if (bin[r]! >= bins) bins = bin[r]! + 1;
	if (target.task === 'regression') {
		let sse = 0;
		let sst = 0;
		const sum = new Float64Array(bins);
		const count = new Int32Array(bins);
		for (const fold of folds) {
			sum.fill(0);
			count.fill(0);
			let total = 0;
			for (const r of fold.train) {
				const y = target.values[r]!;
				total += y;
				sum[bin[r]!]! += y;
				count[bin[r]!]!++;
			}
			const mean = total / fold.train.length;
			for (const r of fold.validation) {
				const b = bin[r]!;
				const guess = count[b]! ? sum[b]! / count[b]! : mean;
				const y = target.values[r]!;
				sse += (y - guess) ** 2;
				sst += (y - mean) ** 2;
			}
		}
		return sst > 0 ? Math.max(0, 1 - sse / sst) : 0;
	}
	const k = target.labels.length;
	let right = 0;
	let constant = 0;
	const answer = new Int32Array(bins);
	for (const fold of folds) {
		const overall = new Int32Array(k);
		for (const r of fold.train) overall[target.classes[r]!]!++;
		const commonest = argmax(overall);
		binAnswers(bin, fold.train, target.classes, k, commonest, answer);
		for (const r of fold.validation) {
			if (answer[bin[r]!] === target.classes[r]) right++;
			if (commonest === target.classes[r]) constant++;
		}
	}
	const n = rows.length;
	const baseline = constant / n;
	return baseline < 1 ? Math.max(0, (right / n - baseline) / (1 - baseline)) : 0;
}

/** Past this many (bin, class) cells, a bin's class counts are found by sorting, not a table. */
const DENSE_CELLS = 1 << 22;

/**
 * Each bin's commonest class among `train` (the lowest on a tie), into `answer`; a bin with no
 * training row answers `fallback`.
 */
export function binAnswers(
	bin: Int32Array,
	train: Int32Array,
	classes: Int32Array,
	k: number,
	fallback: number,
	answer: Int32Array,
	denseCells = DENSE_CELLS
): void {
	const bins = answer.length;
	answer.fill(fallback);
	if (bins * k <= denseCells) {
		const counts = new Int32Array(bins * k);
		const seen = new Uint8Array(bins);
		for (const r of train) {
			counts[bin[r]! * k + classes[r]!]!++;
			seen[bin[r]!] = 1;
		}
		for (let b = 0; b < bins; b++)
			if (seen[b]) answer[b] = argmax(counts.subarray(b * k, b * k + k));
		return;
	}
	// Many categories and classes: (bin, class) keys sorted, each run of equal keys counted.
	const keys = Float64Array.from(train, (r) => bin[r]! * k + classes[r]!).sort();
	let best = -1;
	for (let i = 0; i < keys.length;) {
		let j = i;
		while (j < keys.length && keys[j] === keys[i]) j++;
		const b = Math.floor(keys[i]! / k);
		if (b !== Math.floor((keys[i - 1] ?? -k) / k)) best = -1;
		if (j - i > best) {
			best = j - i;
			answer[b] = keys[i]! - b * k;
		}
		i = j;
	}
}

function argmax(counts: Int32Array): number {
	let best = 0;
	for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
	return best;
}

/** The share of a number's variance between the classes (the correlation ratio η²). */
function etaSquared(
	values: Float64Array,
	rows: Int32Array,
	classes: Int32Array,
	k: number
): number {
	const sum = new Float64Array(k);
	const count = new Float64Array(k);
	let total = 0;
	let n = 0;
	for (const r of rows) {
		const v = values[r]!;
		if (Number.isNaN(v)) continue;
		sum[classes[r]!]! += v;
		count[classes[r]!]!++;
		total += v;
		n++;
	}
	if (n < 2) return 0;
	const mean = total / n;
	let between = 0;
	let all = 0;
	for (let c = 0; c < k; c++)
		if (count[c]) between += count[c]! * (sum[c]! / count[c]! - mean) ** 2;
	for (const r of rows) {
		const v = values[r]!;
		if (!Number.isNaN(v)) all += (v - mean) ** 2;
	}
	return all > 0 ? between / all : 0;
}
