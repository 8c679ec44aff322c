import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSample } from './helpers';

const SAMPLE = new URL('../../static/samples/penguins.csv', import.meta.url).pathname;

/** Serious and critical axe violations of the page as it is, one line each. */
async function violations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page }).analyze();
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) =>
			v.nodes.map(
				(n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`
			)
		);
}

test('every stage page with data in it has no serious or critical accessibility violation', async ({
	page
}) => {
	test.setTimeout(240_000);
	const found: Record<string, string[]> = {};
	await page.goto('/');
	await expect(page.getByTestId('first-run')).toBeVisible();
	found['home (empty)'] = await violations(page);
	await openSample(page, 'penguins.csv');
	await expect(page.getByTestId('dataset-name')).toBeVisible();
	found['dataset'] = await violations(page);
	await page.goto('/data');
	found['data'] = await violations(page);
	await page.goto('/train');
	await expect(page.getByTestId('train-start')).toBeVisible();
	found['train'] = await violations(page);
	await page.getByTestId('model-kind').selectOption('gbdt');
	await page.getByLabel('Iterations').fill('30');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	found['run'] = await violations(page);
	// The run's report: its evaluation charted, then the card its model would carry.
	const [runDownload] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('run-report').click()
	]);
	expect(runDownload.suggestedFilename()).toMatch(/^run-gbdt-.*-report\.html$/);
	const runHtml = readFileSync(await runDownload.path(), 'utf8');
	expect(runHtml).toContain('<h2>Evaluation on the test rows</h2>');
	expect(runHtml).toContain('<th scope="col">baseline (test)</th>');
	// Confusion, ROC, precision–recall (multiclass: none), calibration, the bounds' coverage.
	expect((runHtml.match(/<figure>/g) ?? []).length).toBeGreaterThanOrEqual(3);
	expect(runHtml).toMatch(/<h2>Run gbdt[^<]* on Palmer penguins<\/h2>/);
	expect(runHtml).not.toMatch(/<script/i);
	await page.getByTestId('register-name').fill('a11y');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('a11y');
	found['model'] = await violations(page);
	await page.goto('/models');
	found['models'] = await violations(page);
	await page.goto('/train');
	found['train (with runs)'] = await violations(page);
	await page.goto('/monitor');
	await page.getByTestId('batch-upload').setInputFiles(SAMPLE);
	await expect(page.getByTestId('batch-verdict')).toContainText('No dataset drift');
	found['monitor (a batch)'] = await violations(page);
	// The monitor's report: one HTML file that opens offline, asks the network for nothing, and
	// is as accessible as the studio.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('monitor-report').click()
	]);
	expect(download.suggestedFilename()).toBe('a11y-v1-report.html');
	// Saved under its own name: opened as .html, not sniffed as text.
	const report = join(
		mkdtempSync(join(tmpdir(), 'driftwood-report-')),
		download.suggestedFilename()
	);
	await download.saveAs(report);
	const html = readFileSync(report, 'utf8');
	expect(html).toContain('Batch 1: penguins.csv');
	expect(html).toContain('OK: No dataset drift');
	expect(html).not.toMatch(/<script/i);
	const requests: string[] = [];
	page.on('request', (r) => {
		if (!r.url().startsWith('file:')) requests.push(r.url());
	});
	await page.goto(pathToFileURL(report).href);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report — a11y v1');
	await expect(page.locator('svg').first()).toBeVisible();
	expect(requests).toEqual([]);
	found['monitor report (HTML file)'] = await violations(page);
	await page.goto('/');
	found['home'] = await violations(page);
	for (const [name, list] of Object.entries(found))
		console.log(
			`${name}: ${list.length}${list.length ? `\n  ${list.slice(0, 6).join('\n  ')}` : ''}`
		);
	expect(Object.values(found).flat()).toEqual([]);
});
