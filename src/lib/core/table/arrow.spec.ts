import { readFileSync } from 'node:fs';
import {
	bool,
	columnFromArray,
	dateDay,
	dictionary,
	float64,
	int64,
	list,
	tableFromColumns,
	tableToIPC,
	timestamp,
	TimeUnit,
	utf8
} from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { readArrowTable } from './arrow';
import { sniffDialect } from './dialect';
import { chunksOf } from './read';
import { readSource } from './source';
import type { Table } from './types';

function ipc(columns: Record<string, ReturnType<typeof columnFromArray>>): Uint8Array {
	return tableToIPC(tableFromColumns(columns), { format: 'file' })!;
}

const texts = (table: Table, name: string) => {
	const c = table.columns.find((c) => c.name === name)!;
	return Array.from({ length: table.rowCount }, (_, i) => columnValueText(c, i));
};

describe('readArrowTable', () => {
	it('reads numbers, text, dictionaries, booleans, dates, timestamps and nulls into typed columns', () => {
		const day = Date.UTC(2024, 1, 29);
		const bytes = ipc({
			x: columnFromArray([1.5, null, -2], float64()),
			big: columnFromArray([1n, 2n ** 60n, null], int64()),
			name: columnFromArray(['a', null, 'b'], utf8()),
			level: columnFromArray(['low', 'high', 'low'], dictionary(utf8())),
			ok: columnFromArray([true, false, null], bool()),
			day: columnFromArray([day, null, day + 86_400_000], dateDay()),
			at: columnFromArray([day + 3_600_000, day, null], timestamp(TimeUnit.MILLISECOND))
		});
		const { table, report } = readArrowTable(bytes);
		expect(report.rows).toBe(3);
		const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
		expect(byName.x!.type).toBe('numeric');
		expect(byName.x!.storage === 'float' && Array.from(byName.x!.values)).toEqual([1.5, NaN, -2]);
		// 2^60 has no exact double: the column is text, digits intact.
		expect(texts(table, 'big')).toEqual(['1', '1152921504606846976', '']);
		expect(texts(table, 'name')).toEqual(['a', '', 'b']);
		expect(texts(table, 'level')).toEqual(['low', 'high', 'low']);
		expect(byName.ok!.type).toBe('boolean');
		expect(byName.day!.type).toBe('datetime');
		expect(byName.day!.storage === 'float' && Array.from(byName.day!.values)).toEqual([
			day,
			NaN,
			day + 86_400_000
		]);
		expect(byName.at!.storage === 'float' && byName.at!.values[0]).toBe(day + 3_600_000);
	});

	it('refuses a nested column by name, and a damaged file with what to do', () => {
		const nested = ipc({ tags: columnFromArray([[1], [2, 3]], list(float64())) });
		expect(() => readArrowTable(nested)).toThrow(/"tags" holds nested values/);
		expect(() =>
			readArrowTable(new Uint8Array([0x41, 0x52, 0x52, 0x4f, 0x57, 0x31, 0, 0]))
		).toThrow(/cannot be read/);
	});

	it('is sniffed from its bytes and read through readSource: vega’s flights-200k.arrow', async () => {
		const bytes = new Uint8Array(
			readFileSync(
				new URL('../../../../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url)
			)
		);
		const dialect = sniffDialect(bytes.subarray(0, 65536), 'flights.bin');
		expect(dialect.format).toBe('arrow');
		const { table } = await readSource(
			{
				name: 'f',
				size: bytes.length,
				chunks: () => chunksOf(bytes),
				random: () => {
					throw new Error('not used');
				}
			},
			dialect
		);
		expect(table.rowCount).toBe(200_000);
		expect(table.columns.map((c) => c.name)).toEqual(['delay', 'distance', 'time']);
		const delay = table.columns[0]!;
		expect(delay.storage === 'float' && delay.values[0]).toBe(0);
	});
});
