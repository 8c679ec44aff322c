import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { expect, test } from '@playwright/test';
import { watchProblems } from './helpers';

const DIR = new URL('./.tmp/', import.meta.url).pathname;
const BIG = `${DIR}big-200mb.csv`;
const SIZE = 200 * 1024 * 1024;

/** A 200 MB CSV made at test time (never committed): 1 M-row blocks of mixed columns. */
async function makeBigFile(): Promise<void> {
	if (existsSync(BIG) && statSync(BIG).size >= SIZE) return;
	mkdirSync(DIR, { recursive: true });
	const out = createWriteStream(BIG);
	out.write('id,amount,city,flag,note\n');
	let written = 0;
	let i = 0;
	const cities = ['Lyon', 'Oslo', 'Quito', 'Hanoi', 'Perth'];
	while (written < SIZE) {
		let block = '';
		for (let k = 0; k < 10_000; k++, i++) {
			block += `${i},${(i % 1000) / 7},${cities[i % 5]},${i % 2 === 0},"row ${i % 97} with a comma, and text"\n`;
		}
		written += block.length;
		if (!out.write(block)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
}

test('a 200 MB file streams with a progress bar and Cancel stops it, saving nothing', async ({
	page
}) => {
	test.setTimeout(180_000);
	await makeBigFile();
	const problems = watchProblems(page);
	await page.goto('/data');
	await expect(page.getByTestId('no-datasets')).toBeVisible();
	await page.getByTestId('file-input').setInputFiles(BIG);
	const bar = page.getByRole('progressbar', { name: 'Import progress' });
	await expect(bar).toBeVisible();
	await expect
		.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 })
		.toBeGreaterThan(0.02);
	// The page stays responsive while the worker parses: a click is handled at once.
	const started = Date.now();
	await page.getByRole('button', { name: 'Cancel' }).click();
	expect(Date.now() - started).toBeLessThan(2_000);
	await expect(page.getByText('Import cancelled. Nothing was saved.')).toBeVisible();
	await expect(page.getByTestId('no-datasets')).toBeVisible();
	expect(problems).toEqual([]);
});
