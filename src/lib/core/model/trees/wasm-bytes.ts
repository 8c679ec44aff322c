/**
 * WebAssembly's binary encoding, as much of it as the trees' generated code needs: opcodes, LEB128
 * integers, and a module of functions over one imported memory (`m.memory`).
 */
export const Op = {
	End: 0x0b,
	Block: 0x02,
	Loop: 0x03,
	Br: 0x0c,
	BrIf: 0x0d,
	LocalGet: 0x20,
	LocalSet: 0x21,
	LocalTee: 0x22,
	I32Load: 0x28,
	F64Load: 0x2b,
	F64Store: 0x39,
	I32Store: 0x36,
	I32Load8U: 0x2d,
	I32Const: 0x41,
	F32Const: 0x43,
	F64Const: 0x44,
	I32Eq: 0x46,
	I32Ne: 0x47,
	I32GeU: 0x4f,
	I32Mul: 0x6c,
	I32Add: 0x6a,
	I32Sub: 0x6b,
	I32ShrU: 0x76,
	I32Ctz: 0x68,
	I32Shl: 0x74,
	F64Add: 0xa0,
	Simd: 0xfd
} as const;

export const SimdOp = {
	V128Load: 0x00,
	V128Store: 0x0b,
	V128Const: 0x0c,
	I32x4Splat: 0x11,
	F32x4Splat: 0x13,
	I32x4ExtractLane: 0x1b,
	F32x4Eq: 0x41,
	F32x4Ne: 0x42,
	F32x4Gt: 0x44,
	F32x4Le: 0x45,
	V128Not: 0x4d,
	V128And: 0x4e,
	V128Or: 0x50,
	V128Load64Zero: 0x5d,
	F64x2PromoteLowF32x4: 0x5f,
	F64x2Add: 0xf0,
	F64x2Sub: 0xf1
} as const;
export type SimdOp = (typeof SimdOp)[keyof typeof SimdOp];

export const V128 = 0x7b;
export const I32 = 0x7f;
export const VOID_BLOCK = 0x40;

/** A growing byte string with WebAssembly's encodings. */
export class Bytes {
	private buffer: Uint8Array<ArrayBuffer> = new Uint8Array(1024);
	length = 0;

	byte(b: number): this {
		if (this.length === this.buffer.length) {
			const bigger = new Uint8Array(this.buffer.length * 2);
			bigger.set(this.buffer);
			this.buffer = bigger;
		}
		this.buffer[this.length++] = b;
		return this;
	}

	bytes(bs: ArrayLike<number>): this {
		for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
		return this;
	}

	unsigned(n: number): this {
		do {
			let b = n & 0x7f;
			n >>>= 7;
			if (n) b |= 0x80;
			this.byte(b);
		} while (n);
		return this;
	}

	signed(n: number): this {
		for (;;) {
			const b = n & 0x7f;
			n >>= 7;
			if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return this.byte(b);
			this.byte(b | 0x80);
		}
	}

	f64(v: number): this {
		return this.bytes(new Uint8Array(Float64Array.of(v).buffer));
	}

	f32(v: number): this {
		return this.bytes(new Uint8Array(Float32Array.of(v).buffer));
	}

	name(s: string): this {
		const utf8 = new TextEncoder().encode(s);
		return this.unsigned(utf8.length).bytes(utf8);
	}

	simd(op: SimdOp): this {
		return this.byte(Op.Simd).unsigned(op);
	}

	/** `local.get`, `local.set`, `local.tee` of a local. */
	get(local: number): this {
		return this.byte(Op.LocalGet).unsigned(local);
	}

	set(local: number): this {
		return this.byte(Op.LocalSet).unsigned(local);
	}

	tee(local: number): this {
		return this.byte(Op.LocalTee).unsigned(local);
	}

	/** `i32.const`. */
	i32(value: number): this {
		return this.byte(Op.I32Const).signed(value);
	}

	/** A load or store: its opcode (`Op`, or `SimdOp` with `simd`), alignment (log2) and offset. */
	memory(op: number, alignLog2: number, offset: number, simd = false): this {
		if (simd) this.byte(Op.Simd);
		return this.unsigned(op).unsigned(alignLog2).unsigned(offset);
	}

	/** `local += by` for an i32 local. */
	increase(local: number, by: number): this {
		return this.get(local).i32(by).byte(Op.I32Add).set(local);
	}

	/** A section or a function body: its length, then its bytes. */
	sized(inner: Bytes): this {
		return this.unsigned(inner.length).bytes(inner.view());
	}

	view(): Uint8Array<ArrayBuffer> {
		return this.buffer.subarray(0, this.length);
	}
}

/** A function of a module: its parameter and result types, its body (locals, code, no end). */
export interface WasmFunction {
	name: string;
	params: number[];
	results?: number[];
	body: Bytes;
}

/**
 * The bytes of a module that imports its memory as `m.memory` (at least `pages` of 64 KiB) and
 * exports these functions.
 */
export function moduleBytes(
	functions: readonly WasmFunction[],
	pages: number
): Uint8Array<ArrayBuffer> {
	const module = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
	const section = (id: number, inner: Bytes) => module.byte(id).sized(inner);
	const types = new Bytes().unsigned(functions.length);
	for (const f of functions) {
		const results = f.results ?? [];
		types.byte(0x60).unsigned(f.params.length).bytes(f.params);
		types.unsigned(results.length).bytes(results);
	}
	section(1, types);
	section(
		2,
		new Bytes().unsigned(1).name('m').name('memory').byte(0x02).byte(0x00).unsigned(pages)
	);
	const indices = new Bytes().unsigned(functions.length);
	functions.forEach((_, i) => indices.unsigned(i));
	section(3, indices);
	const exports = new Bytes().unsigned(functions.length);
	functions.forEach((f, i) => exports.name(f.name).byte(0x00).unsigned(i));
	section(7, exports);
	const code = new Bytes().unsigned(functions.length);
	for (const f of functions) code.sized(f.body.byte(Op.End));
	section(10, code);
	return module.view();
}
