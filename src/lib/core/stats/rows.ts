/**
 * The column of the largest value in row `row` of a row-major n × k matrix: the predicted class
 * of a probability row. Ties go to the first (numpy's `argmax`), everywhere a class is picked.
 */
export function rowArgmax(matrix: ArrayLike<number>, row: number, k: number): number {
	let best = 0;
	const at = row * k;
	for (let c = 1; c < k; c++) if (matrix[at + c]! > matrix[at + best]!) best = c;
	return best;
}

/** The typed arrays `parts` end to end, in a new array made by `make(length)`. */
export function concatenated<T extends Float64Array | Int32Array>(
	parts: readonly T[],
	make: (length: number) => T
): T {
	const out = make(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
