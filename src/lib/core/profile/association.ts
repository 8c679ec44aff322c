/**
 * Association measures on a 0–1 scale, so that every feature can be ranked against the target
 * whatever the two types: Cramér's V (categorical ~ categorical) and the correlation ratio η
 * (numeric ~ categorical). Pearson's r lives in correlation.ts.
 */

/**
 * Cramér's V of two coded columns (no bias correction; rows with either side missing are
 * skipped). Null when fewer than two levels are present on either side.
 */
export function cramersV(a: Int32Array, b: Int32Array): number | null {
	const table = new Map<number, Map<number, number>>();
	const rowTotals = new Map<number, number>();
	const colTotals = new Map<number, number>();
	let n = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i]!;
		const y = b[i]!;
		if (x < 0 || y < 0) continue;
		n++;
		let row = table.get(x);
		if (!row) table.set(x, (row = new Map()));
		row.set(y, (row.get(y) ?? 0) + 1);
		rowTotals.set(x, (rowTotals.get(x) ?? 0) + 1);
		colTotals.set(y, (colTotals.get(y) ?? 0) + 1);
	}
	const r = rowTotals.size;
	const c = colTotals.size;
	if (r < 2 || c < 2) return null;
	// chi² = n (Σ O²/(row·col) − 1): only the observed cells are visited.
	let sum = 0;
	for (const [x, row] of table) {
		const rt = rowTotals.get(x)!;
		for (const [y, observed] of row) sum += (observed * observed) / (rt * colTotals.get(y)!);
	}
	const chi2 = n * (sum - 1);
	return Math.sqrt(Math.max(0, chi2) / (n * (Math.min(r, c) - 1)));
}

/**
 * The correlation ratio η of numeric `values` grouped by `groups`: √(between-group sum of
 * squares / total sum of squares). Null when the values are constant or fewer than two groups.
 */
export function correlationRatio(values: Float64Array, groups: Int32Array): number | null {
	const sums = new Map<number, number>();
	const counts = new Map<number, number>();
	let total = 0;
	let n = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		const g = groups[i]!;
		if (Number.isNaN(v) || g < 0 || !Number.isFinite(v)) continue;
		sums.set(g, (sums.get(g) ?? 0) + v);
		counts.set(g, (counts.get(g) ?? 0) + 1);
		total += v;
		n++;
	}
	if (counts.size < 2) return null;
	const mean = total / n;
	let ssTotal = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		if (Number.isNaN(v) || groups[i]! < 0 || !Number.isFinite(v)) continue;
		ssTotal += (v - mean) * (v - mean);
	}
	if (ssTotal === 0) return null;
	let ssBetween = 0;
	for (const [g, sum] of sums) {
		const count = counts.get(g)!;
		const groupMean = sum / count;
		ssBetween += count * (groupMean - mean) * (groupMean - mean);
	}
	return Math.sqrt(Math.min(1, ssBetween / ssTotal));
}
