/**
 * The rows' side of growing a tree: their bins, their gradients, and which rows are in which node
 * (partitioned in place as nodes split), with the histogram of any node's rows. The grower
 * (grow.ts) keeps the histograms, finds the splits and asks this for the rest.
 */

/** How a node's rows divide: on a threshold bin (and where missing values go), or a code set. */
export interface SplitRule {
	feature: number;
	bin: number;
	missingLeft: boolean;
	/** A split on codes: 1 for each code (bin) that goes left. */
	set: Uint8Array | null;
}

/** The training rows (0 … n−1) and the rows of each node as a range of `rows`. */
export class NodeRows {
	private readonly rows: Int32Array;
	private readonly scratch: Int32Array;
	/** Per node: `[from, to)` in `rows`. */
	private readonly ranges: Int32Array;
	private gh: Float32Array;
	/** The root histogram's row counts (gradient and hessian slots 0), once known. */
	private rootCounts: Float64Array | null = null;
	/** Per bin, while splitting: 1 when its rows go left. */
	private readonly side: Uint8Array;

	constructor(
		/** Row-major bins: `binned[i * inputs + j]`. */
		private readonly binned: Uint8Array,
		/** Column-major bins: `columns[j * n + i]`. */
		private readonly columns: Uint8Array,
		readonly n: number,
		private readonly inputs: number,
		private readonly missingBin: number,
		maxNodes: number
	) {
		this.rows = new Int32Array(n);
		this.scratch = new Int32Array(n);
		this.ranges = new Int32Array(2 * maxNodes);
		this.gh = new Float32Array(0); // each tree's, from start()
		this.side = new Uint8Array(missingBin + 1);
	}

	/** Starts a tree with these gradients (float32, interleaved): the root histogram. */
	start(gh: Float32Array, hist: Float64Array): Float64Array {
		this.gh = gh;
		const { rows, binned, inputs, n } = this;
		for (let i = 0; i < n; i++) rows[i] = i;
		this.ranges[0] = 0;
		this.ranges[1] = n;
		// Every row, in order: no row list to read, and the rows per bin are the same for every
		// tree, so they are counted once and copied in; only gradients and hessians are summed.
		this.rootCounts ??= this.build(0, n, new Float64Array(hist.length)).map((v, k) =>
			k % 3 === 2 ? v : 0
		);
		hist.set(this.rootCounts);
		const stride = (this.missingBin + 1) * 3;
		for (let r = 0, at = 0; r < n; r++, at += inputs) {
			const gr = gh[2 * r]!;
			const hr = gh[2 * r + 1]!;
			let j = 0;
			let offset = 0;
			for (; j + 1 < inputs; j += 2, offset += 2 * stride) {
				const k = offset + binned[at + j]! * 3;
				const k2 = offset + stride + binned[at + j + 1]! * 3;
				hist[k]! += gr;
				hist[k + 1]! += hr;
				hist[k2]! += gr;
				hist[k2 + 1]! += hr;
			}
			if (j < inputs) {
				const k = offset + binned[at + j]! * 3;
				hist[k]! += gr;
				hist[k + 1]! += hr;
			}
		}
		return hist;
	}

	/**
	 * Splits `node`'s rows (stably: each side keeps ascending order) into `left` and `right` by
	 * the rule, and returns the histogram of the one child asked for.
	 */
	split(
		node: number,
		left: number,
		right: number,
		rule: SplitRule,
		buildLeft: boolean,
		hist: Float64Array
	): Float64Array {
		const from = this.ranges[2 * node]!;
		const to = this.ranges[2 * node + 1]!;
		const { rows, scratch, columns, missingBin, side } = this;
		// Which bins go left, as a table: the loop below then has no branch on the data (the
		// side of a row is as good as random, and a mispredicted branch per row cost a fifth of
		// the fit). Each row is written to both outputs; only the right counter moves.
		for (let b = 0; b <= missingBin; b++)
			side[b] =
				b === missingBin
					? rule.missingLeft
						? 1
						: 0
					: rule.set
						? rule.set[b] === 1
							? 1
							: 0
						: b <= rule.bin
							? 1
							: 0;
		const column = rule.feature * this.n;
		let write = from;
		let pending = 0;
		for (let i = from; i < to; i++) {
			const r = rows[i]!;
			const goesLeft = side[columns[column + r]!]!;
			rows[write] = r;
			scratch[pending] = r;
			write += goesLeft;
			pending += 1 - goesLeft;
		}
		rows.set(scratch.subarray(0, pending), write);
		this.ranges[2 * left] = from;
		this.ranges[2 * left + 1] = write;
		this.ranges[2 * right] = write;
		this.ranges[2 * right + 1] = to;
		return buildLeft ? this.build(from, write, hist) : this.build(write, to, hist);
	}

	/**
	 * The rows of each of these nodes (the leaves): `rows[ranges[2k] … ranges[2k+1])` for node k.
	 * `rows` is this object's own array, valid until the next tree starts.
	 */
	leafRows(leaves: ArrayLike<number>): { rows: Int32Array; ranges: Int32Array } {
		const ranges = new Int32Array(2 * leaves.length);
		for (let k = 0; k < leaves.length; k++) {
			ranges[2 * k] = this.ranges[2 * leaves[k]!]!;
			ranges[2 * k + 1] = this.ranges[2 * leaves[k]! + 1]!;
		}
		return { rows: this.rows, ranges };
	}

	/**
	 * The histogram of `rows[from..to)`: per feature and bin, [gradient sum, hessian sum, rows],
	 * interleaved, into `hist` (zeroed first). Row by row: one row's bins are adjacent, its
	 * gradient and hessian read once.
	 */
	private build(from: number, to: number, hist: Float64Array): Float64Array {
		hist.fill(0);
		const { rows, gh, binned, inputs } = this;
		const stride = (this.missingBin + 1) * 3;
		for (let i = from; i < to; i++) {
			const r = rows[i]!;
			const gr = gh[2 * r]!;
			const hr = gh[2 * r + 1]!;
			const at = r * inputs;
			// Two features a step: two independent chains of adds (a tenth faster).
			let j = 0;
			let offset = 0;
			for (; j + 1 < inputs; j += 2, offset += 2 * stride) {
				const k = offset + binned[at + j]! * 3;
				const k2 = offset + stride + binned[at + j + 1]! * 3;
				hist[k]! += gr;
				hist[k + 1]! += hr;
				hist[k + 2]!++;
				hist[k2]! += gr;
				hist[k2 + 1]! += hr;
				hist[k2 + 2]!++;
			}
			if (j < inputs) {
				const k = offset + binned[at + j]! * 3;
				hist[k]! += gr;
				hist[k + 1]! += hr;
				hist[k + 2]!++;
			}
		}
		return hist;
	}
}
