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
