import { lowerBound } from '../stats/sort';
import { quantileSorted } from '../stats/summary';
import type { Histogram } from './types';

const MAX_DISCRETE_VALUES = 20;
const MIN_BINS = 5;
const MAX_BINS = 40;

/**
 * The histogram of ascending `sorted` (no missing values). Integers with few distinct values get
 * one bar each; otherwise the Freedman–Diaconis width, Sturges when the IQR is zero.
 */
export function computeHistogram(sorted: Float64Array, discrete = true): Histogram | null {
	const n = sorted.length;
	if (n === 0) return null;
	const min = sorted[0]!;
	const max = sorted[n - 1]!;
	if (!Number.isFinite(min) || !Number.isFinite(max)) return finiteHistogram(sorted, discrete);
	const bars = discrete ? distinctIntegers(sorted) : null;
	if (bars) return bars;
	if (min === max) return { kind: 'bins', edges: [min, max], counts: [n] };
	const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
	const width = iqr > 0 ? (2 * iqr) / Math.cbrt(n) : 0;
	const bins = clamp(
		width > 0 ? Math.ceil((max - min) / width) : Math.ceil(Math.log2(n) + 1),
		MIN_BINS,
		MAX_BINS
	);
	const step = (max - min) / bins;
	const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * step));
	// The values are sorted: each bin's count is the distance between two binary searches.
	const counts = new Array<number>(bins).fill(0);
	let from = 0;
	for (let b = 0; b < bins; b++) {
		const to = b === bins - 1 ? n : lowerBound(sorted, edges[b + 1]!, from);
		counts[b] = to - from;
		from = to;
	}
	return { kind: 'bins', edges, counts };
}

function distinctIntegers(sorted: Float64Array): Histogram | null {
	const values: number[] = [];
	const counts: number[] = [];
	// Jump from run to run of equal values: O(values · log n), not O(n).
	for (let i = 0; i < sorted.length;) {
		const v = sorted[i]!;
		if (!Number.isInteger(v) || values.length === MAX_DISCRETE_VALUES) return null;
		const end = lowerBound(sorted, v + 0.5, i);
		values.push(v);
		counts.push(end - i);
		i = end;
	}
	return { kind: 'values', values, counts };
}

/** Infinities would make every bin infinitely wide: histogram the finite values only. */
function finiteHistogram(sorted: Float64Array, discrete: boolean): Histogram | null {
	const finite = sorted.filter((v) => Number.isFinite(v));
	return finite.length ? computeHistogram(finite, discrete) : null;
}

function clamp(v: number, lo: number, hi: number): number {
	return Math.max(lo, Math.min(hi, v));
}
