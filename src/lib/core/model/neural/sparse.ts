/** Rows as their non-zero cells: row b's are index / value[start[b] … start[b + 1]). */
export interface SparseRows {
	start: Int32Array;
	index: Int32Array;
	value: Float64Array;
}

export function sparseRows(rows: number, cells: number): SparseRows {
	return {
		start: new Int32Array(rows + 1),
		index: new Int32Array(cells),
		value: new Float64Array(cells)
	};
}

/**
 * The non-zero cells of a row-major matrix. A recipe's one-hot blocks make most cells zero (a
 * table of 14 columns became 292 features, 14 non-zero per row): the first layer's work per row
 * is then its non-zero cells, not its width.
 */
export function sparseOf(x: ArrayLike<number>, width: number): SparseRows {
	const n = Math.floor(x.length / width);
	let cells = 0;
	for (let i = 0; i < n * width; i++) if (x[i] !== 0) cells++;
	const out = sparseRows(n, cells);
	let at = 0;
	for (let r = 0; r < n; r++) {
		out.start[r] = at;
		for (let j = 0; j < width; j++) {
			const v = x[r * width + j]!;
			if (v === 0) continue;
			out.index[at] = j;
			out.value[at++] = v;
		}
	}
	out.start[n] = at;
	return out;
}
