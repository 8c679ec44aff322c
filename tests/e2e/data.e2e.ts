import { expect, test } from '@playwright/test';
import { columnCard, expectReview, FIXTURES, pickFile, watchProblems, openSample } from './helpers';

test('import a CSV by file picker, override a type, pick a target, save, reload, add version 2', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/data');
	await expect(page.getByTestId('no-datasets')).toBeVisible();
	await pickFile(page, `${FIXTURES}data/mixed.csv`);
	await expectReview(page, 'mixed.csv');
	await expect(page.getByText('503 rows × 6 columns')).toBeVisible();
	await expect(page.getByLabel('Delimiter')).toHaveValue(',');

	// "count" holds small integers: inferred numeric, the user says categorical.
	await expect(page.getByLabel('Type of count')).toHaveValue('numeric');
	await page.getByLabel('Type of count').selectOption('categorical');
	await expect(columnCard(page, 'count').getByText('Categorical')).toBeVisible();
	await expect(page.locator('tr[data-column="count"]').getByText('was Numeric')).toBeVisible();

	await page.getByLabel('Use label as the target').check();
	await expect(columnCard(page, 'label').getByText('Target')).toBeVisible();
	await expect(page.getByText('Association with the target')).toBeVisible();
	await expect(page.getByTestId('warnings')).toContainText('3 rows repeat an earlier row exactly');

	await page.getByTestId('save-dataset').click();
	await expect(page).toHaveURL(/\/data\/[0-9a-f-]+\?v=1$/);
	await expect(page.getByTestId('dataset-name')).toHaveText('mixed');
	await expect(page.getByTestId('version-number')).toHaveText('1');
	await expect(page.getByTestId('row-count')).toHaveText('503');
	await expect(columnCard(page, 'count').getByText('Categorical')).toBeVisible();

	await page.reload();
	await expect(page.getByTestId('dataset-name')).toHaveText('mixed');
	await expect(columnCard(page, 'count').getByText('Categorical')).toBeVisible();
	await expect(columnCard(page, 'x').locator('svg').first()).toBeVisible();

	// A second import into the same dataset becomes version 2.
	await page.getByTestId('file-input').setInputFiles(`${FIXTURES}bad/type-traps.csv`);
	await expectReview(page, 'type-traps.csv');
	await page.getByRole('button', { name: 'Save as new version' }).click();
	await expect(page.getByTestId('version-number')).toHaveText('2');
	await expect(page.getByRole('table', { name: 'Versions' }).locator('tbody tr')).toHaveCount(2);

	// Version 1's page trains version 1 (not the newest), and the form offers both.
	await page.goto(`${page.url().split('?')[0]}?v=1`);
	await expect(page.getByTestId('version-number')).toHaveText('1');
	await page.getByTestId('train-this').click();
	await expect(page.getByTestId('train-version')).toHaveValue('1');
	await expect(page.getByTestId('train-version').locator('option')).toHaveText([
		/^v2 \(newest\) · \d+ rows$/,
		/^v1 · 503 rows$/
	]);

	await page.goto('/');
	await expect(page.getByTestId('dataset-count')).toHaveText('1');
	expect(problems).toEqual([]);
});

test('a file in Windows-1252 asks for its encoding, then imports', async ({ page }) => {
	await page.goto('/data');
	await pickFile(page, `${FIXTURES}bad/windows-1252.csv`);
	await expect(page.getByTestId('import-error-message')).toContainText('not valid UTF-8');
	await page.getByRole('button', { name: /Windows-1252/ }).click();
	await expectReview(page, 'windows-1252.csv');
	await expect(page.locator('tr[data-column="name"]')).toContainText('Café');
	await expect(page.locator('tr[data-column="price"]')).toContainText('€5');
});

test('ragged rows are left out and named; empty and header-only files say why', async ({
	page
}) => {
	await page.goto('/data');
	await pickFile(page, `${FIXTURES}bad/ragged.csv`);
	await expect(page.getByTestId('review-notice')).toContainText('2 rows were left out');
	await expect(page.getByTestId('review-notice')).toContainText('lines 3, 5');
	await page.getByRole('button', { name: 'Discard' }).click();

	await pickFile(page, `${FIXTURES}bad/empty.csv`);
	await expect(page.getByTestId('import-error-message')).toContainText('The file is empty');
	await page.getByRole('button', { name: 'Choose another file' }).click();
	await pickFile(page, `${FIXTURES}bad/header-only.csv`);
	await expect(page.getByTestId('import-error-message')).toContainText('no rows of data');
});

test('hostile headers and cells render as text and run nothing', async ({ page }) => {
	const problems = watchProblems(page);
	let dialogs = 0;
	page.on('dialog', async (dialog) => {
		dialogs++;
		await dialog.dismiss();
	});
	await page.goto('/data');
	await pickFile(page, `${FIXTURES}bad/hostile-headers.csv`);
	await expectReview(page, 'hostile-headers.csv');
	await expect(
		page.getByRole('cell', { name: '<img src=x onerror=alert(1)>', exact: true })
	).toBeVisible();
	await expect(page.locator('tr[data-column="__proto__"]')).toBeVisible();
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('dataset-name')).toHaveText('hostile-headers');
	await expect(page.locator('img[src="x"]')).toHaveCount(0);
	await expect(page.locator('script:text("alert(2)")')).toHaveCount(0);
	expect(await page.evaluate(() => Object.keys(Object.prototype).length)).toBe(0);
	expect(dialogs).toBe(0);
	expect(problems).toEqual([]);
});

test('a sample dataset is profiled with one click, with a BOM file in Excel style beside it', async ({
	page
}) => {
	await openSample(page, 'penguins.csv');
	await expect(page.getByTestId('row-count')).toHaveText('344');
	await expect(columnCard(page, 'Species').getByText('Target')).toBeVisible();
	await expect(
		page.getByRole('img', {
			name: /^Correlation matrix of 4 numeric columns; strongest pairs: .+ r -?[01]\.\d\d/
		})
	).toBeVisible();
	// The association chart's symbols are explained beside it.
	await expect(page.getByTestId('association-key')).toContainText('η: correlation ratio');

	// A column of dates shows its statistics as dates (a mean of days is a day, not 13:49 UTC).
	await openSample(page, 'cars.csv');
	const year = columnCard(page, 'Year');
	await expect(year.locator('dt:text-is("mean") + dd')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);

	await page.goto('/data');
	await pickFile(page, `${FIXTURES}bad/bom-semicolon-decimal-comma.csv`);
	await expectReview(page, 'bom-semicolon-decimal-comma.csv');
	await expect(page.getByLabel('Delimiter')).toHaveValue(';');
	await expect(page.getByText('UTF-8 byte-order mark (removed)')).toBeVisible();
	await expect(page.getByLabel('Type of price')).toHaveValue('numeric');
});

test('a saved dataset gets new types or a new target as a derived version', async ({ page }) => {
	await openSample(page, 'penguins.csv');
	await page.getByTestId('edit-types').click();
	await expect(page.getByRole('heading', { name: 'Edit types of penguins.csv' })).toBeVisible();
	await page.getByLabel('Type of Flipper Length (mm)').selectOption('categorical');
	await expect(columnCard(page, 'Flipper Length (mm)').getByText('Categorical')).toBeVisible();
	await page.getByLabel('Use Island as the target').check();
	await expect(columnCard(page, 'Island').getByText('Target')).toBeVisible();
	await page.getByRole('button', { name: 'Save as new version' }).click();
	await expect(page.getByTestId('version-number')).toHaveText('2');
	await expect(columnCard(page, 'Flipper Length (mm)').getByText('Categorical')).toBeVisible();
	await expect(page.getByRole('table', { name: 'Versions' })).toContainText(
		'Types or target changed in the studio (from v1)'
	);
	// Version 1 is unchanged.
	await page.getByRole('link', { name: 'v1' }).click();
	await expect(page.getByTestId('version-number')).toHaveText('1');
	await expect(columnCard(page, 'Flipper Length (mm)').getByText('Numeric')).toBeVisible();
	await expect(columnCard(page, 'Species').getByText('Target')).toBeVisible();
});
