import { describe, expect, it } from 'vitest';
import type { Table } from '../table/types';
import { sha256Hex } from './sha256';
import { hashTable } from './table';

function table(values: number[], name = 'x'): Table {
	return {
		rowCount: values.length,
		columns: [
			{ storage: 'float', name, type: 'numeric', values: Float64Array.from(values) },
			{
				storage: 'coded',
				name: 'c',
				type: 'categorical',
				categories: ['a', 'b'],
				codes: Int32Array.from(values.map((_, i) => i % 2))
			}
		]
	};
}

describe('hashTable', () => {
	it('is SHA-256 hex, stable, and changes with any value, name or type', async () => {
		const id = await hashTable(table([1, 2, NaN]));
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(await hashTable(table([1, 2, NaN]))).toBe(id);
		expect(await hashTable(table([1, 2, 3]))).not.toBe(id);
		expect(await hashTable(table([1, 2, NaN], 'y'))).not.toBe(id);
		const retyped = table([1, 2, NaN]);
		retyped.columns[1]!.type = 'boolean';
		expect(await hashTable(retyped)).not.toBe(id);
	});

	it('treats every NaN bit pattern as the same missing value', async () => {
		const odd = new Float64Array([1, 2, 0]);
		new Uint32Array(odd.buffer).set([1, 0x7ff80000], 4);
		expect(Number.isNaN(odd[2]!)).toBe(true);
		const t = table([1, 2, NaN]);
		const other: Table = {
			...t,
			columns: [{ ...t.columns[0]!, values: odd } as Table['columns'][number], t.columns[1]!]
		};
		expect(await hashTable(other)).toBe(await hashTable(t));
	});

	it('uses the standard SHA-256', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});
});
