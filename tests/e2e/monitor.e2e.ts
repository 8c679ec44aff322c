import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
	watchProblems,
	PENGUINS,
	registerPenguins,
	shiftedSample,
	shuffledShift,
	uploadBatch
} from './helpers';

test('a monitor sees no drift in a batch like training, and flags a shifted one', async ({
	page
}) => {
	test.setTimeout(240_000);
	const problems = watchProblems(page);
	await page.goto('/monitor');
	await expect(page.getByTestId('no-monitors')).toBeVisible();
	await registerPenguins(page);

	await page.goto('/monitor');
	await expect(page.getByTestId('no-batches')).toBeVisible();
	await page.getByTestId('batch-upload').setInputFiles(PENGUINS);
	await expect(page.getByTestId('batch-verdict')).toContainText('No dataset drift');
	await expect(page.getByTestId('dataset-drift')).toContainText(/measured\s+accuracy\s+0\.9\d\d/);
	// A labelled batch measures the model's 90 % sets too.
	await expect(page.getByTestId('batch-coverage')).toContainText(
		/^Sets at 90 % covered [\d.]+ % \(95 % interval [\d.]+ %–[\d.]+ %\) of 344 labelled rows: consistent with the 90 % level/
	);

	await page.getByTestId('batch-upload').setInputFiles(shiftedSample());
	await expect(page.getByTestId('batch-verdict')).toContainText(/^Dataset drift/);
	await expect(page.getByTestId('batch-verdict')).toHaveClass(/fail/);
	await expect(page.locator('tr[data-feature="Beak Length (mm)"]')).toContainText('yes');
	await expect(page.locator('tr[data-feature="Island"]')).toContainText('yes');
	await expect(page.locator('tr[data-feature="Body Mass (g)"]')).toContainText('no');
	// The tests' names and PSI are explained under the table.
	await expect(page.getByTestId('drift-key')).toContainText('KS: Kolmogorov–Smirnov');
	await expect(page.getByTestId('drift-key')).toContainText('PSI: population stability index');
	await expect(page.getByTestId('alerts')).toContainText(/Dataset drift: \d of 6 features drifted/);
	// The report downloads as the CLI's JSON document.
	const [saved] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('report-json').click()
	]);
	expect(saved.suggestedFilename()).toBe('shifted.drift.json');
	const json = JSON.parse(readFileSync(await saved.path(), 'utf8'));
	expect(json).toMatchObject({
		dataset_drift: true,
		current_rows: 344,
		prediction_drift: { name: 'prediction', drifted: true },
		performance: { metric: 'accuracy', estimated: false }
	});
	expect(json.features.find((f: { name: string }) => f.name === 'Island').drifted).toBe(true);
	// Every alert so far, newest batch first, each leading back to its batch's report.
	await page.getByText(/^All alerts \(\d+\)/).click();
	await expect(page.getByTestId('all-alerts').locator('li').first()).toContainText(
		/batch 2 · Dataset drift: \d of 6 features drifted/
	);
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(2);
	await expect(
		page.getByRole('img', {
			name: /^Drift and performance over batches: batch 1, 0 % of features drifted, measured accuracy 0\.9\d\d; batch 2, \d+ % of features drifted/
		})
	).toBeVisible();
	await expect(
		page.getByRole('img', {
			name: /^The model's predictions on the reference rows and on the batch, PSI [\d.]+: \w+ reference [\d.]+ %, batch/
		})
	).toBeVisible();

	// Without the target column, the accuracy is estimated (CBPE) with a band.
	const unlabelled = join(mkdtempSync(join(tmpdir(), 'driftwood-monitor-')), 'unlabelled.csv');
	writeFileSync(
		unlabelled,
		readFileSync(PENGUINS, 'utf8')
			.trim()
			.split('\n')
			.map((line) => line.split(',').slice(1).join(','))
			.join('\n')
	);
	await page.getByTestId('batch-upload').setInputFiles(unlabelled);
	await expect(page.getByTestId('dataset-drift')).toContainText(
		/estimated \(CBPE, no labels\)\s+accuracy\s+0\.9\d{2}\s+\(95 % band 0\.9\d{2}–(0\.9\d{2}|1\.000)\)/
	);
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(3);

	// A stricter monitor: a tiny distance threshold and Wasserstein chosen for a feature.
	await page.getByText('Thresholds, tests and retraining policy').click();
	await page.getByLabel('Test for Body Mass (g)').selectOption('wasserstein');
	await page.getByLabel('Distance threshold').fill('0.0001');
	await page.getByTestId('save-thresholds').click();
	await expect(page.getByTestId('save-thresholds')).toHaveText('Saved');
	await page.getByTestId('batch-upload').setInputFiles(PENGUINS);
	await expect(page.locator('tr[data-feature="Body Mass (g)"]')).toContainText('Wasserstein');

	await page.reload();
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(4);
	await page.getByText('Thresholds, tests and retraining policy').click();
	await expect(page.getByLabel('Test for Body Mass (g)')).toHaveValue('wasserstein');

	// A batch that lost a column the model needs: a red schema failure, never a green headline.
	const lacking = join(mkdtempSync(join(tmpdir(), 'driftwood-monitor-')), 'no-island.csv');
	writeFileSync(
		lacking,
		readFileSync(PENGUINS, 'utf8')
			.trim()
			.split('\n')
			.map((line) =>
				line
					.split(',')
					.filter((_, i) => i !== 1)
					.join(',')
			)
			.join('\n')
	);
	await uploadBatch(page, lacking, 5);
	const verdict = page.getByTestId('batch-verdict');
	await expect(verdict).toContainText(
		'Schema failure: predictions skipped — the batch lacks "Island"'
	);
	await expect(verdict).toHaveClass(/fail/);
	await expect(verdict).not.toContainText('No dataset drift');
	await expect(
		page.getByRole('table', { name: 'Batches' }).locator('tbody tr').last()
	).toContainText('schema failure');
	// It can be neither scored nor trained on: the retrain panel does not offer it.
	await expect(
		page.getByTestId('retrain-eval').locator('option', { hasText: 'no-island.csv' })
	).toHaveCount(0);
	await page.screenshot({ path: 'test-results/monitor.png', fullPage: true });
	expect(problems).toEqual([]);
});

test('retrain a challenger on a shifted world, compare it with the champion, promote it', async ({
	page
}) => {
	test.setTimeout(300_000);
	const problems = watchProblems(page);
	await registerPenguins(page, { champion: true });

	await page.goto('/monitor');
	await expect(page.getByTestId('retrain-needs-labels')).toBeVisible();
	// Two labelled batches of the shifted world (no row in both): train on one, compare on the other.
	await uploadBatch(page, shiftedSample(0), 1);
	// One labelled batch: by default its newest rows are compared on and the rest trained on.
	await expect(page.getByTestId('retrain-holdout-on')).toBeChecked();
	await expect(page.getByTestId('retrain-start')).toBeEnabled();
	await page.getByTestId('retrain-holdout-on').uncheck();
	await expect(page.getByTestId('retrain-needs-batch')).toBeVisible();
	await expect(page.getByTestId('retrain-start')).toBeDisabled();
	await uploadBatch(page, shiftedSample(1), 2);
	// With an older labelled batch to train on, the whole newest batch is the comparison.
	await expect(page.getByTestId('retrain-holdout-on')).not.toBeChecked();
	await expect(page.getByTestId('retrain-needs-batch')).toHaveCount(0);
	await expect(page.getByTestId('retrain-suggestion')).toContainText(/dataset drift/);
	await expect(page.getByTestId('retrain-eval')).toHaveValue(/.+/);
	await expect(page.getByTestId('retrain-eval').locator('option:checked')).toContainText(
		'shifted-2.csv'
	);
	await expect(page.getByLabel('Train on batch 1')).toBeChecked();
	// A tuned monitor: the challenger's monitor will start with the same settings.
	await page.getByText('Thresholds, tests and retraining policy').click();
	await page.getByLabel('Distance threshold').fill('0.2');
	await page.getByTestId('save-thresholds').click();
	await expect(page.getByTestId('save-thresholds')).toHaveText('Saved');
	await expect(page.getByTestId('retrain-original')).toBeChecked();
	await page.getByTestId('retrain-start').click();
	await expect(page.getByTestId('retrain-stage')).toBeVisible();
	const result = page.getByTestId('retrain-result');
	await expect(result).toContainText('done', { timeout: 180_000 });
	const accuracy = result.locator('tr[data-metric="accuracy"] td.num');
	const [champion, challenger] = [
		Number(await accuracy.nth(0).textContent()),
		Number(await accuracy.nth(1).textContent())
	];
	// The shift costs the champion; the challenger saw half of the shifted world.
	expect(challenger).toBeGreaterThan(champion + 0.1);
	await expect(result.getByRole('columnheader', { name: 'v2 challenger' })).toBeVisible();
	// The evidence: better beyond noise on the same rows, so promoting asks only to confirm.
	await expect(page.getByTestId('retrain-evidence')).toContainText(
		/better beyond noise: accuracy \+0\.\d{4} \(95 % interval \+0\.\d{4} to \+0\.\d{4}/
	);
	await page.getByTestId('retrain-promote').click();
	await expect(page.getByTestId('promote-confirm')).toBeVisible();
	await page.getByTestId('promote-reason').fill('the shifted world is here to stay');
	if (process.env.SHOTS)
		await page
			.getByTestId('retrain-result')
			.screenshot({ path: `${process.env.SHOTS}/retrain-evidence.png` });
	await page.getByTestId('promote-confirm-button').click();
	await expect(page.getByTestId('retrain-promoted')).toContainText('v2 was promoted to champion');
	await page.getByRole('button', { name: 'Monitor v2' }).click();
	await expect(page.getByTestId('monitor-version')).toHaveValue('penguins@2');
	await expect(page.getByTestId('no-batches')).toBeVisible();
	await page.getByText('Thresholds, tests and retraining policy').click();
	await expect(page.getByLabel('Distance threshold')).toHaveValue('0.2');

	// The registry's history records the promotion; the retrain data is a new dataset version.
	await page.goto('/models/penguins');
	await expect(
		page.getByText(
			/Promoted from the monitor \(better beyond noise: accuracy .*: the shifted world is here to stay/
		)
	).toBeVisible();
	await expect(page.getByTestId('champion')).toHaveText('v2');
	await expect(page.getByRole('link', { name: 'Palmer penguins v2' })).toBeVisible();
	// Each version links to its monitor, and the monitor's address keeps the version on reload.
	await page.getByTestId('monitor-1').click();
	await expect(page.getByTestId('monitor-version')).toHaveValue('penguins@1');
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(2);
	await page.reload();
	await expect(page.getByTestId('monitor-version')).toHaveValue('penguins@1');
	await expect(page.getByTestId('retrain-result')).toContainText('promoted to champion');
	// The challenger's data is a version of the dataset that says where its rows came from.
	await page.goto('/models/penguins');
	await page.getByRole('link', { name: 'Palmer penguins v2' }).click();
	await expect(page.getByTestId('version-note')).toHaveText(
		'Retraining data for penguins: Palmer penguins v1 + 1 labelled batch'
	);
	expect(problems).toEqual([]);
});

test('retrain from one labelled batch: its newest 30 % compared on, the older rows trained on', async ({
	page
}) => {
	test.setTimeout(300_000);
	const problems = watchProblems(page);
	await registerPenguins(page);
	// A shifted world in an order a live feed would have (the sample is sorted by species).
	const path = shuffledShift(7);
	await page.goto('/monitor');
	await uploadBatch(page, path, 1);
	await expect(page.getByTestId('retrain-holdout-on')).toBeChecked();
	await expect(page.getByTestId('retrain-holdout')).toHaveValue('30');
	await page.getByTestId('retrain-start').click();
	const result = page.getByTestId('retrain-result');
	await expect(result).toContainText('done', { timeout: 180_000 });
	await expect(result).toContainText(
		'both compared on the newest 30 % of "live.csv" (103 labelled rows neither trained on)'
	);
	await expect(result).toContainText('the older 70 % of "live.csv"');
	const accuracy = result.locator('tr[data-metric="accuracy"] td.num');
	const champion = Number(await accuracy.nth(0).textContent());
	const challenger = Number(await accuracy.nth(1).textContent());
	expect(challenger).toBeGreaterThan(champion + 0.1);
	await page.goto('/models/penguins');
	await page.getByRole('link', { name: 'Palmer penguins v2' }).click();
	await expect(page.getByTestId('version-note')).toHaveText(
		'Retraining data for penguins: Palmer penguins v1 + the older 70 % of the comparison batch'
	);
	expect(problems).toEqual([]);
});

test('a retrain can be cancelled: it is recorded, and no version is registered', async ({
	page
}) => {
	test.setTimeout(300_000);
	const problems = watchProblems(page);
	// An MLP at batch 4: long enough to cancel (the linear model is solved in a blink).
	await registerPenguins(page, { epochs: 400, kind: 'mlp' });
	await page.goto('/monitor');
	await uploadBatch(page, shiftedSample(0), 1);
	await uploadBatch(page, shiftedSample(1), 2);
	await page.getByTestId('retrain-start').click();
	await expect(page.getByTestId('epoch-status')).toContainText(/Epoch \d+ of at most 400/, {
		timeout: 60_000
	});
	await page.getByTestId('train-cancel').click();
	const result = page.getByTestId('retrain-result');
	await expect(result).toContainText('cancelled');
	await expect(result).toContainText('Cancelled before the challenger finished training');
	await expect(page.getByTestId('retrain-start')).toBeEnabled();
	await page.goto('/models/penguins');
	await expect(page.getByRole('link', { name: 'v2' })).toHaveCount(0);
	await expect(page.getByTestId('model-name')).toHaveText('penguins');
	expect(problems).toEqual([]);
});

test('a 2,000,000-row batch streams through the monitor; Cancel stops one without storing it', async ({
	page
}) => {
	test.setTimeout(300_000);
	const problems = watchProblems(page);
	await registerPenguins(page);
	// The sample's rows repeated to two million, labelled (about 90 MB).
	const [header, ...rows] = readFileSync(PENGUINS, 'utf8').trim().split('\n');
	const path = join(mkdtempSync(join(tmpdir(), 'driftwood-monitor-')), 'big.csv');
	const copies = Math.floor(2_000_000 / rows.length);
	const rest = 2_000_000 - copies * rows.length;
	const body = (rows.join('\n') + '\n').repeat(copies) + rows.slice(0, rest).join('\n');
	writeFileSync(path, `${header}\n${body}\n`);

	await page.goto('/monitor');
	await page.getByTestId('batch-upload').setInputFiles(path);
	await page.getByTestId('batch-cancel').click();
	await expect(page.getByTestId('monitor-warning')).toContainText(
		'Checking "big.csv" was cancelled; nothing was stored.'
	);
	await expect(page.getByTestId('no-batches')).toBeVisible();

	await page.getByTestId('batch-upload').setInputFiles(path);
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(1, {
		timeout: 180_000
	});
	await expect(page.getByRole('table', { name: 'Batches' })).toContainText('2,000,000');
	await expect(page.getByTestId('batch-verdict')).toContainText('No dataset drift');
	await expect(page.getByTestId('dataset-drift')).toContainText(/measured\s+accuracy\s+0\.9\d\d/);
	rmSync(path);
	expect(problems).toEqual([]);
});
