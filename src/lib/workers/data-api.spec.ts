import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataApi } from './data-api';

const penguins = new Uint8Array(
	readFileSync(new URL('../../../static/samples/penguins.csv', import.meta.url))
);

function file(bytes: Uint8Array<ArrayBuffer> | string, name: string): File {
	return new File([bytes], name);
}

describe('data worker functions', () => {
	it('imports a file: dialect, typed table, profile and content id, with progress', async () => {
		const f = file(penguins, 'penguins.csv');
		const dialect = await dataApi.sniff(f);
		const progress: number[] = [];
		const result = await dataApi.importFile(f, dialect, 'Species', (p) => progress.push(p.bytes));
		expect(result.table.rowCount).toBe(344);
		expect(result.profile.target).toBe('Species');
		expect(result.tableId).toMatch(/^[0-9a-f]{64}$/);
		expect(result.inferredTypes).toEqual([
			'categorical',
			'categorical',
			'numeric',
			'numeric',
			'numeric',
			'numeric',
			'categorical'
		]);
		expect(progress.at(-1)).toBe(penguins.length);
	});

	it('changes a type, reprofiles, and gets a new content id', async () => {
		const f = file(penguins, 'penguins.csv');
		const before = await dataApi.importFile(f, await dataApi.sniff(f), null, () => {});
		const after = await dataApi.retype(
			before.table,
			[{ column: 'Flipper Length (mm)', type: 'categorical' }],
			'Species'
		);
		const flipper = after.profile.columns.find((c) => c.name === 'Flipper Length (mm)')!;
		expect(flipper.type).toBe('categorical');
		expect(flipper.top.length).toBeGreaterThan(0);
		expect(after.tableId).not.toBe(before.tableId);
		expect(after.lost).toEqual([]);
	});

	it('rejects an impossible conversion with its reason', async () => {
		const f = file(penguins, 'penguins.csv');
		const result = await dataApi.importFile(f, await dataApi.sniff(f), null, () => {});
		await expect(
			dataApi.retype(result.table, [{ column: 'Island', type: 'boolean' }], null)
		).rejects.toThrow(/at most two/);
	});
});
