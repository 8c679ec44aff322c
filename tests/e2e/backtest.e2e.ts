import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openSample, watchProblems } from './helpers';

test('a backtest walks the years of a dataset, shows the decay curve beside the baseline, and can be cancelled', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	await openSample(page, 'cars.csv');
	await page.getByTestId('backtest-this').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Backtest: how fast does a model go stale?'
	);
	// Cars spans 1970–1982: calendar years of "Year" by default (the coarsest unit with 8 periods).
	await expect(page.getByTestId('backtest-time')).toHaveValue('Year');
	await expect(page.getByTestId('backtest-unit')).toHaveValue('year');
	await page.getByTestId('backtest-target').selectOption('Miles_per_Gallon');
	await page.getByTestId('backtest-start').click();
	const result = page.getByTestId('backtest-result');
	await expect(result).toBeVisible({ timeout: 60_000 });
	await expect(result).toContainText('Decay: r2 by the model');
	const decay = page.getByRole('table', { name: 'Decay' }).locator('tbody tr');
	await expect(decay).toHaveCount(3);
	await expect(
		page.getByRole('img', { name: /^Decay curve: r2 by the model's age/ })
	).toBeVisible();
	await expect(page.getByTestId('backtest-change')).toContainText(/paired over \d+ origins/);
	const perPeriod = page.getByRole('table', { name: 'Score per period' }).locator('tbody tr');
	expect(await perPeriod.count()).toBeGreaterThan(5);
	await page.screenshot({ path: 'test-results/backtest.png', fullPage: true });
	const axe = await new AxeBuilder({ page }).analyze();
	expect(
		axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
	).toEqual([]);

	// The retraining policies replayed over the same years: a table, the recommendation, a chart.
	await page.getByTestId('policy-start').click();
	const policies = page.getByTestId('policy-result');
	await expect(policies).toBeVisible({ timeout: 60_000 });
	const rows = page.getByRole('table', { name: 'Retraining policies' }).locator('tbody tr');
	await expect(rows).toHaveCount(7);
	await expect(rows.filter({ hasText: '★ recommended' })).toHaveCount(1);
	await expect(page.getByTestId('policy-recommendation')).toContainText('Recommended:');
	await expect(
		page.getByRole('img', { name: /^Retraining policies, r2 per period/ })
	).toBeVisible();
	await page.screenshot({ path: 'test-results/policies.png', fullPage: true });

	// A slower model, cancelled: nothing is kept, the page says so and can run again.
	await page.getByTestId('backtest-model').selectOption('mlp');
	await page.getByTestId('backtest-start').click();
	await expect(page.getByTestId('backtest-progress')).toBeVisible();
	await page.getByTestId('backtest-cancel').click();
	await expect(page.getByTestId('backtest-cancelled')).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('backtest-start')).toBeEnabled();
	expect(problems).toEqual([]);
});

test('without a date column the backtest page says what it needs and offers periods of rows', async ({
	page
}) => {
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.getByTestId('backtest-this').click();
	await expect(page.getByTestId('backtest-no-date')).toContainText('no date column');
	await expect(page.getByTestId('backtest-period-kind')).toHaveValue('rows');
	await expect(
		page.getByTestId('backtest-period-kind').locator('option[value="calendar"]')
	).toBeDisabled();
	expect(problems).toEqual([]);
});
