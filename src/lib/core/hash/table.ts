import type { Column, Table } from '../table/types';
import { sha256Hex } from './sha256';

const encoder = new TextEncoder();

/**
 * The id of a table's content: SHA-256 over a canonical encoding. The encoding is a JSON header
 * (format, row count, each column's name, type, storage and categories) followed by each
 * column's little-endian buffer with every missing number as the one canonical NaN. Each part is
 * digested alone and the id is the digest of those digests, so no copy of the whole table is
 * ever made. Same content → same id, on every device.
 */
export async function hashTable(table: Table): Promise<string> {
	const header = encoder.encode(
		JSON.stringify({
			format: 'driftwood-table',
			version: 1,
			rowCount: table.rowCount,
			columns: table.columns.map((c) => [
				c.name,
				c.type,
				c.storage,
				c.storage === 'coded' ? c.categories : null
			])
		})
	);
	const parts = [header, ...table.columns.map(canonicalBytes)];
	const digests = await Promise.all(
		parts.map((p) => crypto.subtle.digest('SHA-256', p as BufferSource))
	);
	const all = new Uint8Array(32 * digests.length);
	digests.forEach((d, i) => all.set(new Uint8Array(d), 32 * i));
	return sha256Hex(all);
}

function canonicalBytes(column: Column): Uint8Array {
	const array = column.storage === 'float' ? canonicalNaN(column.values) : column.codes;
	// Typed arrays are little-endian on every platform a browser or Node runs on today.
	return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** `values`, or a copy whose NaNs all have the canonical bit pattern when some do not. */
function canonicalNaN(values: Float64Array): Float64Array {
	const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
	for (let i = 0; i < values.length; i++) {
		if (Number.isNaN(values[i]!) && (words[2 * i]! !== 0 || words[2 * i + 1]! !== 0x7ff80000)) {
			return values.map((v) => (Number.isNaN(v) ? NaN : v));
		}
	}
	return values;
}
