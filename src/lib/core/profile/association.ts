/**
 * Association measures on a 0–1 scale, so that every feature can be ranked against the target
 * whatever the two types: Cramér's V (categorical ~ categorical) and the correlation ratio η
 * (numeric ~ categorical). Pearson's r lives in correlation.ts. Codes are dense (0 … levels − 1),
 * so counts live in typed arrays indexed by code.
 */

/** Above this many cells the contingency table is kept sparse. */
const DENSE_CELLS = 1 << 22;

/**
 * Cramér's V of two coded columns with `levelsA` and `levelsB` categories, bias-corrected
 * (Bergsma 2013; rows with either side missing are skipped). Null when fewer than two levels are
 * present.
 */
export function cramersV(
	a: Int32Array,
	b: Int32Array,
	levelsA: number,
	levelsB: number
): number | null {
	const rowTotals = new Float64Array(levelsA);
	const colTotals = new Float64Array(levelsB);
	const dense = levelsA * levelsB <= DENSE_CELLS;
	const cells = dense ? new Float64Array(levelsA * levelsB) : null;
	const sparse = dense ? null : new Map<number, number>();
	let n = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i]!;
		const y = b[i]!;
		if (x < 0 || y < 0) continue;
		n++;
		rowTotals[x]!++;
		colTotals[y]!++;
		const cell = x * levelsB + y;
		if (cells) cells[cell]!++;
		else sparse!.set(cell, (sparse!.get(cell) ?? 0) + 1);
	}
	let r = 0;
	let c = 0;
	for (const t of rowTotals) if (t > 0) r++;
	for (const t of colTotals) if (t > 0) c++;
	if (r < 2 || c < 2) return null;
	// chi² = n (Σ O²/(row·col) − 1): only the observed cells contribute.
	let sum = 0;
	const add = (cell: number, observed: number) => {
		const x = Math.floor(cell / levelsB);
		sum += (observed * observed) / (rowTotals[x]! * colTotals[cell - x * levelsB]!);
	};
	if (cells) cells.forEach((observed, cell) => observed > 0 && add(cell, observed));
	else for (const [cell, observed] of sparse!) add(cell, observed);
	const chi2 = n * (sum - 1);
	// Bergsma's bias correction: a column of many levels shows association by chance alone (the
	// plain V ranked the noisiest high-cardinality column first); this subtracts what chance gives.
	const phi2 = Math.max(0, chi2 / n - ((r - 1) * (c - 1)) / (n - 1));
	const rCorr = r - (r - 1) ** 2 / (n - 1);
	const cCorr = c - (c - 1) ** 2 / (n - 1);
	const denominator = Math.min(rCorr - 1, cCorr - 1);
	return denominator > 0 ? Math.sqrt(phi2 / denominator) : 0;
}

/**
 * The correlation ratio η of numeric `values` grouped by `groups` (codes below `levels`):
 * √(between-group sum of squares / total sum of squares). Null when the values are constant
 * or fall in fewer than two groups.
 */
export function correlationRatio(
	values: Float64Array,
	groups: Int32Array,
	levels: number
): number | null {
	const sums = new Float64Array(levels);
	const counts = new Float64Array(levels);
	let total = 0;
	let n = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		const g = groups[i]!;
		if (g < 0 || !Number.isFinite(v)) continue;
		sums[g]! += v;
		counts[g]!++;
		total += v;
		n++;
	}
	let present = 0;
	for (const c of counts) if (c > 0) present++;
	if (present < 2) return null;
	const mean = total / n;
	let ssTotal = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		if (groups[i]! < 0 || !Number.isFinite(v)) continue;
		ssTotal += (v - mean) * (v - mean);
	}
	if (ssTotal === 0) return null;
	let ssBetween = 0;
	for (let g = 0; g < levels; g++) {
		const count = counts[g]!;
		if (count === 0) continue;
		const groupMean = sums[g]! / count;
		ssBetween += count * (groupMean - mean) * (groupMean - mean);
	}
	return Math.sqrt(Math.min(1, ssBetween / ssTotal));
}
