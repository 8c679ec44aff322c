import { describe, expect, it } from 'vitest';
import { CSV_DIALECT } from '../../../../tests/unit/columns';
import { columnValueText } from './access';
import { recordsTable } from './json';
import { missingPolicyOf, missingTokenLines, targetTokenLoss } from './missing';
import { chunksOf, readTable } from './read';
import type { Dialect, MissingPolicy, Table } from './types';

async function read(text: string, missing?: MissingPolicy, dialect: Partial<Dialect> = {}) {
	const bytes = new TextEncoder().encode(text);
	return readTable(chunksOf(bytes, 5), {
		dialect: { ...CSV_DIALECT, ...dialect },
		totalBytes: bytes.length,
		missing
	});
}

function texts(table: Table, name: string): string[] {
	const c = table.columns.find((c) => c.name === name)!;
	return Array.from({ length: table.rowCount }, (_, r) => columnValueText(c, r));
}

/** A CSV of `n` rows: a damage class that is `None` on 89 % of them, a cost, a date. */
function incidents(n: number): string {
	const lines = ['damage,cost,date,phase'];
	for (let i = 0; i < n; i++) {
		const damage = i % 100 < 89 ? 'None' : i % 2 ? 'Minor' : 'Substantial';
		const cost = i % 10 === 3 ? 'NA' : i % 10 === 7 ? '-' : String(i * 10);
		const date = i % 25 === 0 ? 'None' : `2020-01-${String((i % 28) + 1).padStart(2, '0')}`;
		// One cell in 400 of a word column: a hole, not an answer.
		const phase = i % 400 === 5 ? 'NA' : i % 3 ? 'Climb' : 'Landing';
		lines.push(`${damage},${cost},${date},${phase}`);
	}
	return lines.join('\n');
}

describe('missing tokens read by their column', () => {
	it('keeps a frequent word as a category, reads tokens in numbers and dates as missing', async () => {
		const { table, report } = await read(incidents(1000));
		const damage = table.columns.find((c) => c.name === 'damage')!;
		expect(damage.type).toBe('categorical');
		expect(damage.storage === 'coded' && [...damage.categories].sort()).toEqual([
			'Minor',
			'None',
			'Substantial'
		]);
		expect(texts(table, 'damage').filter((v) => v === 'None')).toHaveLength(890);
		const cost = table.columns.find((c) => c.name === 'cost')!;
		expect(cost.type).toBe('numeric');
		expect(cost.storage === 'float' && cost.values.filter(Number.isNaN).length).toBe(200);
		const date = table.columns.find((c) => c.name === 'date')!;
		expect(date.type).toBe('datetime');
		const phase = table.columns.find((c) => c.name === 'phase')!;
		expect(phase.storage === 'coded' && [...phase.categories].sort()).toEqual(['Climb', 'Landing']);
		expect(report.missingTokens).toEqual(
			expect.arrayContaining([
				{ column: 'damage', token: 'None', cells: 890, missing: false, reason: 'frequent' },
				{ column: 'cost', token: 'NA', cells: 100, missing: true, reason: 'numbers' },
				{ column: 'cost', token: '-', cells: 100, missing: true, reason: 'numbers' },
				{ column: 'date', token: 'None', cells: 40, missing: true, reason: 'dates' },
				{ column: 'phase', token: 'NA', cells: 3, missing: true, reason: 'rare' }
			])
		);
		expect(report.missingTokens).toHaveLength(5);
	});

	it('reads a token as the user chose, per column', async () => {
		const { table, report } = await read(incidents(200), {
			columns: { damage: { None: true }, cost: { NA: false } }
		});
		expect(texts(table, 'damage').filter((v) => v === '')).toHaveLength(178);
		// "NA" as an answer makes the cost column words: numbers are kept as they were written.
		const cost = table.columns.find((c) => c.name === 'cost')!;
		expect(cost.storage).toBe('coded');
		expect(texts(table, 'cost').slice(0, 4)).toEqual(['0', '10', '20', 'NA']);
		expect(texts(table, 'cost')[7]).toBe('');
		expect(report.missingTokens).toEqual(
			expect.arrayContaining([
				{ column: 'damage', token: 'None', cells: 178, missing: true, reason: 'chosen' },
				{ column: 'cost', token: 'NA', cells: 20, missing: false, reason: 'chosen' }
			])
		);
	});

	it('--keep-na reads no token as missing; --na names others, numbers stay numbers', async () => {
		const kept = await read('a,b\n1,x\nNA,None\n3,y\n', { mode: 'keep' });
		expect(texts(kept.table, 'a')).toEqual(['1', 'NA', '3']);
		expect(texts(kept.table, 'b')).toEqual(['x', 'None', 'y']);
		const listed = await read('a,b\n1.5,x\n?,None\n3,unknown\n', { tokens: ['?', 'unknown'] });
		const a = listed.table.columns[0]!;
		expect(a.type).toBe('numeric');
		expect(a.storage === 'float' && Array.from(a.values)).toEqual([1.5, NaN, 3]);
		expect(texts(listed.table, 'b')).toEqual(['x', 'None', '']);
		expect(listed.report.missingTokens).toEqual(
			expect.arrayContaining([
				{ column: 'a', token: '?', cells: 1, missing: true, reason: 'listed' },
				{ column: 'b', token: 'unknown', cells: 1, missing: true, reason: 'listed' }
			])
		);
	});

	it('keeps the token of a numeric column that turns to words later (the flip keeps it)', async () => {
		const rows = ['v', ...Array.from({ length: 300 }, (_, i) => (i % 50 === 1 ? 'NA' : String(i)))];
		rows.push('n/k');
		const { table, report } = await read(rows.join('\n'));
		const v = table.columns[0]!;
		expect(v.storage).toBe('coded');
		// In a word column NA on 6 of 301 rows (2 %) is an answer, as the rule says.
		expect(texts(table, 'v')[1]).toBe('NA');
		expect(report.missingTokens).toEqual([
			{ column: 'v', token: 'NA', cells: 6, missing: false, reason: 'frequent' }
		]);
	});

	it('treats a column named __proto__ like any other, and a negative number as a number', async () => {
		const { table } = await read('__proto__,n\nNone,-1\nNone,-\nx,-2\n', {
			// JSON.parse makes `__proto__` an own key, as a stored policy would have it.
			columns: JSON.parse('{"__proto__": {"None": true}}') as MissingPolicy['columns']
		});
		expect(texts(table, '__proto__')).toEqual(['', '', 'x']);
		expect(texts(table, 'n')).toEqual(['-1', '', '-2']);
	});

	it('reads JSON strings the same way', async () => {
		const json = JSON.stringify(
			Array.from({ length: 100 }, (_, i) => ({
				damage: i < 90 ? 'None' : 'Minor',
				cost: i % 9 ? i : 'NA'
			}))
		);
		const { table } = await read(json, undefined, { format: 'json' });
		expect(texts(table, 'damage').filter((v) => v === 'None')).toHaveLength(90);
		expect(table.columns[1]!.type).toBe('numeric');
	});
});

describe('what a target loses to missing tokens', () => {
	it('asks when a target loses more than 5 % of its rows to tokens read as missing', async () => {
		const plain = await read(incidents(1000));
		const counts = plain.report.missingTokens!;
		expect(targetTokenLoss(counts, 'damage', 1000)).toBeNull();
		// The cost column as a target: "NA" and "-" take 20 % of its rows.
		expect(targetTokenLoss(counts, 'cost', 1000)).toMatchObject({ cells: 200, share: 0.2 });
		// 3 cells of 1,000 under 5 %: counted where the run says so, but no question.
		expect(targetTokenLoss(counts, 'phase', 1000)).toBeNull();
		const chosen = await read(incidents(1000), { columns: { damage: { None: true } } });
		const loss = targetTokenLoss(chosen.report.missingTokens!, 'damage', 1000);
		expect(loss?.cells).toBe(890);
		expect(missingTokenLines(chosen.report.missingTokens!, 1000)).toContain(
			'damage: read as missing: "None" × 890 (89.0 %), as you chose'
		);
	});
});

describe('new rows read as the model read its training file', () => {
	it('keeps a token the model learned as a category, reads any other as missing', () => {
		const policy = missingPolicyOf([
			{ name: 'damage', categories: ['None', 'Minor'] },
			{ name: 'phase', categories: ['Climb'] },
			{ name: 'cost' }
		]);
		const table = recordsTable(
			[
				{ damage: 'None', phase: 'NA', cost: 'NA' },
				{ damage: 'Minor', phase: 'Climb', cost: 5 }
			],
			policy
		);
		expect(texts(table, 'damage')).toEqual(['None', 'Minor']);
		expect(texts(table, 'phase')).toEqual(['', 'Climb']);
		expect(table.columns[2]!.type).toBe('numeric');
		expect(texts(table, 'cost')).toEqual(['', '5']);
	});
});
