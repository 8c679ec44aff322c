import { quantileSorted } from './stats';
import type { Histogram } from './types';

const MAX_DISCRETE_VALUES = 20;
const MIN_BINS = 5;
const MAX_BINS = 40;

/**
 * The histogram of ascending `sorted` (no missing values). Integers with few distinct values get
 * one bar each; otherwise the Freedman–Diaconis width, Sturges when the IQR is zero.
 */
export function computeHistogram(sorted: Float64Array): Histogram | null {
	const n = sorted.length;
	if (n === 0) return null;
	const min = sorted[0]!;
	const max = sorted[n - 1]!;
	if (!Number.isFinite(min) || !Number.isFinite(max)) return finiteHistogram(sorted);
	const discrete = distinctIntegers(sorted);
	if (discrete) return discrete;
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
	const counts = new Array<number>(bins).fill(0);
	for (const v of sorted) {
		const bin = Math.min(bins - 1, Math.floor((v - min) / step));
		counts[bin]!++;
	}
	return { kind: 'bins', edges, counts };
}

function distinctIntegers(sorted: Float64Array): Histogram | null {
	const values: number[] = [];
	const counts: number[] = [];
	for (const v of sorted) {
		if (!Number.isInteger(v)) return null;
		if (values[values.length - 1] === v) counts[counts.length - 1]!++;
		else {
			if (values.length === MAX_DISCRETE_VALUES) return null;
			values.push(v);
			counts.push(1);
		}
	}
	return { kind: 'values', values, counts };
}

/** Infinities would make every bin infinitely wide: histogram the finite values only. */
function finiteHistogram(sorted: Float64Array): Histogram | null {
	const finite = sorted.filter((v) => Number.isFinite(v));
	return finite.length ? computeHistogram(finite) : null;
}

function clamp(v: number, lo: number, hi: number): number {
	return Math.max(lo, Math.min(hi, v));
}
