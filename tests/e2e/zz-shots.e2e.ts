import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openSample, pickFile } from './helpers';

const SAMPLE = new URL('../../static/samples/penguins.csv', import.meta.url).pathname;
const tmp = (name: string, body: string | Buffer) => {
	const p = join(mkdtempSync(join(tmpdir(), 'shots-')), name);
	writeFileSync(p, body);
	return p;
};

test('shots', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/data');
	await pickFile(page, tmp('sales.csv', readFileSync(new URL('../../docs/screenshot.png', import.meta.url))));
	await expect(page.getByTestId('import-error-message')).toBeVisible();
	await page.screenshot({ path: '/tmp/shots/png-refused.png' });

	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('linear');
	await page.getByLabel('Epochs').fill('20');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await page.getByTestId('register-name').fill('penguins');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguins');
	await page.goto('/monitor');
	const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n');
	await page.getByTestId('batch-upload').setInputFiles(SAMPLE);
	await expect(page.getByTestId('batch-verdict')).toBeVisible();
	const shifted = lines.map((line, i) => {
		const c = line.split(',');
		if (i > 0 && c[4]) c[4] = String(Number(c[4]) + 60);
		return c.slice(1).join(',');
	});
	await page.getByTestId('batch-upload').setInputFiles(tmp('unlabelled-shifted.csv', shifted.join('\n')));
	await expect(page.getByTestId('estimate-unreliable')).toBeVisible();
	const noIsland = lines.map((l) => l.split(',').filter((_, i) => i !== 1).join(','));
	await page.getByTestId('batch-upload').setInputFiles(tmp('no-island.csv', noIsland.join('\n')));
	await expect(page.getByTestId('batch-verdict')).toContainText('Schema failure');
	await page.screenshot({ path: '/tmp/shots/monitor-full.png', fullPage: true });
	await page.getByTestId('batch-report').screenshot({ path: '/tmp/shots/schema-report.png' });
	await page.getByRole('button', { name: '2', exact: true }).click();
	await page.getByTestId('batch-report').screenshot({ path: '/tmp/shots/unreliable-report.png' });
	await page.getByTestId('retrain').screenshot({ path: '/tmp/shots/retrain.png' });
});
