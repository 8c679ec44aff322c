import { readFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { sniffDialect } from './dialect';
import { readParquetTable } from './parquet';
import { chunksOf, readTable } from './read';
import type { Table } from './types';

const PENGUINS = new URL('../../../../static/samples/penguins.csv', import.meta.url);

async function csvTable(): Promise<Table> {
	const bytes = new Uint8Array(readFileSync(PENGUINS));
	return (
		await readTable(chunksOf(bytes), {
			dialect: sniffDialect(bytes, 'penguins.csv'),
			totalBytes: bytes.length
		})
	).table;
}

/** The penguins sample written as Parquet the way pandas would: doubles, strings, small row groups. */
function penguinsParquet(table: Table): ArrayBuffer {
	return parquetWriteBuffer({
		rowGroupSize: 100,
		columnData: table.columns.map((c) =>
			c.storage === 'float'
				? {
						name: c.name,
						type: 'DOUBLE',
						data: Array.from(c.values, (v) => (Number.isNaN(v) ? null : v))
					}
				: {
						name: c.name,
						type: 'STRING',
						data: Array.from(c.codes, (code) => (code < 0 ? null : c.categories[code]!))
					}
		)
	});
}

describe('readParquetTable', () => {
	it('reads the same table as the CSV reader, row group by row group with progress', async () => {
		const csv = await csvTable();
		const file = penguinsParquet(csv);
		const progress: number[] = [];
		const { table, report } = await readParquetTable(file, {
			onProgress: (p) => progress.push(p.rows)
		});
		expect(progress).toEqual([100, 200, 300, 344]);
		expect(report.rows).toBe(344);
		expect(table.rowCount).toBe(344);
		expect(table.columns.map((c) => [c.name, c.type])).toEqual(
			csv.columns.map((c) => [c.name, c.type])
		);
		for (let i = 0; i < csv.columns.length; i++)
			for (const row of [0, 3, 171, 343])
				expect(columnValueText(table.columns[i]!, row)).toBe(columnValueText(csv.columns[i]!, row));
	});

	it('keeps int64 past 2^53 as text, timestamps as datetime, and flattens structs as a.b', async () => {
		const file = parquetWriteBuffer({
			schema: [
				{ name: 'root', num_children: 4 },
				{ name: 'account', type: 'INT64', repetition_type: 'REQUIRED' },
				{ name: 'count', type: 'INT64', repetition_type: 'OPTIONAL' },
				{
					name: 'seen',
					type: 'INT64',
					converted_type: 'TIMESTAMP_MILLIS',
					repetition_type: 'OPTIONAL'
				},
				{ name: 'address', repetition_type: 'OPTIONAL', num_children: 2 },
				{ name: 'city', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
				{ name: 'zip', type: 'INT32', repetition_type: 'OPTIONAL' }
			],
			columnData: [
				{ name: 'account', data: [9007199254740993n, 2n, 3n] },
				{ name: 'count', data: [5n, null, 7n] },
				{
					name: 'seen',
					data: [new Date('2024-01-02T03:04:05Z'), null, new Date('2025-06-01T00:00:00Z')]
				},
				{ name: 'address', data: [{ city: 'Oslo', zip: 150 }, { city: 'Rome', zip: null }, null] }
			]
		});
		const { table } = await readParquetTable(file);
		const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
		expect(Object.keys(byName)).toEqual([
			'account',
			'count',
			'seen',
			'address.city',
			'address.zip'
		]);
		expect(byName.account!.storage).toBe('coded');
		expect(columnValueText(byName.account!, 0)).toBe('9007199254740993');
		expect(byName.count!.type).toBe('numeric');
		expect(columnValueText(byName.count!, 1)).toBe('');
		expect(byName.seen).toMatchObject({ storage: 'float', type: 'datetime' });
		expect(byName.seen!.storage === 'float' && byName.seen!.values[0]).toBe(
			Date.parse('2024-01-02T03:04:05Z')
		);
		expect(columnValueText(byName['address.city']!, 1)).toBe('Rome');
		expect(columnValueText(byName['address.city']!, 2)).toBe('');
		expect(columnValueText(byName['address.zip']!, 0)).toBe('150');
	});

	it('refuses a list column by name, and a truncated file with what to do', async () => {
		const lists = parquetWriteBuffer({
			schema: [
				{ name: 'root', num_children: 2 },
				{ name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
				{ name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
				{ name: 'list', repetition_type: 'REPEATED', num_children: 1 },
				{ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }
			],
			columnData: [
				{ name: 'id', data: [1, 2] },
				{ name: 'tags', data: [['a', 'b'], []] }
			]
		});
		await expect(readParquetTable(lists)).rejects.toMatchObject({
			code: 'parquet',
			message: expect.stringMatching(/column "tags" is a list or a map/)
		});
		const whole = penguinsParquet(await csvTable());
		for (const cut of [whole.slice(0, whole.byteLength - 10), whole.slice(0, 4000)]) {
			await expect(readParquetTable(cut)).rejects.toMatchObject({
				code: 'parquet',
				message: expect.stringMatching(/truncated or damaged\. Export or download it again/)
			});
		}
	});
});
