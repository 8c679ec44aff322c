/**
 * Tree prediction compiled to WebAssembly SIMD, four rows at a time.
 *
 * A node-by-node walk is bound by its branches: which way a row goes is data, so about every other
 * step is a mispredicted jump. Here no branch depends on the data. Each tree's leaves are numbered
 * left to right, a row starts with every leaf's bit set, and every split the row does not pass to
 * the left clears the bits of the leaves on its left; the row's leaf is then the lowest bit still
 * set (the bit-vector rule of QuickScorer, Lucchese et al., SIGIR 2015). Every split of a tree is
 * evaluated for four rows by one vector compare against a constant, so a tree costs a handful of
 * instructions per split for four rows, with no jump but the loop's.
 *
 * The module is generated per ensemble (thresholds, masks and offsets are immediates) and runs
 * each tree over a chunk of rows before the next tree, so that the tree's code and the chunk stay
 * in the caches. The leaves' values are added to each row's outputs in the trees' order: the scores
 * are the walk's to the bit. Trees with more than 32 leaves or a split on many category codes,
 * and any ensemble where WebAssembly cannot be compiled (no SIMD, or a page whose content security
 * policy forbids it), are walked as before.
 */
import { treeValue, type Tree } from './grow';
import { Bytes, I32, moduleBytes, Op, SimdOp, V128, VOID_BLOCK } from './wasm-bytes';

/** Rows a vector holds (f32x4). */
const LANES = 4;
/** Leaves a tree may have: one bit each in a 32-bit lane. */
const MAX_LEAVES = 32;
/** Codes a split on categories may send left and still be compiled (one compare each). */
const MAX_LEFT_CODES = 32;
/** Trees per generated function: small functions compile lazily and tier up one by one. */
const TREES_PER_FUNCTION = 64;
/** Bytes of a chunk of rows (column-blocked) the trees run over in turn. */
const CHUNK_BYTES = 128 * 1024;

/** Whether a tree can be compiled: at most 32 leaves, and splits on few codes. */
function compilable(tree: Tree): boolean {
	let leaves = 0;
	for (let node = 0; node < tree.feature.length; node++) {
		if (tree.feature[node]! < 0) leaves++;
		const set = tree.categories[node];
		if (set) {
			let left = 0;
			for (const c of set) left += c === 1 ? 1 : 0;
			if (left > MAX_LEFT_CODES) return false;
		}
	}
	return leaves <= MAX_LEAVES;
}

// Locals of a generated function: parameters 0–2, then these.
const X = 0; // byte address of the chunk's first block of rows
const BLOCKS = 1; // blocks of four rows in the chunk
const OUT = 2; // byte address of the chunk's outputs (row-major, `outputs` per row)
const ACC = 3; // v128: the four rows' leaf bits
const VALUES = 4; // v128: a feature's four values (splits on codes)
const AT = 5; // i32: the current block's values
const ROW_OUT = 6; // i32: the current block's outputs
const END = 7; // i32: the end of the chunk's values

interface Layout {
	width: number;
	outputs: number;
}

/**
 * Emits, for four rows at `AT`, the vector of lanes that go left at `node` (all ones) or right
 * (all zeros), as `treeValue` decides: a number goes left when `<=` the threshold, a missing value
 * the way the split learned, a code when its set says so (an unknown or missing code: right, or
 * the missing way).
 */
function emitGoesLeft(code: Bytes, tree: Tree, node: number): void {
	const offset = tree.feature[node]! * LANES * 4;
	code.get(AT).memory(SimdOp.V128Load, 4, offset, true);
	const set = tree.categories[node];
	if (!set) {
		code.byte(Op.F32Const).f32(tree.threshold[node]!).simd(SimdOp.F32x4Splat);
		// `x <= t`, false when x is missing; with missing values going left, `!(x > t)`.
		if (tree.missingLeft[node]) code.simd(SimdOp.F32x4Gt).simd(SimdOp.V128Not);
		else code.simd(SimdOp.F32x4Le);
		return;
	}
	code.set(VALUES);
	code.simd(SimdOp.V128Const).bytes(new Uint8Array(16));
	for (let c = 0; c < set.length; c++) {
		if (set[c] !== 1) continue;
		code.get(VALUES);
		code.byte(Op.F32Const).f32(c).simd(SimdOp.F32x4Splat).simd(SimdOp.F32x4Eq).simd(SimdOp.V128Or);
	}
	if (tree.missingLeft[node]) {
		code.get(VALUES).get(VALUES);
		code.simd(SimdOp.F32x4Ne).simd(SimdOp.V128Or);
	}
}

/**
 * Emits one tree: for every block of the chunk, its splits clear the leaf bits of the rows, and
 * each row's output `k` gains the value of its lowest leaf bit. The leaves' values are appended
 * to `leafTable` in the order their bits are numbered (left to right), and read from there.
 */
function emitTree(
	code: Bytes,
	tree: Tree,
	k: number,
	leafTable: number[],
	{ width, outputs }: Layout
): void {
	const leafAddress = leafTable.length * 8;
	code.get(X).set(AT);
	code.get(OUT).set(ROW_OUT);
	code.byte(Op.Block).byte(VOID_BLOCK).byte(Op.Loop).byte(VOID_BLOCK);
	code.get(AT).get(END).byte(Op.I32GeU);
	code.byte(Op.BrIf).unsigned(1);
	code.simd(SimdOp.V128Const).bytes(new Uint8Array(16).fill(0xff)).set(ACC);
	let leaves = 0;
	const visit = (node: number): [number, number] => {
		if (tree.feature[node]! < 0) {
			leafTable.push(tree.value[node]!);
			return [leaves, ++leaves];
		}
		const [first, middle] = visit(tree.left[node]!);
		const [, end] = visit(tree.right[node]!);
		// A row that does not go left cannot reach the leaves first … middle − 1.
		let mask = -1;
		for (let b = first; b < middle; b++) mask &= ~(1 << b);
		code.get(ACC);
		emitGoesLeft(code, tree, node);
		code.i32(mask).simd(SimdOp.I32x4Splat).simd(SimdOp.V128Or);
		code.simd(SimdOp.V128And).set(ACC);
		return [first, end];
	};
	visit(0);
	for (let lane = 0; lane < LANES; lane++) {
		const at = (lane * outputs + k) * 8;
		code.get(ROW_OUT).get(ROW_OUT).memory(Op.F64Load, 3, at);
		code.get(ACC).simd(SimdOp.I32x4ExtractLane).byte(lane);
		code.byte(Op.I32Ctz).i32(3).byte(Op.I32Shl);
		code.memory(Op.F64Load, 3, leafAddress);
		code.byte(Op.F64Add).memory(Op.F64Store, 3, at);
	}
	code.increase(ROW_OUT, LANES * outputs * 8).increase(AT, width * LANES * 4);
	code.byte(Op.Br).unsigned(0).byte(Op.End).byte(Op.End);
}

/** A step of the plan: compiled trees (one generated function) or trees walked in JavaScript. */
type Step =
	| { kind: 'compiled'; run: (x: number, blocks: number, out: number) => void }
	| { kind: 'walked'; trees: { tree: Tree; k: number }[] };

/** Trees compiled for one matrix width: `score` adds their values to `out`, in the trees' order. */
export interface CompiledTrees {
	score(x: Float32Array, n: number, out: Float64Array): void;
}

/**
 * The trees (tree `t` adds to output `t % outputs`) compiled for rows of `width` features, or null
 * when nothing here can be compiled: WebAssembly or its SIMD missing, a content security policy
 * that forbids compiling, or no tree that fits.
 */
export function compileTrees(
	trees: readonly Tree[],
	outputs: number,
	width: number
): CompiledTrees | null {
	// A split on a feature the rows do not have would read the next row's values: never silently.
	for (const tree of trees)
		for (const f of tree.feature)
			if (f >= width)
				throw new RangeError(`A tree splits on feature ${f} of rows with ${width} features.`);
	if (typeof WebAssembly === 'undefined' || width === 0) return null;
	const layout = { width, outputs };
	const blockBytes = width * LANES * 4;
	// The compiled trees' leaf values, at the start of the memory.
	const leafTable: number[] = [];

	// The plan: runs of compilable trees (at most TREES_PER_FUNCTION a function) and walked ones.
	const bodies: Bytes[] = [];
	const plan: ({ kind: 'compiled'; index: number } | Extract<Step, { kind: 'walked' }>)[] = [];
	let current: Bytes | null = null;
	let inCurrent = 0;
	trees.forEach((tree, t) => {
		const k = t % outputs;
		if (!compilable(tree)) {
			current = null;
			const last = plan[plan.length - 1];
			if (last?.kind === 'walked') last.trees.push({ tree, k });
			else plan.push({ kind: 'walked', trees: [{ tree, k }] });
			return;
		}
		if (!current || inCurrent === TREES_PER_FUNCTION) {
			current = new Bytes();
			inCurrent = 0;
			// Locals: two v128, three i32; then END = X + BLOCKS × the block's bytes.
			current.unsigned(2).unsigned(2).byte(V128).unsigned(3).byte(I32);
			current.get(X).get(BLOCKS).i32(blockBytes).byte(Op.I32Mul).byte(Op.I32Add).set(END);
			plan.push({ kind: 'compiled', index: bodies.length });
			bodies.push(current);
		}
		emitTree(current, tree, k, leafTable, layout);
		inCurrent++;
	});
	if (bodies.length === 0) return null;
	// The leaf values (8-byte aligned), then a chunk of rows, then the chunk's outputs.
	const chunkBlocks = Math.max(1, Math.min(256, Math.floor(CHUNK_BYTES / blockBytes)));
	const xAddress = Math.ceil((leafTable.length * 8) / 16) * 16;
	const outAddress = xAddress + chunkBlocks * blockBytes;
	const pages = Math.ceil((outAddress + chunkBlocks * LANES * outputs * 8) / 65536);

	const module = moduleBytes(
		bodies.map((body, i) => ({ name: `trees${i}`, params: [I32, I32, I32], body })),
		pages
	);

	let memory: WebAssembly.Memory;
	let instance: WebAssembly.Instance;
	try {
		memory = new WebAssembly.Memory({ initial: pages });
		instance = new WebAssembly.Instance(new WebAssembly.Module(module), {
			m: { memory }
		});
	} catch {
		// No SIMD, a policy against compiling, or a browser's main thread refusing a large module
		// compiled synchronously: the walk answers.
		return null;
	}
	const steps: Step[] = plan.map((step) =>
		step.kind === 'walked'
			? step
			: {
					kind: 'compiled',
					run: instance.exports[`trees${step.index}`] as (
						x: number,
						blocks: number,
						out: number
					) => void
				}
	);
	new Float64Array(memory.buffer, 0, leafTable.length).set(leafTable);
	const chunkX = new Float32Array(memory.buffer, xAddress, chunkBlocks * LANES * width);
	const chunkOut = new Float64Array(memory.buffer, outAddress, chunkBlocks * LANES * outputs);
	const chunkRows = chunkBlocks * LANES;

	return {
		score(x, n, out) {
			for (let first = 0; first < n; first += chunkRows) {
				const rows = Math.min(chunkRows, n - first);
				const blocks = Math.ceil(rows / LANES);
				// Column-blocked: block b holds feature f of its four rows at (b × width + f) × 4.
				for (let i = 0; i < rows; i++) {
					const from = (first + i) * width;
					const to = (i >> 2) * width * LANES + (i & 3);
					for (let f = 0; f < width; f++) chunkX[to + f * LANES] = x[from + f]!;
				}
				// The last block's spare lanes are scored and dropped.
				for (let i = rows; i < blocks * LANES; i++) {
					const to = (i >> 2) * width * LANES + (i & 3);
					for (let f = 0; f < width; f++) chunkX[to + f * LANES] = 0;
				}
				chunkOut.set(out.subarray(first * outputs, (first + rows) * outputs));
				for (const step of steps) {
					if (step.kind === 'compiled') step.run(xAddress, blocks, outAddress);
					else
						for (const { tree, k } of step.trees)
							for (let i = 0; i < rows; i++)
								chunkOut[i * outputs + k]! += treeValue(tree, x, (first + i) * width);
				}
				out.set(chunkOut.subarray(0, rows * outputs), first * outputs);
			}
		}
	};
}
