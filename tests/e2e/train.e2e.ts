import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { escapeHtml } from '../../src/lib/core/report/html';
import { watchProblems, openSample } from './helpers';

test('train a model on a sample, watch the curve, read the evaluation, compare two runs, reload', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	// Main-thread long tasks, and when each epoch's status was drawn (kept across navigations).
	await page.addInitScript(() => {
		const keep = (key: string, value: unknown) => {
			const seen = JSON.parse(sessionStorage.getItem(key) ?? '[]') as unknown[];
			seen.push(value);
			sessionStorage.setItem(key, JSON.stringify(seen));
		};
		new PerformanceObserver((list) => {
			for (const e of list.getEntries())
				keep('longtasks', { start: e.startTime, duration: Math.round(e.duration) });
		}).observe({ type: 'longtask', buffered: false });
		new MutationObserver(() => {
			const status = document.querySelector('[data-testid="epoch-status"]')?.textContent ?? '';
			if (/Epoch \d+/.test(status)) keep('epochs', performance.now());
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
	await openSample(page, 'penguins.csv');

	await page.getByTestId('train-this').click();
	await expect(page.getByTestId('no-runs')).toBeVisible();
	await expect(page.getByTestId('train-dataset')).toHaveValue(/.+/);
	await expect(page.getByTestId('train-target')).toHaveValue('Species');
	await expect(page.locator('tr[data-step="Island"] select').first()).toHaveValue('categorical');
	// The default is the automatic choice; this run follows one MLP's epochs.
	await expect(page.getByTestId('model-kind')).toHaveValue('auto');
	await page.getByTestId('model-kind').selectOption('mlp');
	await page.getByLabel('Epochs').fill('60');
	await page.getByLabel('Patience').fill('0');
	// Picked by hand, the WASM backend trains this MLP through tfjs (the automatic choice would
	// train it in loops, in a tenth of a second): its epochs stream in at a pace a person sees.
	await page.getByTestId('backend-choice').selectOption('wasm');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('training-panel')).toBeVisible();
	// The curve moves: the epoch counter advances while the page stays interactive.
	await expect(page.getByTestId('epoch-status')).toContainText(/Epoch \d+ of at most 60/);
	const first = await page.getByTestId('epoch-status').textContent();
	await expect(page.getByTestId('epoch-status')).not.toHaveText(first ?? '');

	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await expect(page.locator('tr[data-metric="accuracy"] td').nth(2)).toHaveText(
		/0\.9\d{3}|1\.0000/
	);
	await expect(page.locator('tr[data-metric="accuracy"] td').nth(3)).toHaveText(/0\.4\d{3}/);
	// Averages named, each F1 once (micro F1 is the accuracy; multiclass F1 is the macro F1).
	await expect(page.locator('tr[data-metric="precision"] td').first()).toHaveText(
		'Precision (macro)'
	);
	await expect(page.locator('tr[data-metric="f1_micro"], tr[data-metric="f1_macro"]')).toHaveCount(
		0
	);
	await expect(page.locator('tr[data-metric="ece"] td').first()).toContainText('≤ 0.02 good');
	// The loss curve's y axis carries numbers, every tick its label (a log axis once left d3 to
	// label its ticks, which blanked most of them).
	const lossChart = page.getByRole('img', { name: /^Loss per epoch: / });
	await expect(lossChart).toBeVisible();
	const texts = await lossChart.locator('svg text').allTextContents();
	expect(texts.filter((t) => t.trim() === '')).toEqual([]);
	expect(texts.filter((t) => /^\d*\.\d+$/.test(t)).length).toBeGreaterThanOrEqual(2);
	await expect(
		page.getByRole('img', {
			name: /^Confusion matrix: actual Adelie: \d+ predicted Adelie, \d+ predicted Chinstrap/
		})
	).toBeVisible();
	await expect(
		page.getByRole('img', {
			name: /^ROC per class: Adelie AUC [\d.]+; Chinstrap AUC [\d.]+; Gentoo/
		})
	).toBeVisible();
	await expect(
		page.getByRole('img', {
			name: /^Robustness degradation curve: test accuracy [\d.]+ clean; with noise [\d.]+ at 0\.1/
		})
	).toBeVisible();
	await expect(page.getByRole('img', { name: /^Permutation importance: .+ ± / })).toBeVisible();
	// While the epochs stream in (the first drawing of the panel and the results page aside), the
	// page answers input within RAIL's 100 ms: no main-thread task blocks it longer.
	const [longTasks, epochs] = await page.evaluate(() => [
		JSON.parse(sessionStorage.getItem('longtasks') ?? '[]') as {
			start: number;
			duration: number;
		}[],
		JSON.parse(sessionStorage.getItem('epochs') ?? '[]') as number[]
	]);
	expect(epochs.length).toBeGreaterThan(3);
	const [from, to] = [epochs[1]!, epochs[epochs.length - 1]!];
	const during = longTasks.filter((t) => t.start >= from && t.start <= to);
	expect(during.filter((t) => t.duration > 100)).toEqual([]);

	// A second run with another model, then compare the two.
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('linear');
	await page.getByLabel('Epochs').fill('30');
	await page.getByTestId('cross-validation').check();
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('cross-validation-result')).toContainText(
		/5-fold cross-validation accuracy[\s\S]*: 0\.\d{4} ± 0\.\d{4}/,
		{ timeout: 120_000 }
	);
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await page.goto('/train');
	await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(2);
	await page.reload();
	await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(2);
	for (const box of await page.getByRole('checkbox', { name: /Select .* for comparison/ }).all())
		await box.check();
	await page.getByTestId('compare-runs').click();
	await expect(page.getByRole('heading', { name: 'Compare runs' })).toBeVisible();
	// Metrics side by side with the best marked once per metric (unless tied).
	const accuracy = page.getByTestId('compare-metrics').locator('tr[data-metric="accuracy"]');
	await expect(accuracy.locator('td')).toHaveCount(3);
	const values = (await accuracy.locator('td.num').allInnerTexts()).map((t) => parseFloat(t));
	if (values[0] !== values[1]) await expect(accuracy.locator('td.best')).toHaveCount(1);
	// Settings in words, only those that differ by default: no target row, the family in words,
	// and no activation claimed for the linear model.
	const family = page.locator('tr[data-setting="model.family"]');
	await expect(family).toContainText('Linear');
	await expect(family).toContainText('MLP');
	await expect(page.locator('tr[data-setting="data.target"]')).toHaveCount(0);
	await expect(page.locator('tr[data-setting="model.activation"] td').nth(1)).toHaveText('—');
	await expect(page.locator('tr[data-setting="cv"]')).toContainText('5-fold');
	// The loss curves overlaid, with a text alternative naming both runs.
	await expect(page.getByRole('img', { name: /Validation loss per step: .+; .+/ })).toBeVisible();
	await page.getByTestId('all-settings').check();
	await expect(page.locator('tr[data-setting="data.target"]')).toContainText('Species');
	await page.screenshot({ path: 'test-results/compare.png', fullPage: true });
	expect(problems).toEqual([]);
});

test('the automatic choice scores linear, trees and MLP on 5 folds and keeps the simplest within one standard error', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await expect(page.getByTestId('auto-note')).toContainText(
		'keeps the simplest of those within one standard error of the best validation'
	);
	await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
	await page.getByTestId('train-start').click();
	// Small data: the candidates are scored on folds first, with the count in the status line.
	await expect(page.getByTestId('epoch-status')).toContainText(
		/choosing on 5 folds: (Linear|Gradient-boosted trees|MLP), fold \d/
	);
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 150_000 });
	const rows = page.getByRole('table', { name: 'Candidates' }).locator('tbody tr');
	const candidates = rows.and(page.locator(':not([data-family="ensemble"])'));
	await expect(candidates).toHaveCount(3);
	await expect(rows.filter({ hasText: '★ chosen' })).toHaveCount(1);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('auto (linear, trees, MLP)');
	// The chosen one is the first (simplest) within the stated tolerance of the best score —
	// unless the ensemble of them beat the best by more than one standard error, as the rule says.
	// Each score is the mean over 5 folds, ± their standard deviation.
	await expect(candidates.first().locator('td:nth-child(2)')).toContainText('±');
	const rule = page.getByTestId('choice-rule');
	const ensemble = rows.and(page.locator('[data-family="ensemble"]'));
	if ((await ensemble.count()) === 1) {
		await expect(ensemble).toContainText(/Ensemble \(.+ \d+ %/);
		await expect(rule).toContainText(/The ensemble .+ (replaced it|is not kept): its gain over/);
	}
	const ensembleChosen = (await ensemble.filter({ hasText: '★ chosen' }).count()) === 1;
	const scores = (await candidates.locator('td:nth-child(2)').allTextContents()).map(parseFloat);
	const tolerance = Number(await rule.getAttribute('data-tolerance'));
	expect(tolerance).toBeGreaterThan(0);
	const floor = Math.max(...scores) - tolerance - 1e-4;
	const chosenAt = (await candidates.allTextContents()).findIndex((t) => t.includes('★ chosen'));
	if (!ensembleChosen) expect(chosenAt).toBe(scores.findIndex((s) => s >= floor));
	await page.screenshot({ path: 'test-results/auto-run.png', fullPage: true });
	// The name tells runs apart (split, short id) and can be changed; the new one is kept.
	await expect(page.getByTestId('run-name')).toHaveText(/stratified 15\/20 % · #[0-9a-f]{6}$/);
	await page.getByTestId('run-rename').click();
	await page.getByTestId('run-name-input').fill('penguins, automatic, no robustness');
	await page.getByTestId('run-name-input').press('Enter');
	await expect(page.getByTestId('run-name')).toHaveText('penguins, automatic, no robustness');
	await page.reload();
	await expect(page.getByTestId('run-name')).toHaveText('penguins, automatic, no robustness');
	// Its report carries the same evidence: the rule that chose and every candidate's score.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('run-report').click()
	]);
	expect(download.suggestedFilename()).toBe('run-penguins-automatic-no-robustness-report.html');
	const report = readFileSync(await download.path(), 'utf8');
	expect(report).toContain('<h3>Candidates</h3>');
	expect(report).toContain(`<p>${escapeHtml((await rule.textContent())!.trim())}</p>`);
	expect(report).toMatch(/<td>[^<]*★ chosen[^<]*<\/td><td>0\.\d{4} ± 0\.\d{4}<\/td>/);
	expect(problems).toEqual([]);
});

test('an impossible model is refused before training starts', async ({ page }) => {
	await openSample(page, 'cars.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('mlp');
	await page.getByLabel('Hidden units per layer').fill('0');
	await page.getByLabel('Learning rate').fill('-0.1');
	await expect(page.getByTestId('spec-problems')).toContainText(
		'Hidden layer 1 needs between 1 and 4096 units (got 0).'
	);
	await expect(page.getByTestId('spec-problems')).toContainText(
		'The learning rate must be above 0'
	);
	await expect(page.getByTestId('train-start')).toBeDisabled();
});

test('a random search keeps every trial as a run and marks the best by validation', async ({
	page
}) => {
	test.setTimeout(180_000);
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('mlp');
	await page.getByLabel('Epochs').fill('15');
	await page.getByTestId('search-toggle').check();
	await page.getByLabel('Trials').fill('3');
	await page.getByTestId('train-start').click();
	await expect(page.getByRole('heading', { name: /Search: trial \d of 3/ })).toBeVisible();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 150_000 });
	await page.goto('/train');
	const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
	await expect(rows).toHaveCount(3);
	await expect(rows.filter({ hasText: '★ best' })).toHaveCount(1);
	await expect(rows.filter({ hasText: /trial \d\/3/ })).toHaveCount(3);
});

test('the WebGPU backend (software adapter here) trains a tiny model correctly, read asynchronously', async ({
	page
}) => {
	test.setTimeout(150_000);
	await openSample(page, 'penguins.csv');
	const accuracy: Record<string, string> = {};
	for (const backend of ['wasm', 'webgpu']) {
		await page.goto('/train');
		// An MLP: the linear model is solved in JavaScript, so only a network trains on the backend.
		await page.getByTestId('model-kind').selectOption('mlp');
		// Ten epochs, one network per run: the software GPU takes about 4 s an epoch here (30 epochs
		// ran 2.4 min and once missed the wait below), and one seed is what is compared. Both
		// backends reach 1.000 on the test rows at ten epochs as at thirty.
		await page.getByLabel('Epochs').fill('10');
		await page.getByLabel('Seeds averaged').fill('1');
		await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
		await page.getByRole('checkbox', { name: /permutation importance/ }).uncheck();
		await page.getByTestId('backend-choice').selectOption(backend);
		await page.getByTestId('train-start').click();
		await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
		await expect(page.getByTestId('run-backend')).toHaveText(
			new RegExp(`^${backend.toUpperCase()}`)
		);
		accuracy[backend] =
			(await page.locator('tr[data-metric="accuracy"] td').nth(2).textContent()) ?? '';
	}
	expect(Number(accuracy.webgpu)).toBeGreaterThan(0.8);
	expect(Math.abs(Number(accuracy.webgpu) - Number(accuracy.wasm))).toBeLessThanOrEqual(0.03);
});

test('Cancel stops a run mid-training on WASM, and the run is kept as cancelled', async ({
	page
}) => {
	test.setTimeout(120_000);
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('mlp');
	// Long enough that only Cancel can end it within the test's time (batch 4, no early stop).
	await page.getByLabel('Epochs').fill('5000');
	await page.getByLabel('Patience').fill('5000');
	await page.getByLabel('Batch').fill('4');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('epoch-status')).toContainText(/Epoch \d+ of at most 5000/, {
		timeout: 60_000
	});
	await page.getByTestId('train-cancel').click();
	await expect(page.getByTestId('training-panel')).toHaveCount(0, { timeout: 10_000 });
	const row = page.getByRole('row', { name: /mlp 32 relu · seed 42/ });
	await expect(row).toContainText('cancelled');
	expect(problems).toEqual([]);
});

test('a run the data cannot support fails with the reason, and no other backend is offered', async ({
	page
}) => {
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByLabel('Task').selectOption('regression');
	await page.getByTestId('train-start').click();
	const error = page.getByTestId('train-error');
	await expect(error).toContainText(
		'The target "Species" holds text, so it cannot be a regression target.'
	);
	await expect(error).not.toContainText('Try again on');
	await expect(page.getByRole('row', { name: /seed 42/ })).toContainText('failed');
	expect(problems).toEqual([]);
});

test('a time split picks the only datetime column by default and trains', async ({ page }) => {
	test.setTimeout(120_000);
	const problems = watchProblems(page);
	await openSample(page, 'cars.csv');
	await page.getByTestId('train-this').click();
	// A dataset with dates is split by time by default, and the form says why.
	await expect(page.getByTestId('split-kind')).toHaveValue('time');
	await expect(page.getByTestId('split-reason')).toContainText(
		'Split by time because "Year" holds dates'
	);
	await page.getByTestId('split-kind').selectOption('random');
	await page.getByTestId('split-kind').selectOption('time');
	// Never a blank select: the one datetime column is chosen.
	await expect(page.getByTestId('time-column')).toHaveValue('Year');
	// Model years recur in no calendar part: none is fed, the year is one click away, with its warning.
	const note = page.getByTestId('date-note-Year');
	await expect(note).toContainText('No calendar part recurs in these yearly values');
	const trend = page.locator('tr[data-step="Year"]').getByLabel('year (trend)');
	await expect(trend).not.toBeChecked();
	await trend.check();
	await expect(note).toContainText('values after the training range extrapolate');
	await page.screenshot({ path: 'test-results/time-aware-form.png', fullPage: true });
	await page.getByTestId('model-kind').selectOption('linear');
	await page.getByLabel('Epochs').fill('20');
	// Recency weights: a half-life the form reads, or says it cannot.
	await page.getByTestId('half-life').fill('soon');
	await expect(page.getByTestId('spec-problems')).toContainText(
		'The recency half-life is a number'
	);
	await page.getByTestId('half-life').fill('3 years');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 90_000 });
	await expect(page.getByText(/A time split needs a date\/time column/)).toHaveCount(0);
	await expect(page.getByText(/Try again on/)).toHaveCount(0);

	// "Train like this" opens the form with this run's settings, the year trend included.
	await page.getByTestId('train-like-this').click();
	await expect(page.getByTestId('form-restored')).toContainText('The settings of the run');
	await expect(page.getByTestId('model-kind')).toHaveValue('linear');
	await expect(page.getByLabel('Epochs')).toHaveValue('20');
	const trendAgain = page.locator('tr[data-step="Year"]').getByLabel('year (trend)');
	await expect(trendAgain).toBeChecked();
	await expect(page.getByTestId('half-life')).toHaveValue('3 years');
	// The form remembers: leaving and coming back keeps the last settings on this dataset.
	await page.goto('/data');
	await page.goto('/train');
	await expect(page.getByTestId('form-restored')).toContainText('Your last settings');
	await expect(page.getByTestId('model-kind')).toHaveValue('linear');
	await page.getByTestId('form-reset').click();
	await expect(page.getByTestId('model-kind')).toHaveValue('auto');
	await expect(page.locator('tr[data-step="Year"]').getByLabel('year (trend)')).not.toBeChecked();
	expect(problems).toEqual([]);
});
