import { describe, expect, it } from 'vitest';
import { ChunkDecoder, isAscii } from './decode';

describe('ChunkDecoder (UTF-8)', () => {
	const text = 'prix,ville\n12,Besançon\n3,Zürich — 東京 🚀\n';
	const bytes = new TextEncoder().encode(text);

	it('passes valid UTF-8 through whatever the chunk boundaries, even mid-character', () => {
		for (let size = 1; size <= 8; size++) {
			const decoder = new ChunkDecoder('utf-8');
			const out: number[] = [];
			for (let i = 0; i < bytes.length; i += size)
				out.push(...decoder.toUtf8(bytes.subarray(i, i + size)));
			out.push(...decoder.toUtf8(new Uint8Array(0), true));
			expect(new TextDecoder().decode(Uint8Array.from(out))).toBe(text);
		}
	});

	it('rejects an invalid byte in an otherwise ASCII file and a sequence cut at the end', () => {
		const bad = Uint8Array.from([...new TextEncoder().encode('a,b\n1,'), 0xe9, 0x0a]);
		expect(() => new ChunkDecoder('utf-8').toUtf8(bad, true)).toThrow(/offset 6/);
		const cut = new TextEncoder().encode('a\né').subarray(0, 3);
		const decoder = new ChunkDecoder('utf-8');
		decoder.toUtf8(cut);
		expect(() => decoder.toUtf8(new Uint8Array(0), true)).toThrow(/not valid UTF-8/);
	});

	it('checks ASCII four bytes at a time at any alignment', () => {
		const buffer = new Uint8Array(64).fill(65);
		for (let offset = 0; offset < 8; offset++) {
			expect(isAscii(buffer.subarray(offset, offset + 40))).toBe(true);
			const copy = buffer.slice();
			copy[offset + 37] = 0xc3;
			expect(isAscii(copy.subarray(offset, offset + 40))).toBe(false);
		}
	});
});
