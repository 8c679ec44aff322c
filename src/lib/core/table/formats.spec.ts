import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { sniffDialect } from './dialect';
import { chunksOf, readTable } from './read';
import type { Dialect, Encoding } from './types';

const PNG = Uint8Array.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0
]);

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
	const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
	let at = 0;
	const put = (unit: number) => {
		out[at++] = order === 'le' ? unit & 0xff : unit >> 8;
		out[at++] = order === 'le' ? unit >> 8 : unit & 0xff;
	};
	if (bom) put(0xfeff);
	for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
	return out;
}

async function read(bytes: Uint8Array, name: string, change: Partial<Dialect> = {}, chunk = 7) {
	const dialect = { ...sniffDialect(bytes, name, change.encoding), ...change };
	return {
		dialect,
		...(await readTable(chunksOf(bytes, chunk), {
			dialect,
			totalBytes: bytes.length,
			sample: bytes.subarray(0, 65536)
		}))
	};
}

describe('binary files picked by mistake', () => {
	const xlsx = zipSync({
		'[Content_Types].xml': strToU8('<Types/>'),
		'xl/workbook.xml': strToU8('<workbook/>')
	});
	const cases: [string, Uint8Array, RegExp][] = [
		['photo.png', PNG, /looks like a PNG image.*choose the CSV/],
		['scan.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]), /a JPEG image/],
		['anim.gif', strToU8('GIF89a\x01\x00'), /a GIF image/],
		['report.pdf', strToU8('%PDF-1.7\n%âãÏÓ'), /a PDF document/],
		[
			'sales.xlsx',
			xlsx,
			/an Excel workbook \(\.xlsx\).*Save As → CSV UTF-8 \(or export it as Parquet\)/
		],
		['data.csv.gz', gzipSync(strToU8('a,b\n1,2\n')), /gzip-compressed.*gunzip/],
		['app.sqlite', strToU8('SQLite format 3\0\x10\x00'), /a SQLite database/],
		[
			'old.xls',
			Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
			/Excel 97–2003/
		],
		[
			'blob.csv',
			Uint8Array.from([0x41, 0x42, 0x00, 0x01, 0x02, 0x43, 0x44, 0x00, 0x9f]),
			/a binary file/
		]
	];
	it.each(cases)(
		'refuses %s for what it is, never suggesting an encoding',
		(name, bytes, message) => {
			let thrown: unknown;
			try {
				sniffDialect(bytes, name);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toMatchObject({ code: 'binary', message: expect.stringMatching(message) });
			expect((thrown as Error).message).not.toMatch(/Windows-1252|encoding/);
		}
	);

	it('refuses a PNG even when the user forces Windows-1252 on it (no junk one-column dataset)', async () => {
		const forced: Dialect = {
			...sniffDialect(strToU8('a\n1\n'), 'x.csv'),
			encoding: 'windows-1252'
		};
		await expect(
			readTable(chunksOf(PNG), { dialect: forced, totalBytes: PNG.length })
		).rejects.toMatchObject({ code: 'binary' });
	});
});

describe('UTF-16 (Excel "Unicode Text")', () => {
	const excel = 'Name\tCity\tScore\r\nZoë\tKøbenhavn\t1,5\r\nJosé\tSão Paulo\t2\r\n';

	it.each([
		['le', 'utf-16le'],
		['be', 'utf-16be']
	] as const)(
		'reads UTF-16 %s with a BOM, tab separated, in any chunking',
		async (order, encoding) => {
			const { dialect, table } = await read(utf16(excel, order, true), 'export.txt');
			expect(dialect).toMatchObject({ encoding, delimiter: '\t', bom: true, lineEnding: 'crlf' });
			expect(table.rowCount).toBe(2);
			expect(table.columns.map((c) => c.name)).toEqual(['Name', 'City', 'Score']);
			expect(columnValueText(table.columns[0]!, 0)).toBe('Zoë');
			expect(columnValueText(table.columns[1]!, 1)).toBe('São Paulo');
		}
	);

	it('asks for the byte order of UTF-16 without a BOM, then reads it as chosen', async () => {
		const bytes = utf16('a,b\n1,x\n2,y\n', 'le', false);
		await expect(read(bytes, 'nobom.csv')).rejects.toMatchObject({
			code: 'encoding',
			message: expect.stringMatching(/UTF-16 text without a byte-order mark \(probably UTF-16 LE/)
		});
		const { table } = await read(bytes, 'nobom.csv', { encoding: 'utf-16le' as Encoding });
		expect(table.columns.map((c) => c.name)).toEqual(['a', 'b']);
		expect(table.rowCount).toBe(2);
	});
});

describe('JSON Lines', () => {
	it('reads one record a line (by name or sniffed), skipping blank lines, in any chunking', async () => {
		const text = '{"a": 1, "b": "x"}\n\n{"a": 2, "c": true}\r\n{"b": "é"}\n';
		for (const name of ['events.jsonl', 'events.ndjson', 'events.json', 'events']) {
			for (const chunk of [1, 5, 1 << 20]) {
				const { dialect, table, report } = await read(strToU8(text), name, {}, chunk);
				expect(dialect.format).toBe('jsonl');
				expect(table.rowCount).toBe(3);
				expect(report.blankLines).toBe(1);
				expect(table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
				expect(columnValueText(table.columns[1]!, 2)).toBe('é');
				expect(columnValueText(table.columns[0]!, 2)).toBe('');
			}
		}
	});

	it('names a broken line by number', async () => {
		const text = '{"a": 1}\n{"a": 2}\n{"a": 3\n{"a": 4}\n';
		await expect(read(strToU8(text), 'x.jsonl')).rejects.toMatchObject({
			code: 'json',
			message: expect.stringMatching(/^Line 3 is not valid JSON/)
		});
		await expect(read(strToU8('{"a": 1}\n[1, 2]\n'), 'x.jsonl')).rejects.toThrow(
			/Line 2 is an array, not a record/
		);
	});
});
