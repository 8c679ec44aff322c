/** sklearn's "balanced" class weights, n / (k · count(class)); 1 for a class with no rows. */
export function balancedWeights(y: Float32Array, classes: number): Float64Array {
	const counts = new Float64Array(classes);
	for (const c of y) counts[c]!++;
	return counts.map((count) => (count > 0 ? y.length / (classes * count) : 1));
}
