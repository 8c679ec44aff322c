/**
 * The rows' side of growing a tree: their bins, their gradients, and which rows are in which node
 * (partitioned in place as nodes split), with the histogram of any node's rows and the buffers
 * histograms live in. The grower (grow.ts) finds the splits and asks this for the rest.
 *
 * The histograms are summed in WebAssembly where it runs (`wasm-histograms.ts`: the same sums in
 * the same order, about twice as fast), else by the loops here.
 */
import { HistogramSpace } from './wasm-histograms';

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
	/** The WebAssembly memory the rows and histograms live in, or null: the loops here. */
	private readonly space: HistogramSpace | null;
	/** Histogram buffers between trees (without `space`), reused: filling beats allocating. */
	private readonly spare: Float64Array[] = [];
	/** Cells of a histogram: per feature and bin, [gradient sum, hessian sum, rows]. */
	private readonly histogramLength: number;
	/** Per node: `[from, to)` in `rows`. */
	private readonly ranges: Int32Array;
	private gh: Float32Array;
	/** The root histogram's row counts (gradient and hessian slots 0), once known. */
	private rootCounts: Float64Array | null = null;
	/** Per bin, while splitting: 1 when its rows go left. */
	private readonly side: Uint8Array;

	/** Row-major bins: `binned[i * inputs + j]`; column-major: `columns[j * n + i]`. */
	private readonly binned: Uint8Array;
	private readonly columns: Uint8Array;

	constructor(
		/** Writes the rows' bins into both layouts (here, no copy of them is made). */
		fillBins: (rows: Uint8Array, columns: Uint8Array) => void,
		readonly n: number,
		private readonly inputs: number,
		private readonly missingBin: number,
		maxNodes: number,
		/** Sum in WebAssembly where it runs (false: the loops here, as where it does not). */
		accelerate = true
	) {
		const width = missingBin + 1;
		this.histogramLength = inputs * width * 3;
		// One histogram per open leaf and one being built: a tree holds at most one per leaf.
		const slots = (maxNodes + 1) / 2 + 1;
		this.space = accelerate ? HistogramSpace.create(n, inputs, width, slots) : null;
		// The bins go straight into the space's memory (a large table's bins are not held twice).
		this.binned = this.space?.binned ?? new Uint8Array(n * inputs);
		this.columns = this.space?.columns ?? new Uint8Array(n * inputs);
		fillBins(this.binned, this.columns);
		this.rows = this.space?.rows ?? new Int32Array(n);
		this.scratch = this.space?.scratch ?? new Int32Array(n);
		this.ranges = new Int32Array(2 * maxNodes);
		this.gh = new Float32Array(0); // each tree's, from start()
		this.side = this.space?.side ?? new Uint8Array(missingBin + 1);
	}

	/** Whether the histograms are summed in WebAssembly. */
	get accelerated(): boolean {
		return this.space !== null;
	}

	/** A histogram buffer for the grower (contents undefined until a node's are built into it). */
	takeHistogram(): Float64Array {
		return this.space?.take() ?? this.spare.pop() ?? new Float64Array(this.histogramLength);
	}

	/** Hands back a histogram the grower no longer needs. */
	giveHistogram(hist: Float64Array): void {
		if (this.space) this.space.give(hist);
		else this.spare.push(hist);
	}

	/** Starts a tree with these gradients (float32, interleaved): the root histogram. */
	start(gh: Float32Array): Float64Array {
		const { rows, binned, inputs, n, space } = this;
		if (space) space.gh.set(gh);
		this.gh = space?.gh ?? gh;
		for (let i = 0; i < n; i++) rows[i] = i;
		this.ranges[0] = 0;
		this.ranges[1] = n;
		// Every row, in order: no row list to read, and the rows per bin are the same for every
		// tree, so they are counted once and copied in; only gradients and hessians are summed.
		if (!this.rootCounts) {
			const all = this.build(0, n, this.takeHistogram());
			this.rootCounts = all.map((v, k) => (k % 3 === 2 ? v : 0));
			this.giveHistogram(all);
		}
		const hist = this.takeHistogram();
		hist.set(this.rootCounts);
		if (space) {
			space.addRoot(hist);
			return hist;
		}
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
	 * the rule, and returns the histogram of the one child asked for (a buffer of `takeHistogram`).
	 */
	split(
		node: number,
		left: number,
		right: number,
		rule: SplitRule,
		buildLeft: boolean
	): Float64Array {
		const from = this.ranges[2 * node]!;
		const to = this.ranges[2 * node + 1]!;
		const { missingBin, side } = this;
		// Which bins go left, as a table: the partition then has no branch on the data (the
		// side of a row is as good as random, and a mispredicted branch per row cost a fifth of
		// the fit). Each row is written to both outputs; only its side's counter moves.
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
		const write = this.space
			? this.space.partition(from, to, rule.feature)
			: this.partition(from, to, rule.feature);
		this.ranges[2 * left] = from;
		this.ranges[2 * left + 1] = write;
		this.ranges[2 * right] = write;
		this.ranges[2 * right + 1] = to;
		const hist = this.takeHistogram();
		return buildLeft ? this.build(from, write, hist) : this.build(write, to, hist);
	}

	/** Partitions `rows[from … to)` by `side` on a feature's bins (left first, both in order). */
	private partition(from: number, to: number, feature: number): number {
		const { rows, scratch, columns, side } = this;
		const column = feature * this.n;
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
		return write;
	}

	/** `large −= small`, cell by cell: a larger child's histogram from its parent's. */
	subtract(large: Float64Array, small: Float64Array): void {
		if (this.space) this.space.subtract(large, small);
		else for (let k = 0; k < large.length; k++) large[k]! -= small[k]!;
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
		if (this.space) {
			this.space.addNode(from, to, hist);
			return hist;
		}
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
