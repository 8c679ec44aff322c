import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
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
	await page.goto('/');
	found['home'] = await violations(page);
	for (const [name, list] of Object.entries(found))
		console.log(
			`${name}: ${list.length}${list.length ? `\n  ${list.slice(0, 6).join('\n  ')}` : ''}`
		);
	expect(Object.values(found).flat()).toEqual([]);
});
