import { describe, expect, it } from 'vitest';
import { columnValueText } from './access';
import { CsvReader } from './csv';
import type { Dialect, Table } from './types';
import { CSV_DIALECT } from '../../../../tests/unit/columns';

function read(text: string, chunkSize = Infinity, dialect: Partial<Dialect> = {}) {
	const bytes = new TextEncoder().encode(text);
	const reader = new CsvReader({ ...CSV_DIALECT, ...dialect });
	const step = Math.min(chunkSize, Math.max(1, bytes.length));
	for (let i = 0; i < bytes.length; i += step) reader.push(bytes.slice(i, i + step));
	const { columns: built, report } = reader.finish();
	const columns = built.map((b) => b.column);
	const table: Table = { rowCount: report.rows, columns };
	return { table, report, rows: rowsOf(table) };
}

function rowsOf(table: Table): string[][] {
	return Array.from({ length: table.rowCount }, (_, r) =>
		table.columns.map((c) => columnValueText(c, r))
	);
}

describe('CsvReader', () => {
	const tricky =
		'id,comment,score\r\n1,"line one\r\nline two",3.5\n2,"she said ""hi""",4\r\n3,plain,5\n4,"a,b",\n';

	it('reads quoted newlines, escaped quotes, delimiters in quotes and mixed line endings', () => {
		const { rows, table } = read(tricky);
		expect(table.columns.map((c) => c.name)).toEqual(['id', 'comment', 'score']);
		expect(rows).toEqual([
			['1', 'line one\r\nline two', '3.5'],
			['2', 'she said "hi"', '4'],
			['3', 'plain', '5'],
			['4', 'a,b', '']
		]);
	});

	it('gives the same table whatever the chunk boundaries', () => {
		const whole = read(tricky).rows;
		for (let size = 1; size <= tricky.length; size++)
			expect(read(tricky, size).rows).toEqual(whole);
	});

	it('leaves ragged rows out, names their lines, and never shifts columns', () => {
		const { rows, report } = read('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n');
		expect(rows).toEqual([
			['1', '2', '3'],
			['6', '7', '8'],
			['13', '14', '15']
		]);
		expect(report.raggedLines).toEqual([3, 5]);
		expect(report.raggedCount).toBe(2);
	});

	it('counts physical lines through quoted newlines when reporting ragged rows', () => {
		const { report } = read('a,b\n"x\ny",1\nonly\n');
		expect(report.raggedLines).toEqual([4]);
	});

	it('fails when most rows are ragged, suggesting another delimiter', () => {
		expect(() => read('a;b;c\n1;2;3\n4;5;6\n', Infinity, { delimiter: ',' })).not.toThrow();
		expect(() => read('a,b\n1;2;3\n4;5;6\n7,8\n')).toThrow(/delimiter is probably not ","/);
	});

	it('skips blank lines and reads a file without a final newline', () => {
		const { rows, report } = read('a,b\n\n1,2\n\n3,4');
		expect(rows).toEqual([
			['1', '2'],
			['3', '4']
		]);
		expect(report.blankLines).toBe(2);
	});

	it('names empty and duplicate headers, and reads a header-less file', () => {
		expect(read('a,,a\n1,2,3\n').table.columns.map((c) => c.name)).toEqual([
			'a',
			'column_2',
			'a_2'
		]);
		const { rows, table } = read('1,2\n3,4\n', Infinity, { header: false });
		expect(table.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
		expect(rows).toEqual([
			['1', '2'],
			['3', '4']
		]);
	});

	it('says what is wrong with an empty or header-only file', () => {
		expect(() => read('')).toThrow(/The file is empty/);
		expect(() => read('a,b,c\n')).toThrow(/header \(3 columns: a, b, c\) but no rows of data/);
	});

	it('turns a numeric column into text when a later value is not a number', () => {
		const { table } = read('v\n1\n2.5\nabc\n\n');
		const column = table.columns[0]!;
		expect(column.storage).toBe('coded');
		expect(rowsOf(table)).toEqual([['1'], ['2.5'], ['abc']]);
	});
});

describe('CsvReader bounds', () => {
	it('refuses a line that never ends past 16 MB at once, instead of copying it forever', () => {
		const reader = new CsvReader(CSV_DIALECT);
		const chunk = new Uint8Array(1 << 20).fill(120); // 'x', no newline
		let error: unknown = null;
		try {
			for (let i = 0; i < 40; i++) reader.push(chunk);
		} catch (e) {
			error = e;
		}
		expect(String(error)).toMatch(/line 1 is longer than 16 MB without ending/);
		expect((error as { code?: string }).code).toBe('too-large');
	});

	it('refuses more than 16,384 columns with the line named', () => {
		const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
		expect(() => read(`${header}\n1\n`)).toThrow(/Line 1 has more than 16,384 fields/);
	});

	it('never renames a repeated header onto a name the file holds', () => {
		const { table, report } = read('a,a,a_2\n1,2,3\n');
		expect(table.columns.map((c) => c.name)).toEqual(['a', 'a_3', 'a_2']);
		expect(report.renamed).toEqual([{ from: 'a', to: 'a_3' }]);
	});
});
