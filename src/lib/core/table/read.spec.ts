import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { sniffDialect } from './dialect';
import { chunksOf, readTable } from './read';
import type { Table } from './types';

const BAD = new URL('../../../../tests/fixtures/bad/', import.meta.url);

async function readFixture(name: string, change: Record<string, unknown> = {}) {
	const bytes = new Uint8Array(readFileSync(new URL(name, BAD)));
	const dialect = { ...sniffDialect(bytes.subarray(0, 65536), name), ...change };
	const result = await readTable(chunksOf(bytes, 7), { dialect, totalBytes: bytes.length });
	return { ...result, dialect };
}

function column(table: Table, name: string) {
	const found = table.columns.find((c) => c.name === name);
	if (!found) throw new Error(`no column ${name}`);
	return found;
}

function values(table: Table, name: string): string[] {
	const c = column(table, name);
	return Array.from({ length: table.rowCount }, (_, r) => columnValueText(c, r));
}

describe('readTable on the bad-input fixtures', () => {
	it('reads a BOM, ";" delimiter and decimal commas', async () => {
		const { table, dialect } = await readFixture('bom-semicolon-decimal-comma.csv');
		expect(dialect).toMatchObject({ bom: true, delimiter: ';', decimal: ',', header: true });
		expect(table.columns.map((c) => c.name)).toEqual(['city', 'price', 'rooms']);
		const price = column(table, 'price');
		expect(price.type).toBe('numeric');
		expect(price.storage === 'float' && Array.from(price.values)).toEqual([1234.5, 980.25, -12.75]);
	});

	it('reads mixed CRLF / LF with quoted newlines and escaped quotes', async () => {
		const { table, dialect } = await readFixture('mixed-newlines-quoted.csv');
		expect(dialect.lineEnding).toBe('mixed');
		expect(values(table, 'comment')).toEqual(['line one\r\nline two', 'she said "hi"', 'plain']);
		expect(values(table, 'score')).toEqual(['3.5', '4', '5']);
	});

	it('reports ragged rows by line and keeps the rest in place', async () => {
		const { table, report } = await readFixture('ragged.csv');
		expect(report.raggedLines).toEqual([3, 5]);
		expect(values(table, 'c')).toEqual(['3', '8', '15']);
	});

	it('refuses invalid UTF-8 instead of writing U+FFFD, then reads it as Windows-1252', async () => {
		await expect(readFixture('windows-1252.csv')).rejects.toThrow(
			/not valid UTF-8 \(the first bad byte is at offset 14\).*Windows-1252 or Latin-1/
		);
		const { table } = await readFixture('windows-1252.csv', { encoding: 'windows-1252' });
		expect(values(table, 'name')).toEqual(['Café', 'Crème brûlée']);
		expect(values(table, 'price')).toEqual(['3', '€5']);
	});

	it('keeps codes and long ids as text and reads NaN, empty and null as missing', async () => {
		const { table } = await readFixture('type-traps.csv');
		expect(values(table, 'zip')).toEqual(['02134', '00501', '10001', '94105', '60601']);
		expect(values(table, 'account')[0]).toBe('123456789012345678');
		expect(column(table, 'account').storage).toBe('coded');
		const amount = column(table, 'amount');
		expect(amount.type).toBe('numeric');
		expect(amount.storage === 'float' && Array.from(amount.values)).toEqual([
			1.5,
			NaN,
			NaN,
			NaN,
			2.25
		]);
		expect(column(table, 'flag').type).toBe('boolean');
	});

	it('keeps hostile headers as plain names and never touches Object.prototype', async () => {
		const { table } = await readFixture('hostile-headers.csv');
		expect(table.columns.map((c) => c.name)).toEqual([
			'__proto__',
			'constructor',
			'<img src=x onerror=alert(1)>',
			'toString'
		]);
		expect(values(table, '<img src=x onerror=alert(1)>')).toEqual([
			'<b>bold</b>',
			'<script>alert(2)</script>'
		]);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		expect(Object.keys(Object.prototype)).toEqual([]);
	});

	it('says an empty file is empty and a header-only file has no rows', async () => {
		await expect(readFixture('empty.csv')).rejects.toThrow(/The file is empty/);
		await expect(readFixture('header-only.csv')).rejects.toThrow(/no rows of data/);
	});

	it('reads JSON records with prototype keys as plain columns', async () => {
		const json = '[{"__proto__": 1, "a": "x"}, {"a": "y", "b": true}, {"constructor": null}]';
		const bytes = new TextEncoder().encode(json);
		const dialect = sniffDialect(bytes, 'x.json');
		const { table } = await readTable(chunksOf(bytes, 5), { dialect, totalBytes: bytes.length });
		expect(table.columns.map((c) => c.name)).toEqual(['__proto__', 'a', 'b', 'constructor']);
		expect(values(table, 'a')).toEqual(['x', 'y', '']);
		expect(values(table, 'b')).toEqual(['', 'true', '']);
		expect(Object.keys(Object.prototype)).toEqual([]);
	});

	it('explains JSON that is not an array of records', async () => {
		const read = (text: string) => {
			const bytes = new TextEncoder().encode(text);
			return readTable(chunksOf(bytes), {
				dialect: sniffDialect(bytes, 'x.json'),
				totalBytes: bytes.length
			});
		};
		await expect(read('{"a": 1}')).rejects.toThrow(/holds an object, not an array of records/);
		await expect(read('[1, 2]')).rejects.toThrow(/Item 1 of the JSON array is a number/);
		await expect(read('[{"a": 1},')).rejects.toThrow(/not valid JSON/);
	});
});

describe('readTable on a 200 MB stream', () => {
	const ROW = `12345,"${'a long repeated comment, with a comma and ""quotes"" '.repeat(3)}",2.5\n`;
	const TARGET_BYTES = 200 * 1024 * 1024;

	async function* generate(onChunk?: (index: number) => void): AsyncIterable<Uint8Array> {
		const chunk = new TextEncoder().encode(ROW.repeat(Math.floor((1 << 20) / ROW.length)));
		yield new TextEncoder().encode('id,comment,score\n');
		for (let sent = 0, i = 0; sent < TARGET_BYTES; sent += chunk.length, i++) {
			onChunk?.(i);
			yield chunk;
		}
	}

	const dialect = sniffDialect(new TextEncoder().encode(`id,comment,score\n${ROW}`), 'big.csv');

	it('streams with memory bounded by the columns, not the file', async () => {
		globalThis.gc?.();
		const before = process.memoryUsage();
		let peak = 0;
		const { table, report } = await readTable(
			generate(() => {
				const m = process.memoryUsage();
				peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
			}),
			{ dialect, totalBytes: TARGET_BYTES }
		);
		expect(report.bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
		expect(table.rowCount).toBe(report.rows);
		expect(table.rowCount).toBeGreaterThan(1_000_000);
		expect(column(table, 'comment').storage).toBe('coded');
		// The typed columns of 1.2 M rows take ~24 MB; the file is 200 MB.
		expect(peak).toBeLessThan(120 * 1024 * 1024);
	});

	it('stops at once when cancelled', async () => {
		let chunks = 0;
		let cancelled = false;
		const read = readTable(
			generate((i) => {
				chunks = i;
				if (i === 20) cancelled = true;
			}),
			{ dialect, totalBytes: TARGET_BYTES, isCancelled: () => cancelled }
		);
		await expect(read).rejects.toThrow(/Import cancelled. Nothing was saved./);
		expect(chunks).toBe(20);
	});
});
