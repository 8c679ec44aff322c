/**
 * Maps the raw bytes of a field to its category code without building a string: categorical
 * columns repeat a few values a million times, and decoding each to a string only to look it
 * up was the reader's largest cost. Open addressing on an FNV-1a hash; the bytes of each known
 * value live in one arena for the equality check.
 */
export class ByteDictionary {
	private slots = new Int32Array(1024).fill(-1);
	private mask = 1023;
	private size = 0;
	private arena = new Uint8Array(4096);
	private arenaLength = 0;
	private starts = new Int32Array(256);
	private lengths = new Int32Array(256);
	private codes = new Int32Array(256);
	private hashes = new Int32Array(256);

	/** The code stored for `buf[start, end)`, or -1. */
	get(buf: Uint8Array, start: number, end: number, hash: number): number {
		let slot = hash & this.mask;
		for (;;) {
			const entry = this.slots[slot]!;
			if (entry < 0) return -1;
			if (this.hashes[entry] === hash && this.equals(entry, buf, start, end))
				return this.codes[entry]!;
			slot = (slot + 1) & this.mask;
		}
	}

	/** Remembers that `buf[start, end)` has `code`. */
	set(buf: Uint8Array, start: number, end: number, hash: number, code: number): void {
		const length = end - start;
		if (this.size === this.codes.length) this.growEntries();
		if (this.arenaLength + length > this.arena.length) {
			const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + length));
			arena.set(this.arena.subarray(0, this.arenaLength));
			this.arena = arena;
		}
		const entry = this.size++;
		this.arena.set(buf.subarray(start, end), this.arenaLength);
		this.starts[entry] = this.arenaLength;
		this.lengths[entry] = length;
		this.arenaLength += length;
		this.codes[entry] = code;
		this.hashes[entry] = hash;
		if (this.size * 2 > this.slots.length) this.rehash();
		else this.place(entry);
	}

	get count(): number {
		return this.size;
	}

	private equals(entry: number, buf: Uint8Array, start: number, end: number): boolean {
		const length = this.lengths[entry]!;
		if (length !== end - start) return false;
		const at = this.starts[entry]!;
		for (let k = 0; k < length; k++) if (this.arena[at + k] !== buf[start + k]) return false;
		return true;
	}

	private place(entry: number): void {
		let slot = this.hashes[entry]! & this.mask;
		while (this.slots[slot]! >= 0) slot = (slot + 1) & this.mask;
		this.slots[slot] = entry;
	}

	private rehash(): void {
		this.slots = new Int32Array(this.slots.length * 2).fill(-1);
		this.mask = this.slots.length - 1;
		for (let e = 0; e < this.size; e++) this.place(e);
	}

	private growEntries(): void {
		const grow = (a: Int32Array) => {
			const b = new Int32Array(a.length * 2);
			b.set(a);
			return b;
		};
		this.starts = grow(this.starts);
		this.lengths = grow(this.lengths);
		this.codes = grow(this.codes);
		this.hashes = grow(this.hashes);
	}
}

/** FNV-1a over `buf[start, end)`. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
	let h = 0x811c9dc5;
	for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
	return h | 0;
}
