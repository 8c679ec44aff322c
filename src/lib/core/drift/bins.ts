import { formatDateTime } from '../table/datetime';
import { lowerBound, upperBound } from '../stats/sort';

/**
 * The bins a feature is compared on, defined by the reference alone: every batch is measured on
 * the same bins (its PSI comparable from one batch to the next), and a batch can be summarised by
 * counts per bin without its rows — a warehouse's GROUP BY (`pushdown-sql.ts`) counts exactly
 * what `binCounts` counts here.
 *
 * - `values`: a numeric reference with at most 20 distinct values, one bin per value and one for
 *   the batch's other values;
 * - `range`: Sturges' count of equal-width bins over the reference's range, bin b =
 *   [lo + b·w, lo + (b+1)·w), the last one closed at hi, with a bin below and one above;
 * - `categories`: one bin per reference category, and every category it never saw pooled in one
 *   "unseen" bin.
 */
export type BinSpec =
	| { kind: 'values'; values: number[]; datetime: boolean }
	| { kind: 'range'; lo: number; hi: number; count: number; datetime: boolean }
	| { kind: 'categories'; categories: string[] };

/** Numeric references with at most this many distinct values get a bin per value. */
const MAX_VALUE_BINS = 20;

/** The bins of a numeric reference (finite values, sorted ascending, at least one). */
export function numericSpec(sorted: Float64Array, datetime: boolean): BinSpec {
	const values = distinctValues(sorted, MAX_VALUE_BINS);
	if (values) return { kind: 'values', values, datetime };
	return {
		kind: 'range',
		lo: sorted[0]!,
		hi: sorted[sorted.length - 1]!,
		count: Math.ceil(Math.log2(sorted.length) + 1),
		datetime
	};
}

/** The inner edges of a range: lo + (b + 1)·w for b = 0 … count − 2 (the same doubles everywhere). */
export function rangeEdges(spec: { lo: number; hi: number; count: number }): number[] {
	const width = (spec.hi - spec.lo) / spec.count;
	return Array.from({ length: spec.count - 1 }, (_, b) => spec.lo + (b + 1) * width);
}

/**
 * A sorted sample's counts in every bin of a numeric spec, in `binKeys` order: per value then
 * "other"; or below, each bin, above.
 */
export function numericCounts(spec: BinSpec, sorted: Float64Array): number[] {
	if (spec.kind === 'values') {
		const counts = spec.values.map((v) => upperBound(sorted, v) - lowerBound(sorted, v));
		counts.push(sorted.length - sum(counts));
		return counts;
	}
	if (spec.kind !== 'range') throw new Error('numericCounts needs a numeric spec');
	const { lo, hi, count } = spec;
	// Bin b holds the values in [edge b, edge b+1): differences of lower bounds.
	const cuts = [lowerBound(sorted, lo), ...rangeEdges(spec).map((e) => lowerBound(sorted, e))];
	cuts.push(upperBound(sorted, hi));
	return [
		cuts[0]!,
		...Array.from({ length: count }, (_, b) => cuts[b + 1]! - cuts[b]!),
		sorted.length - cuts[count]!
	];
}

/**
 * The stable name of every bin of a spec, in count order: what a warehouse summary calls its rows
 * (`value 3`, `range 0 1.5`, `category red`, `other`, `below`, `above`, `unseen`). A range bin's
 * name carries its edges as JavaScript writes the doubles, so a summary made for other bins is
 * refused rather than read.
 */
export function binKeys(spec: BinSpec): string[] {
	if (spec.kind === 'values') return [...spec.values.map((v) => `value ${String(v)}`), 'other'];
	if (spec.kind === 'categories') return [...spec.categories.map((c) => `category ${c}`), 'unseen'];
	return rangeKeys(spec.lo, rangeEdges(spec), spec.hi);
}

/** The keys of a range cut at `inner` edges: below, each [edge, next edge), above. */
export function rangeKeys(lo: number, inner: readonly number[], hi: number): string[] {
	const edges = [lo, ...inner, hi];
	return [
		'below',
		...Array.from(
			{ length: edges.length - 1 },
			(_, b) => `range ${String(edges[b])} ${String(edges[b + 1])}`
		),
		'above'
	];
}

/** The bin that counts missing values (NULL, NaN, ±∞, an empty cell) in a summary. */
export const MISSING_KEY = 'missing';

/**
 * What a report's chart calls each bin, in count order: a value as itself (an instant as a date
 * and time), a range's edges to three digits (to the day for instants), the unseen bin with the
 * number of categories it pools.
 */
export function binLabels(spec: BinSpec, unseenCategories = 0): string[] {
	if (spec.kind === 'categories') return [...spec.categories, unseenLabel(unseenCategories)];
	const value = spec.datetime ? formatDateTime : String;
	if (spec.kind === 'values') return [...spec.values.map(value), 'other values'];
	const edge = spec.datetime ? (v: number) => formatDateTime(v).slice(0, 10) : short;
	const edges = [spec.lo, ...rangeEdges(spec), spec.hi];
	return [
		`below ${edge(spec.lo)}`,
		...Array.from({ length: spec.count }, (_, b) => `${edge(edges[b]!)}–${edge(edges[b + 1]!)}`),
		`above ${edge(spec.hi)}`
	];
}

/** The bin that pools a batch's categories never seen in the reference. */
function unseenLabel(count: number): string {
	return `unseen (${count} ${count === 1 ? 'category' : 'categories'})`;
}

/** The bins a chart and the tests use: those holding a row on either side. */
export function nonEmptyBins(
	labels: string[],
	reference: number[],
	current: number[]
): { labels: string[]; reference: number[]; current: number[] } {
	const kept = labels.flatMap((_, i) => (reference[i]! + current[i]! > 0 ? [i] : []));
	return {
		labels: kept.map((i) => labels[i]!),
		reference: kept.map((i) => reference[i]!),
		current: kept.map((i) => current[i]!)
	};
}

/** The distinct values of a sorted array, or null as soon as there are more than `max`. */
function distinctValues(sorted: Float64Array, max: number): number[] | null {
	const out: number[] = [];
	for (let i = 0; i < sorted.length; i = upperBound(sorted, sorted[i]!, i)) {
		if (out.length === max) return null;
		out.push(sorted[i]!);
	}
	return out;
}

function sum(values: number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

function short(v: number): string {
	return Number(v.toPrecision(3)).toString();
}
