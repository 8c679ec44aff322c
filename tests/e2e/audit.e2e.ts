import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { expectReview, FIXTURES, pickFile, watchProblems } from './helpers';

test('the audit of a dataset flags flipped labels, the leak and duplicates, exports them, and saves a version without them', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	// The audit's folds run on every core: the train worker starts fold workers beside it.
	const foldWorkers: string[] = [];
	page.on('worker', (worker) => {
		if (/\/workers\/fold-/.test(worker.url())) foldWorkers.push(worker.url());
	});
	await page.goto('/data');
	await pickFile(page, `${FIXTURES}data/audit-uniform.csv`);
	await expectReview(page, 'audit-uniform.csv');
	await page.getByLabel('Use label as the target').check();
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('version-number')).toHaveText('1');
	await page.getByTestId('audit-this').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Audit: what is wrong with this data?'
	);
	await expect(page.getByTestId('audit-target')).toHaveValue('label');
	await page.getByTestId('audit-start').click();
	const result = page.getByTestId('audit-result');
	await expect(result).toBeVisible({ timeout: 120_000 });
	expect(foldWorkers.length).toBeGreaterThan(0);
	// Below 20,000 rows the trees' out-of-fold probabilities are averaged with a network's.
	await expect(result).toContainText(
		/Out-of-fold predictions on 5 folds of the trees and a network, averaged; three\s+rounds/
	);
	// 20 % of 3,000 labels were flipped: most of them are flagged, few others.
	const labelIssues = Number(
		(await page.getByTestId('audit-label-count').textContent())!.replaceAll(',', '')
	);
	expect(labelIssues).toBeGreaterThan(450);
	expect(labelIssues).toBeLessThan(800);
	await expect(page.getByTestId('audit-leak')).toContainText('Leak suspect: "audit_code"');
	await expect(result).toContainText('5 duplicate groups (2 with conflicting labels)');
	await expect(page.getByRole('table', { name: 'Estimated noise matrix' })).toBeVisible();
	const flagged = page.getByRole('table', { name: 'Flagged rows' }).locator('tbody tr');
	await expect(flagged).toHaveCount(100);
	await page.getByTestId('audit-kind').selectOption('duplicate');
	// Conflicting copies both flagged; agreeing copies: every copy after the first.
	await expect(flagged).toHaveCount(7);
	// Each flagged row shows its own values and label, as the file has them.
	const first = flagged.first();
	await expect(first.locator('td').nth(0)).toHaveText('11');
	const line11 = readFileSync(`${FIXTURES}data/audit-uniform.csv`, 'utf8')
		.split('\n')[11]!
		.split(',');
	await expect(first.locator('td').nth(2)).toHaveText(line11.at(-1)!);
	await expect(first.locator('td').nth(6)).toHaveText(String(Number(line11[0])));
	// The offline notice may have come up meanwhile: out of the picture.
	const dismiss = page.getByRole('button', { name: 'Dismiss' });
	if (await dismiss.isVisible()) await dismiss.click();
	await page.screenshot({
		path: process.env.SHOTS ? `${process.env.SHOTS}/audit.png` : 'test-results/audit.png',
		fullPage: true
	});
	const axe = await new AxeBuilder({ page }).analyze();
	expect(
		axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
	).toEqual([]);

	const downloaded = page.waitForEvent('download');
	await page.getByTestId('audit-export').click();
	const file = await downloaded;
	expect(file.suggestedFilename()).toBe('audit-uniform-v1-audit.csv');
	const csv = readFileSync((await file.path())!, 'utf8')
		.trim()
		.split('\n');
	expect(csv[0]).toBe('row,issue,suggested,score,reason,x0,x1,x2,x3,x4,shop,audit_code,label');
	expect(csv.length).toBeGreaterThan(labelIssues);

	// The fair test first: both trained one way, scored on the same untouched test rows.
	await page.getByTestId('audit-compare').click();
	const compared = page.getByTestId('audit-comparison');
	await expect(compared).toContainText(/scored on the same 601 untouched\s+test\s+rows/, {
		timeout: 120_000
	});
	await expect(
		compared.getByRole('table', { name: 'With and without the flagged rows' })
	).toContainText('without the flagged rows');
	await expect(compared).toContainText(/beyond noise|not better/);
	// Labels and duplicates left out (the default pick): a new version, the audited one untouched.
	await page.getByTestId('audit-save-button').click();
	await expect(page.getByTestId('audit-saved')).toContainText(
		/Saved as v2: Derived by audit of v1 \(target "label"\): [\d,]+ rows left out \([\d,]+ labels, [\d,]+ duplicates\)/
	);
	// A model of the audited data says so on its run page and in its card.
	await page.getByRole('link', { name: 'Train a model on it' }).click();
	await page.getByTestId('model-kind').selectOption('gbdt');
	await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
	await page.getByRole('checkbox', { name: /permutation importance/ }).uncheck();
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await expect(page.getByTestId('run-audit')).toContainText(
		/^Audited before training: this data is version 1 of the dataset without [\d,]+ rows its audit on "label" flagged \([\d,]+ labels, [\d,]+ duplicates\)\.$/
	);
	await page.getByTestId('register-name').fill('audited');
	await page.getByTestId('register-submit').click();
	await expect(page.getByText(/Audited before training: this data is version 1/)).toBeVisible();

	await page.goto('/data');
	await page.getByRole('link', { name: 'audit-uniform' }).first().click();
	await expect(page.getByTestId('version-number')).toHaveText('2');
	await expect(page.getByTestId('version-note')).toContainText('Derived by audit of v1');
	const rows = Number((await page.getByTestId('row-count').textContent())!.replace(/,/g, ''));
	expect(rows).toBeLessThan(3005 - 450);
	expect(rows).toBeGreaterThan(2000);
	// The cleaned version audited by the trees alone, as the user may ask (faster).
	await page.getByTestId('audit-this').click();
	await page.getByTestId('audit-judges').selectOption('trees');
	await page.getByTestId('audit-start').click();
	await expect(page.getByTestId('audit-result')).toContainText(
		/Out-of-fold predictions on 5 folds of the trees;\s+three\s+rounds/,
		{ timeout: 120_000 }
	);
	expect(problems).toEqual([]);
});
