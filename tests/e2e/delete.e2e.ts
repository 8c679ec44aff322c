import { expect, test } from '@playwright/test';
import { openSample, watchProblems } from './helpers';

test('deleting a run or a dataset asks first, says what goes with it, and Keep keeps it', async ({
	page
}) => {
	test.setTimeout(120_000);
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.getByTestId('train-this').click();
	await page.getByTestId('model-kind').selectOption('linear');
	await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
	await page.getByRole('checkbox', { name: /permutation importance/ }).uncheck();
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });

	await page.goto('/train');
	const runs = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
	await expect(runs).toHaveCount(1);
	await page.getByRole('button', { name: /^Delete run linear/ }).click();
	const ask = page.getByRole('group', { name: /Confirm deleting run linear/ });
	await expect(ask).toContainText('its trained model and drift reference');
	await ask.getByRole('button', { name: 'Keep' }).click();
	await expect(runs).toHaveCount(1);
	await page.getByRole('button', { name: /^Delete run linear/ }).click();
	await page
		.getByRole('group', { name: /Confirm deleting run linear/ })
		.getByRole('button', { name: 'Delete' })
		.click();
	await expect(page.getByTestId('no-runs')).toBeVisible();

	await page.goto('/data');
	await page.getByRole('link', { name: 'Palmer penguins' }).first().click();
	await page.getByTestId('delete-dataset').click();
	await expect(page.getByRole('group', { name: /Confirm deleting dataset/ })).toContainText(
		'all 1 of its versions with their tables'
	);
	await page.getByTestId('delete-dataset-confirm').click();
	await expect(page.getByTestId('no-datasets')).toBeVisible();
	expect(problems).toEqual([]);
});
