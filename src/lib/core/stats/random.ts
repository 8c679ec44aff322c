/** A seeded generator (mulberry32): the same seed gives the same splits, shuffles and noise. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates shuffle in place with `random`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
	array: T,
	random: () => number
): T {
	for (let i = array.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		const t = array[i]!;
		array[i] = array[j]!;
		array[j] = t;
	}
	return array;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: () => number): number {
	let u = 0;
	while (u === 0) u = random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * `k` of the indices 0 … n−1 drawn without replacement (a partial Fisher–Yates shuffle), in
 * ascending order.
 */
export function sampleIndices(n: number, k: number, random: () => number): Int32Array {
	const all = Int32Array.from({ length: n }, (_, i) => i);
	for (let i = 0; i < k; i++) {
		const j = i + Math.floor(random() * (n - i));
		const t = all[i]!;
		all[i] = all[j]!;
		all[j] = t;
	}
	return all.subarray(0, k).slice().sort();
}
