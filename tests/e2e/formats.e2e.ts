import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { expectReview, pickFile, watchProblems } from './helpers';

const SAMPLE = new URL('../../static/samples/penguins.csv', import.meta.url).pathname;
const PNG = new URL('../../docs/screenshot.png', import.meta.url).pathname;

function temp(name: string, bytes: Uint8Array | string): string {
	const path = join(mkdtempSync(join(tmpdir(), 'driftwood-formats-')), name);
	writeFileSync(path, bytes);
	return path;
}

/** The sample's rows split into cells (it has no quoted commas). */
function sampleRows(): string[][] {
	return readFileSync(SAMPLE, 'utf8')
		.trim()
		.split('\n')
		.map((line) => line.split(','));
}

test('a PNG picked by mistake is refused for what it is, with no encoding to choose', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/data');
	// Named like a table, still a picture: the bytes decide.
	await pickFile(page, temp('sales.csv', readFileSync(PNG)));
	const message = page.getByTestId('import-error-message');
	await expect(message).toContainText(
		'This looks like a PNG image, not a table Driftwood can read.'
	);
	await expect(message).not.toContainText('UTF-8');
	await expect(page.getByRole('button', { name: /Windows-1252/ })).toHaveCount(0);
	await page.getByRole('button', { name: 'Choose another file' }).click();
	await expect(page.getByTestId('file-input').first()).toBeAttached();
	expect(problems).toEqual([]);
});

test('Excel "Unicode Text" (UTF-16 LE, BOM, tabs, CRLF) imports as the same table', async ({
	page
}) => {
	const problems = watchProblems(page);
	const text = sampleRows()
		.map((cells) => cells.join('\t'))
		.join('\r\n');
	const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
	await page.goto('/data');
	await pickFile(page, temp('penguins.txt', utf16));
	await expectReview(page, 'penguins.txt');
	await expect(page.getByText('344 rows × 7 columns')).toBeVisible();
	await expect(page.getByLabel('Delimiter')).toHaveValue('\t');
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-16le');
	await expect(page.getByText('UTF-16 byte-order mark (removed)')).toBeVisible();
	await expect(page.getByLabel('Type of Body Mass (g)')).toHaveValue('numeric');
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('row-count')).toHaveText('344');
	expect(problems).toEqual([]);
});

test('UTF-16 without a byte-order mark asks for its encoding, then reads with the right delimiter', async ({
	page
}) => {
	const problems = watchProblems(page);
	const text = sampleRows()
		.map((cells) => cells.join(';'))
		.join('\n');
	await page.goto('/data');
	await pickFile(page, temp('nobom.csv', Buffer.from(text, 'utf16le')));
	await expect(page.getByTestId('import-error-message')).toContainText(
		'looks like UTF-16 text without a byte-order mark (probably UTF-16 LE'
	);
	await page.getByRole('button', { name: /UTF-16 LE/ }).click();
	await expectReview(page, 'nobom.csv');
	await expect(page.getByText('344 rows × 7 columns')).toBeVisible();
	await expect(page.getByLabel('Delimiter')).toHaveValue(';');
	expect(problems).toEqual([]);
});

test('a Parquet file imports into the same typed columns, and a truncated one says so', async ({
	page
}) => {
	const problems = watchProblems(page);
	const [header, ...rows] = sampleRows();
	const numeric = new Set([2, 3, 4, 5]);
	const parquet = parquetWriteBuffer({
		rowGroupSize: 100,
		columnData: header!.map((name, i) => ({
			name,
			type: numeric.has(i) ? 'DOUBLE' : 'STRING',
			data: rows.map((r) => {
				const cell = r[i] ?? '';
				if (cell === '') return null;
				return numeric.has(i) ? Number(cell) : cell;
			})
		}))
	});
	await page.goto('/data');
	await pickFile(page, temp('penguins.parquet', new Uint8Array(parquet)));
	await expectReview(page, 'penguins.parquet');
	await expect(page.getByText('344 rows × 7 columns')).toBeVisible();
	await expect(page.getByLabel('Type of Species')).toHaveValue('categorical');
	await expect(page.getByLabel('Type of Flipper Length (mm)')).toHaveValue('numeric');
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('row-count')).toHaveText('344');

	await page.goto('/data');
	await pickFile(page, temp('cut.parquet', new Uint8Array(parquet.slice(0, 3000))));
	await expect(page.getByTestId('import-error-message')).toContainText(
		'This Parquet file cannot be read'
	);
	await expect(page.getByTestId('import-error-message')).toContainText('truncated or damaged');
	expect(problems).toEqual([]);
});

test('JSON Lines imports as records; a broken line is named by number', async ({ page }) => {
	const problems = watchProblems(page);
	const [header, ...rows] = sampleRows();
	const records = rows.map((r) =>
		JSON.stringify(Object.fromEntries(header!.map((name, i) => [name, r[i] || null])))
	);
	await page.goto('/data');
	await pickFile(page, temp('penguins.jsonl', records.join('\n') + '\n'));
	await expectReview(page, 'penguins.jsonl');
	await expect(page.getByText('344 rows × 7 columns')).toBeVisible();
	await page.goto('/data');
	const broken = [...records.slice(0, 10), '{"Species": "Adelie", ', ...records.slice(10)];
	await pickFile(page, temp('broken.ndjson', broken.join('\n')));
	await expect(page.getByTestId('import-error-message')).toContainText('Line 11 is not valid JSON');
	expect(problems).toEqual([]);
});

test('an Arrow IPC file (vega’s flights-200k.arrow) imports; its page says Arrow', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/data');
	await pickFile(
		page,
		new URL('../../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url).pathname
	);
	await expectReview(page, 'flights-200k.arrow');
	await expect(page.getByText('200,000 rows × 3 columns')).toBeVisible();
	await expect(page.getByLabel('Type of delay')).toHaveValue('numeric');
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('row-count')).toHaveText('200,000');
	await expect(page.getByText('Arrow IPC', { exact: true })).toBeVisible();
	expect(problems).toEqual([]);
});
