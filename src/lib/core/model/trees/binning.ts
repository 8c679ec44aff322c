import { seededRandom } from '../../stats/random';

/**
 * Quantile binning, as scikit-learn's `_BinMapper`: each feature gets at most `maxBins` bins for
 * its values, whose upper edges come from a sample of at most `sampleRows` rows (midpoints between
 * distinct values when there are few, else midpoint percentiles), plus one more bin for missing
 * values (NaN), always the last: index `maxBins`. A value `x` lies in the first bin `b` with
 * `x <= edges[b]`; values above the last edge lie in the last value bin.
 *
 * Every edge is a float32 that separates the float32 values around it exactly, so the stored
 * thresholds split a float32 input the same way here, in the runtime and in ONNX.
 */
export interface BinMap {
	/** Per feature: the upper edges of its value bins but the last (`bins[j] - 1` of them). */
	edges: Float32Array[];
	/** Per feature: its number of value bins (1 when the feature is constant or all missing). */
	bins: Int32Array;
	/** The index of the missing-value bin (the same for every feature). */
	missingBin: number;
	/** Per feature: 1 when it holds category codes (bin = code), else 0. */
	categorical: Uint8Array;
}

export const MAX_BINS = 255;
export const BIN_SAMPLE_ROWS = 200_000;

/** The largest float32 strictly below `b` that is still ≥ `a` (a float32 edge between them). */
function edgeBetween(a: number, b: number): number {
	const mid = Math.fround(a + (b - a) / 2);
	if (mid < b && mid >= a) return mid;
	return a;
}

/** Bins every feature of the row-major n × d matrix `x` from a seeded sample of its rows. */
export function fitBins(
	x: Float32Array,
	inputs: number,
	maxBins = MAX_BINS,
	sampleRows = BIN_SAMPLE_ROWS,
	seed = 0,
	/** Per feature: its number of categories when it holds codes 0…k−1, else 0. */
	categories: ArrayLike<number> = []
): BinMap {
	const n = inputs ? x.length / inputs : 0;
	let rows: Int32Array;
	if (n > sampleRows) {
		// A seeded sample without replacement (partial Fisher–Yates).
		const all = Int32Array.from({ length: n }, (_, i) => i);
		const random = seededRandom(seed ^ 0xb1a5);
		for (let i = 0; i < sampleRows; i++) {
			const j = i + Math.floor(random() * (n - i));
			const t = all[i]!;
			all[i] = all[j]!;
			all[j] = t;
		}
		rows = all.subarray(0, sampleRows).slice().sort();
	} else rows = Int32Array.from({ length: n }, (_, i) => i);
	const edges: Float32Array[] = [];
	const bins = new Int32Array(inputs);
	const column = new Float32Array(rows.length);
	const categorical = new Uint8Array(inputs);
	for (let j = 0; j < inputs; j++) {
		const k = categories[j] ?? 0;
		if (k >= 2) {
			// Codes: one bin per category (code c ≤ c + ½), whatever the sample holds.
			categorical[j] = 1;
			edges.push(Float32Array.from({ length: k - 1 }, (_, c) => c + 0.5));
			bins[j] = k;
			continue;
		}
		let m = 0;
		for (const r of rows) {
			const v = x[r * inputs + j]!;
			if (!Number.isNaN(v)) column[m++] = v;
		}
		const sorted = column.subarray(0, m).sort();
		// The distinct values, up to one more than fits in the bins (then quantiles decide).
		const distinct: number[] = [];
		for (let i = 0; i < m && distinct.length <= maxBins; i++)
			if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
		let featureEdges: number[];
		if (distinct.length <= maxBins) {
			featureEdges = [];
			for (let i = 1; i < distinct.length; i++)
				featureEdges.push(edgeBetween(distinct[i - 1]!, distinct[i]!));
		} else {
			// Percentiles 1/maxBins … (maxBins−1)/maxBins of the sorted sample, each the midpoint of
			// the two order statistics around it (NumPy's 'midpoint'), made float32 and distinct.
			featureEdges = [];
			for (let q = 1; q < maxBins; q++) {
				const at = (q / maxBins) * (m - 1);
				const lo = sorted[Math.floor(at)]!;
				const hi = sorted[Math.ceil(at)]!;
				const edge = lo === hi ? lo : edgeBetween(lo, hi);
				if (!featureEdges.length || edge > featureEdges[featureEdges.length - 1]!)
					featureEdges.push(edge);
			}
		}
		edges.push(Float32Array.from(featureEdges));
		bins[j] = featureEdges.length + 1;
	}
	return { edges, bins, missingBin: maxBins, categorical };
}

/** The bin of one value under a feature's edges: the first `b` with `v <= e[b]`, or `missingBin`. */
function binOf(e: Float32Array, missingBin: number, v: number): number {
	if (v !== v) return missingBin;
	let lo = 0;
	let hi = e.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (v <= e[mid]!) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/**
 * The binned matrix twice: row-major (`rows[i * inputs + j]`), so that a histogram pass reads each
 * row's bins in one run and its gradient once; and column-major (`columns[j * n + i]`), so that
 * partitioning a node's rows (ascending) on one feature reads that feature's bins in order.
 */
export function applyBins(
	map: BinMap,
	x: Float32Array,
	inputs: number
): { rows: Uint8Array; columns: Uint8Array } {
	const n = inputs ? x.length / inputs : 0;
	const rows = new Uint8Array(n * inputs);
	const columns = new Uint8Array(n * inputs);
	for (let j = 0; j < inputs; j++) {
		const e = map.edges[j]!;
		for (let i = 0, at = j; i < n; i++, at += inputs) {
			const bin = binOf(e, map.missingBin, x[at]!);
			rows[at] = bin;
			columns[j * n + i] = bin;
		}
	}
	return { rows, columns };
}
