import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffDialect } from '../table/dialect';
import { chunksOf, readTable } from '../table/read';
import type { Table } from '../table/types';
import { profileTable } from './profile';
import { coded, numeric } from '../../../../tests/unit/columns';

interface ReferenceColumn {
	count: number;
	missing: number;
	unique: number;
	mean?: number;
	std?: number;
	min?: number;
	p25?: number;
	p50?: number;
	p75?: number;
	max?: number;
	counts?: Record<string, number>;
	association?: number;
}
interface Reference {
	file: string;
	target: string;
	rows: number;
	duplicate_rows: number;
	columns: Record<string, ReferenceColumn>;
	correlation: { names: string[]; values: number[][] };
}

const ROOT = new URL('../../../../', import.meta.url);
const references = JSON.parse(
	readFileSync(new URL('tests/fixtures/reference/profile.json', ROOT), 'utf8')
) as Reference[];

async function load(file: string): Promise<Table> {
	const bytes = new Uint8Array(readFileSync(new URL(file, ROOT)));
	const dialect = sniffDialect(bytes, file);
	return (await readTable(chunksOf(bytes, 4096), { dialect, totalBytes: bytes.length })).table;
}

function close(actual: number | null | undefined, expected: number, what: string): void {
	expect(actual, what).not.toBeNull();
	const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
	expect(
		Math.abs((actual as number) - expected),
		`${what}: ${actual} vs ${expected}`
	).toBeLessThanOrEqual(tolerance);
}

describe.each(references)('profile of $file equals pandas / SciPy', (reference) => {
	it('per column: counts, moments, quantiles, categories and association', async () => {
		const profile = profileTable(await load(reference.file), reference.target);
		expect(profile.rowCount).toBe(reference.rows);
		expect(profile.columns.map((c) => c.name)).toEqual(Object.keys(reference.columns));
		for (const column of profile.columns) {
			const ref = reference.columns[column.name]!;
			expect(column.count, column.name).toBe(ref.count);
			expect(column.missing, column.name).toBe(ref.missing);
			expect(column.unique, column.name).toBe(ref.unique);
			if (ref.counts) {
				expect(Object.fromEntries(column.top.map((t) => [t.value, t.count]))).toEqual(ref.counts);
			} else {
				for (const key of ['mean', 'std', 'min', 'p25', 'p50', 'p75', 'max'] as const) {
					close(column[key], ref[key]!, `${column.name}.${key}`);
				}
			}
			if (ref.association !== undefined)
				close(column.association?.value, ref.association, `${column.name} ~ target`);
		}
	});

	it('duplicate rows and the correlation matrix', async () => {
		const profile = profileTable(await load(reference.file), reference.target);
		expect(profile.duplicateRows).toBe(reference.duplicate_rows);
		expect(profile.correlation.names).toEqual(reference.correlation.names);
		reference.correlation.values.forEach((row, i) =>
			row.forEach((r, j) => close(profile.correlation.values[i]![j], r, `r[${i}][${j}]`))
		);
	});
});

describe('quality warnings', () => {
	it('flags constant, all-missing, duplicate, imbalanced and leaking columns', () => {
		const n = 40;
		const label = Array.from({ length: n }, (_, i) => (i < 37 ? 'a' : 'b'));
		const table: Table = {
			rowCount: n,
			columns: [
				numeric('constant', new Array(n).fill(1)),
				numeric('empty', new Array(n).fill(NaN)),
				coded(
					'leak',
					label.map((l) => (l === 'a' ? 'yes' : 'no'))
				),
				coded('label', label)
			]
		};
		const kinds = profileTable(table, 'label').warnings.map((w) => `${w.kind}:${w.column ?? ''}`);
		expect(kinds).toEqual(
			expect.arrayContaining([
				'constant:constant',
				'all-missing:empty',
				'leakage:leak',
				'imbalance:label',
				'duplicates:'
			])
		);
		expect(kinds).not.toContain('leakage:constant');
	});

	it('flags high-cardinality categoricals and id-like columns, and nothing on clean data', () => {
		const n = 200;
		const table: Table = {
			rowCount: n,
			columns: [
				{
					...coded(
						'city',
						Array.from({ length: n }, (_, i) => `c${i % 80}`)
					)
				},
				{
					...numeric(
						'row_id',
						Array.from({ length: n }, (_, i) => i)
					),
					type: 'id'
				},
				numeric(
					'x',
					Array.from({ length: n }, (_, i) => Math.sin(i))
				)
			]
		};
		const kinds = profileTable(table).warnings.map((w) => `${w.kind}:${w.column}`);
		expect(kinds).toEqual(['high-cardinality:city', 'id-like:row_id']);
		const clean: Table = { rowCount: n, columns: [table.columns[2]!] };
		expect(profileTable(clean).warnings).toEqual([]);
	});
});
