import type { Table } from '../table/types';
import { countDistinctSorted, sortFloat64 } from '../stats/sort';

/**
 * How many rows repeat an earlier row exactly (pandas' `duplicated().sum()`). Rows are hashed
 * to 53 bits from two independent 32-bit hashes, so only numbers are compared, never row strings; a
 * false match needs a 53-bit collision (≈ 10⁻⁴ for a million rows).
 */
export function countDuplicateRows(table: Table): number {
	const n = table.rowCount;
	const h1 = new Uint32Array(n).fill(0x811c9dc5);
	const h2 = new Uint32Array(n).fill(0x9747b28c);
	for (const column of table.columns) {
		if (column.storage === 'coded') {
			const codes = column.codes;
			for (let i = 0; i < n; i++) mixInto(h1, h2, i, codes[i]!, 0);
		} else {
			const values = column.values;
			const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
			for (let i = 0; i < n; i++) {
				// Every NaN is the same missing value, whatever its bit pattern.
				if (Number.isNaN(values[i]!)) mixInto(h1, h2, i, 0x7ff80000, 0);
				else mixInto(h1, h2, i, bits[2 * i]!, bits[2 * i + 1]!);
			}
		}
	}
	// Sorting the keys and counting equal neighbours is several times faster than a Set.
	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) keys[i] = (h1[i]! & 0x1fffff) * 0x100000000 + h2[i]!;
	return n - countDistinctSorted(sortFloat64(keys));
}

function mixInto(h1: Uint32Array, h2: Uint32Array, i: number, lo: number, hi: number): void {
	let a = h1[i]!;
	a = Math.imul(a ^ lo, 0x01000193);
	a = Math.imul(a ^ hi, 0x01000193);
	h1[i] = a;
	let b = h2[i]!;
	b = Math.imul(b ^ lo, 0x5bd1e995);
	b ^= b >>> 15;
	b = Math.imul(b ^ hi, 0x5bd1e995);
	b ^= b >>> 13;
	h2[i] = b;
}
