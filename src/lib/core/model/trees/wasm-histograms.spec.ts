import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../stats/random';
import { NodeRows, type SplitRule } from './rows';
import { histogramModule } from './wasm-histograms';

/** Random bins for `n` rows of `inputs` features (bin `missingBin` = missing), both layouts. */
function randomBins(n: number, inputs: number, missingBin: number, seed: number) {
	const random = seededRandom(seed);
	const rows = new Uint8Array(n * inputs);
	const columns = new Uint8Array(n * inputs);
	for (let i = 0; i < n; i++)
		for (let j = 0; j < inputs; j++) {
			// Skewed toward low bins (many rows share a cell), some missing.
			const b = random() < 0.07 ? missingBin : Math.floor(random() ** 2 * missingBin);
			rows[i * inputs + j] = b;
			columns[j * n + i] = b;
		}
	return (intoRows: Uint8Array, intoColumns: Uint8Array) => {
		intoRows.set(rows);
		intoColumns.set(columns);
	};
}

function randomGradients(n: number, seed: number): Float32Array {
	const random = seededRandom(seed);
	return Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? random() : random() - 0.5));
}

/** The same bits: float64 arrays compared as their bytes (NaN and −0 included). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
	if (a.length !== b.length) return false;
	const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
	const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
	return x.every((v, k) => v === y[k]);
}

describe('histograms in WebAssembly', () => {
	it('compiles for every shape a fit can have', () => {
		for (const [inputs, width] of [
			[1, 2],
			[7, 256],
			[50, 64],
			[300, 33]
		] as const)
			expect(WebAssembly.validate(histogramModule(inputs, width))).toBe(true);
		// Here (Node has SIMD) the fit must take the fast path: a broken module would fall back
		// silently to the loops, the same trees twice as slowly.
		const bins = randomBins(10, 3, 255, 1);
		expect(new NodeRows(bins, 10, 3, 255, 61).accelerated).toBe(true);
		expect(new NodeRows(bins, 10, 3, 255, 61, false).accelerated).toBe(false);
	});

	it('sums, partitions and subtracts to the bit as the loops do, tree after tree', () => {
		// Odd sizes: rows, features, and cells (7 × 33 × 3) that do not fill the last pair.
		const n = 3001;
		const inputs = 7;
		const missingBin = 32;
		const bins = randomBins(n, inputs, missingBin, 2);
		const maxNodes = 2 * 8 - 1;
		const fast = new NodeRows(bins, n, inputs, missingBin, maxNodes);
		const plain = new NodeRows(bins, n, inputs, missingBin, maxNodes, false);
		expect(fast.accelerated).toBe(true);
		const codes = new Uint8Array(missingBin);
		for (let b = 0; b < missingBin; b += 3) codes[b] = 1;
		const rules: SplitRule[] = [
			{ feature: 0, bin: 3, missingLeft: false, set: null },
			{ feature: 6, bin: 10, missingLeft: true, set: null },
			{ feature: 2, bin: -1, missingLeft: true, set: codes },
			{ feature: 4, bin: 0, missingLeft: false, set: null }
		];
		for (let tree = 0; tree < 3; tree++) {
			const gh = randomGradients(n, 10 + tree);
			const roots = [fast.start(gh), plain.start(gh)];
			expect(sameBits(roots[0]!, roots[1]!)).toBe(true);
			// Split the root, then its left child, its left child's right child, …; each time the
			// smaller side's histogram is built and the parent's becomes the other by subtraction.
			let node = 0;
			let next = 1;
			const parents = roots;
			for (const [r, rule] of rules.entries()) {
				const [l, rt] = [next, next + 1];
				next += 2;
				const buildLeft = r % 2 === 0;
				const small = [fast, plain].map((rows) => rows.split(node, l, rt, rule, buildLeft));
				expect(sameBits(small[0]!, small[1]!)).toBe(true);
				fast.subtract(parents[0]!, small[0]!);
				plain.subtract(parents[1]!, small[1]!);
				expect(sameBits(parents[0]!, parents[1]!)).toBe(true);
				const leaves = [fast, plain].map((rows) => rows.leafRows([l, rt]));
				expect(Array.from(leaves[0]!.ranges)).toEqual(Array.from(leaves[1]!.ranges));
				expect(Array.from(leaves[0]!.rows)).toEqual(Array.from(leaves[1]!.rows));
				// The histogram is the node's: its counts add up to the node's rows.
				const [from, to] = buildLeft ? leaves[0]!.ranges.slice(0, 2) : leaves[0]!.ranges.slice(2);
				let count = 0;
				for (let b = 0; b <= missingBin; b++) count += small[0]![b * 3 + 2]!;
				expect(count).toBe(to! - from!);
				[fast, plain].forEach((rows, k) => rows.giveHistogram(small[k]!));
				node = r % 2 === 0 ? l : rt;
			}
			[fast, plain].forEach((rows, k) => rows.giveHistogram(parents[k]!));
		}
	});

	it('refuses to hand out more histograms than a tree can hold', () => {
		const bins = randomBins(50, 2, 255, 3);
		const rows = new NodeRows(bins, 50, 2, 255, 2 * 4 - 1);
		// Four leaves: one histogram per leaf and one being built.
		for (let k = 0; k < 5; k++) rows.takeHistogram();
		expect(() => rows.takeHistogram()).toThrow(/in use/);
	});
});
