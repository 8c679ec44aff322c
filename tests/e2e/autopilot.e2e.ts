import { expect, test } from '@playwright/test';
import { PENGUINS, registerPenguins, shuffledShift, uploadBatch, watchProblems } from './helpers';

test('the autopilot waits on a calm batch, retrains on drift, and promotes a win beyond noise', async ({
	page
}) => {
	test.setTimeout(300_000);
	const problems = watchProblems(page);
	await registerPenguins(page, { champion: true });

	await page.goto('/monitor');
	const panel = page.getByTestId('autopilot');
	await expect(page.getByTestId('autopilot-state')).toHaveText('off');
	await panel.getByText('Change the policy').click();
	await page.getByTestId('autopilot-enabled').check();
	await page.getByTestId('autopilot-trigger').selectOption('drift');
	await page.getByTestId('autopilot-promote').check();
	// A half-life it cannot read is refused before it is saved.
	await page.getByTestId('autopilot-half-life').fill('soon');
	await expect(panel.getByText(/A half-life is a number and a unit/)).toBeVisible();
	await expect(page.getByTestId('autopilot-save')).toBeDisabled();
	await page.getByTestId('autopilot-half-life').fill('');
	await page.getByTestId('autopilot-save').click();
	await expect(page.getByTestId('autopilot-state')).toHaveText('on');
	await expect(page.getByTestId('autopilot-policy')).toContainText(
		'Retrain on a labelled batch with dataset drift, on the training data and every labelled batch; compare on the newest 30 % of the batch; promote a challenger that wins beyond noise.'
	);

	// A batch like training: nothing fires, and the panel says why it waits.
	await uploadBatch(page, PENGUINS, 1);
	await expect(page.getByTestId('autopilot-waiting')).toContainText(
		'"penguins.csv" does not trigger the policy (no dataset drift).'
	);
	await expect(page.getByTestId('autopilot-actions')).toHaveCount(0);

	// The world moved: it retrains in the workers, compares, and promotes on the evidence.
	await uploadBatch(page, shuffledShift(11), 2);
	const actions = page.getByTestId('autopilot-actions');
	await expect(actions).toContainText(
		/after dataset drift on "live\.csv": trained v2 on [\d,]+ rows/,
		{
			timeout: 180_000
		}
	);
	await expect(actions).toContainText(
		/Autopilot promoted v2: better beyond noise: accuracy \+0\.\d{4} \(95 % interval \+0\.\d{4} to/
	);
	await expect(page.getByTestId('retrain-by-autopilot')).toContainText(
		'Started by the autopilot after dataset drift on "live.csv".'
	);
	if (process.env.SHOTS) await panel.screenshot({ path: `${process.env.SHOTS}/autopilot.png` });
	// The v2 it made joins the picker.
	await expect(page.getByTestId('monitor-version').locator('option')).toHaveCount(2);

	// Which policy would have served these two batches? The simulator replays them, one a period.
	await panel.getByText('Replay policies on these batches').click();
	await page.getByTestId('replay-start').click();
	await expect(page.getByTestId('replay-recommendation')).toContainText(/^Recommended: /, {
		timeout: 120_000
	});
	await expect(panel.getByRole('table', { name: 'Retraining policies' })).toContainText('never');
	if (process.env.SHOTS)
		await panel.screenshot({ path: `${process.env.SHOTS}/autopilot-replay.png` });
	await page.getByTestId('replay-adopt').click();
	await expect(page.getByTestId('autopilot-policy')).toContainText(
		/from the simulator: ".+", recommended on this monitor's 2 labelled batches/
	);

	// The registry's history: the challenger with the rule that fired, the promotion with evidence.
	await page.goto('/models/penguins');
	await expect(page.getByTestId('champion')).toHaveText('v2');
	await expect(
		page.getByText(/Retrained by the autopilot of v1 on .*: dataset drift on "live\.csv"/)
	).toBeVisible();
	await expect(
		page.getByText(
			/Promoted from the monitor \(better beyond noise: .*by the autopilot, after dataset drift/
		)
	).toBeVisible();
	// v1 is no longer the champion: its monitor keeps the record but the autopilot there is idle.
	await page.goto('/monitor?version=penguins%401');
	await expect(
		page.getByText(/v1 is not the champion: the autopilot acts on the champion's monitor only/)
	).toBeVisible();
	expect(problems).toEqual([]);
});
