import { expect, test } from '@playwright/test';
import { expectReview, watchProblems } from './helpers';

/** 1,000 incidents: a damage class that is "None" (no damage) on 89 %, a cost with NA and -. */
function incidents(): Buffer {
	const lines = ['damage,cost,phase'];
	for (let i = 0; i < 1000; i++) {
		const damage = i % 100 < 89 ? 'None' : i % 2 ? 'Minor' : 'Substantial';
		const cost = i % 10 === 3 ? 'NA' : i % 10 === 7 ? '-' : String(i * 10);
		lines.push(`${damage},${cost},${i % 3 ? 'Climb' : 'Landing'}`);
	}
	return Buffer.from(lines.join('\n'));
}

test('missing is a decision the user sees: tokens per column, a switch each, the target asked', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/data');
	await page
		.getByTestId('file-input')
		.first()
		.setInputFiles({ name: 'incidents.csv', mimeType: 'text/csv', buffer: incidents() });
	await expectReview(page, 'incidents.csv');

	// "None" is the commonest damage: kept as an answer. NA and - in the costs: holes.
	const tokens = page.getByRole('table', { name: 'Cells that may mean no value' });
	const none = tokens.locator('tr[data-column="damage"][data-token="None"]');
	await expect(none).toContainText('890');
	await expect(none.getByRole('checkbox')).not.toBeChecked();
	await expect(none).toContainText('a common answer in a column of words');
	const na = tokens.locator('tr[data-column="cost"][data-token="NA"]');
	await expect(na.getByRole('checkbox')).toBeChecked();
	await expect(na).toContainText('in a column of numbers');
	await expect(page.locator('tr[data-column="damage"] td.num').first()).toHaveText('0');

	// The cost as the target would lose 20 % of its rows: the review asks before saving.
	await page.getByLabel('Use cost as the target').check();
	const question = page.getByTestId('target-loss');
	await expect(question).toContainText('20.0 % of the rows (200 of 1,000) would be left out');
	await expect(page.getByTestId('save-dataset')).toBeDisabled();
	if (process.env.SHOTS)
		await page.screenshot({ path: `${process.env.SHOTS}/review-missing.png`, fullPage: true });
	await question.getByRole('button', { name: 'Leave these rows out' }).click();
	await expect(question).toContainText('These rows will be left out.');
	await expect(page.getByTestId('save-dataset')).toBeEnabled();

	// Damage as the target, "None" switched to missing: the question again, answered the other way.
	await page.getByLabel('Use damage as the target').check();
	await expect(question).toHaveCount(0);
	await none.getByRole('checkbox').check();
	await expect(question).toContainText('89.0 % of the rows (890 of 1,000) would be left out');
	await expect(none.getByRole('checkbox')).toBeChecked();
	await expect(page.getByTestId('save-dataset')).toBeDisabled();
	await question.getByRole('button', { name: 'Read “None” as a value' }).click();
	await expect(question).toHaveCount(0);
	await expect(none.getByRole('checkbox')).not.toBeChecked();
	await page.getByTestId('save-dataset').click();
	await expect(page.getByTestId('row-count')).toHaveText('1,000');
	expect(problems).toEqual([]);
});
