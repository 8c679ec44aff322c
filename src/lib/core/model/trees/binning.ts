import { sampleIndices, seededRandom } from '../../stats/random';

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
	// A seeded sample without replacement of the rows, when there are more than it takes.
	const rows =
		n > sampleRows
			? sampleIndices(n, sampleRows, seededRandom(seed ^ 0xb1a5))
			: Int32Array.from({ length: n }, (_, i) => i);
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
		const sorted = sortFloat32(column.subarray(0, m));
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

/**
 * The values sorted ascending (a new array), by an LSD radix sort on their bits made to order
 * as unsigned integers (sign bit flipped, negatives inverted): three passes, linear in the rows
 * (a comparison sort of 20 columns of 100,000 took five times as long). No NaN expected.
 */
function sortFloat32(values: Float32Array): Float32Array {
	const m = values.length;
	const bits = new Uint32Array(values.slice().buffer);
	let keys = new Uint32Array(m);
	let spare = new Uint32Array(m);
	for (let i = 0; i < m; i++) {
		const b = bits[i]!;
		keys[i] = b & 0x80000000 ? ~b : b | 0x80000000;
	}
	const counts = new Int32Array(1 << 11);
	for (const [shift, width] of [
		[0, 11],
		[11, 11],
		[22, 10]
	] as const) {
		const mask = (1 << width) - 1;
		counts.fill(0);
		for (let i = 0; i < m; i++) counts[(keys[i]! >>> shift) & mask]!++;
		for (let d = 0, sum = 0; d <= mask; d++) {
			const c = counts[d]!;
			counts[d] = sum;
			sum += c;
		}
		for (let i = 0; i < m; i++) {
			const k = keys[i]!;
			spare[counts[(k >>> shift) & mask]!++] = k;
		}
		[keys, spare] = [spare, keys];
	}
	for (let i = 0; i < m; i++) {
		const k = keys[i]!;
		bits[i] = k & 0x80000000 ? k & 0x7fffffff : ~k;
	}
	return new Float32Array(bits.buffer);
}

/** A feature's edges padded with +∞ to 256 entries, for the fixed-step search of `binOf`. */
function paddedEdges(e: Float32Array): Float32Array {
	if (e.length > 254) throw new Error(`A feature has ${e.length} bin edges; at most 254 fit.`);
	const padded = new Float32Array(256).fill(Infinity);
	padded.set(e);
	return padded;
}

/**
 * The bin of one value: the first `b` with `v <= e[b]` (the count of edges below `v`), or
 * `missingBin` for NaN. Eight fixed halving steps over the padded edges, without a branch that
 * depends on the data (twice as fast as a binary search that stops early).
 */
function binOf(e: Float32Array, missingBin: number, v: number): number {
	if (v !== v) return missingBin;
	let b = 0;
	b = e[b + 127]! < v ? b + 128 : b;
	b = e[b + 63]! < v ? b + 64 : b;
	b = e[b + 31]! < v ? b + 32 : b;
	b = e[b + 15]! < v ? b + 16 : b;
	b = e[b + 7]! < v ? b + 8 : b;
	b = e[b + 3]! < v ? b + 4 : b;
	b = e[b + 1]! < v ? b + 2 : b;
	return e[b]! < v ? b + 1 : b;
}

/**
 * The binned matrix twice: row-major (`rows[i * inputs + j]`), so that a histogram pass reads each
 * row's bins in one run and its gradient once; and column-major (`columns[j * n + i]`), so that
 * partitioning a node's rows (ascending) on one feature reads that feature's bins in order.
 */
export function applyBins(
	map: BinMap,
	x: Float32Array,
	inputs: number,
	/** Where to write them (each n × inputs bytes); absent: new arrays. */
	into?: { rows: Uint8Array; columns: Uint8Array }
): { rows: Uint8Array; columns: Uint8Array } {
	const n = inputs ? x.length / inputs : 0;
	const rows = into?.rows ?? new Uint8Array(n * inputs);
	const columns = into?.columns ?? new Uint8Array(n * inputs);
	for (let j = 0; j < inputs; j++) {
		const e = paddedEdges(map.edges[j]!);
		for (let i = 0, at = j; i < n; i++, at += inputs) {
			const bin = binOf(e, map.missingBin, x[at]!);
			rows[at] = bin;
			columns[j * n + i] = bin;
		}
	}
	return { rows, columns };
}
