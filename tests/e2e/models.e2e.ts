import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { FIXTURES, watchProblems, openSample, predictWithRuntime } from './helpers';

const SAMPLE = new URL('../../static/samples/penguins.csv', import.meta.url).pathname;

async function trainQuickRun(page: Page, epochs: string): Promise<void> {
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('linear');
	await page.getByLabel('Epochs').fill(epochs);
	await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
	await page.getByRole('checkbox', { name: /permutation importance/ }).uncheck();
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	// No backend was picked: the linear model is solved in loops, and the run says so.
	await expect(page.getByTestId('run-backend')).toHaveText('CPU (JavaScript loops)');
}

/** Predicts the sample file on the model page and returns the downloaded CSV. */
async function predictSample(page: Page): Promise<string> {
	await page.getByTestId('batch-input').setInputFiles(SAMPLE);
	await expect(page.getByTestId('batch-result')).toContainText('344 rows predicted.');
	// The sample holds the target: the file is scored against it beside the download.
	const score = page.getByTestId('file-score');
	await expect(score).toContainText('344 labelled rows scored');
	const accuracy = Number(await score.locator('[data-metric="accuracy"] td').nth(1).innerText());
	expect(accuracy).toBeGreaterThan(0.5);
	expect(accuracy).toBeLessThanOrEqual(1);
	await expect(score.getByRole('img', { name: /Confusion matrix on this file/ })).toBeVisible();
	await score.screenshot({ path: 'test-results/file-score.png' });
	const download = page.waitForEvent('download');
	await page.getByTestId('batch-download').click();
	return readFileSync(await (await download).path(), 'utf8');
}

function parse(csv: string): string[][] {
	// Papa reads a prediction set's quoted JSON list (commas inside) as one cell.
	return Papa.parse<string[]>(csv.trim()).data;
}

/** Same labels; probabilities equal to 1e-6. */
function expectSamePredictions(a: string, b: string): void {
	const [ra, rb] = [parse(a), parse(b)];
	expect(ra[0]).toEqual(rb[0]);
	expect(ra).toHaveLength(rb.length);
	const from = ra[0]!.indexOf('prediction');
	for (let i = 1; i < ra.length; i++) {
		expect(ra[i]![from]).toBe(rb[i]![from]);
		for (let j = from + 1; j < ra[i]!.length; j++)
			if (ra[0]![j] === 'set') expect(ra[i]![j]).toBe(rb[i]![j]);
			else expect(Math.abs(Number(ra[i]![j]) - Number(rb[i]![j]))).toBeLessThan(1e-6);
	}
}

test('register, promote, predict, export; import in a fresh browser and in Node: same predictions', async ({
	page
}) => {
	test.setTimeout(240_000);
	const problems = watchProblems(page);
	await page.goto('/models');
	await expect(page.getByTestId('no-models')).toBeVisible();
	await openSample(page, 'penguins.csv');

	await trainQuickRun(page, '20');
	await page.getByTestId('register-name').fill('penguin-species');
	await page.getByLabel('Intended use').fill('Field guides: name a penguin from its measurements.');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguin-species');
	// No description yet, but the intended use says what the model is for; the card is a document.
	await expect(page.getByTestId('model-about')).toHaveText(
		'Intended use (v1): Field guides: name a penguin from its measurements.'
	);
	await expect(page.getByTestId('model-card').getByRole('table').first()).toBeVisible();
	await page.getByTestId('model-card').screenshot({ path: 'test-results/model-card.png' });
	await expect(
		page.getByTestId('model-card').getByRole('heading', { name: 'penguin-species — version 1' })
	).toBeVisible();
	await page.getByTestId('make-champion-1').click();
	// The reason is asked in the page, and kept.
	await page.getByTestId('alias-note').fill('first release');
	await page.screenshot({ path: 'test-results/alias-reason.png' });
	await page.getByTestId('alias-confirm').click();
	await expect(page.getByTestId('champion')).toHaveText('v1');
	await expect(page.getByTestId('alias-history')).toContainText('first release');

	// One row from the form generated from the schema.
	await page.getByRole('combobox', { name: 'Island' }).fill('Torgersen');
	await page.getByRole('textbox', { name: 'Beak Length (mm)' }).fill('39.1');
	await page.getByRole('textbox', { name: 'Beak Depth (mm)' }).fill('18.7');
	await page.getByRole('textbox', { name: 'Flipper Length (mm)' }).fill('181');
	await page.getByRole('textbox', { name: 'Body Mass (g)' }).fill('3750');
	await page.getByRole('combobox', { name: 'Sex' }).fill('MALE');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('row-prediction-value')).toHaveText('Adelie');
	await expect(page.getByTestId('range-note')).toHaveCount(0);
	// A linear model's contributions are exact against its training rows.
	await expect(page.getByTestId('row-explanation-method')).toContainText(
		"exact: a linear model's values against 100 of its training rows"
	);
	// A value far beyond what the model saw is said beside the result.
	await page.getByRole('textbox', { name: 'Body Mass (g)' }).fill('12000');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('range-note')).toHaveText(
		/^Body Mass \(g\) 12000 is far above the training range [\d.]+ … [\d.]+ \([\d.]+× its width beyond\): the model extrapolates here\.$/
	);
	await page.getByTestId('row-prediction').screenshot({ path: 'test-results/range-note.png' });
	await page.getByRole('textbox', { name: 'Body Mass (g)' }).fill('3750');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('range-note')).toHaveCount(0);
	await expect(page.getByTestId('unseen-note')).toHaveCount(0);
	// An island the model never saw is accepted, read as unseen, and said so.
	await page.getByRole('combobox', { name: 'Island' }).fill('Atlantis');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('unseen-note')).toContainText(
		'Island: “Atlantis” is a value the model never saw in training'
	);
	await expect(page.getByTestId('row-prediction-value')).toHaveText(/^(Adelie|Chinstrap|Gentoo)$/);
	if (process.env.SHOTS)
		await page
			.getByRole('region', { name: 'Predict' })
			.screenshot({ path: `${process.env.SHOTS}/predict-unseen.png` });
	await page.getByRole('combobox', { name: 'Island' }).fill('Torgersen');

	const studioCsv = await predictSample(page);
	expect(studioCsv.split('\n')[0]).toContain(
		',prediction,probability_Adelie,probability_Chinstrap,probability_Gentoo'
	);

	const exported = page.waitForEvent('download');
	await page.getByTestId('export-1').click();
	const bundle = await exported;
	expect(bundle.suggestedFilename()).toBe('penguin-species-v1.driftwood.zip');
	const dir = mkdtempSync(join(tmpdir(), 'driftwood-bundle-'));
	const bundlePath = join(dir, bundle.suggestedFilename());
	await bundle.saveAs(bundlePath);

	// The runtime module the studio serves, in a plain page: the same labels and probabilities.
	const records = parse(readFileSync(SAMPLE, 'utf8')).slice(1, 6);
	const names = [
		'Species',
		'Island',
		'Beak Length (mm)',
		'Beak Depth (mm)',
		'Flipper Length (mm)',
		'Body Mass (g)',
		'Sex'
	];
	const fromRuntime = await predictWithRuntime(
		page,
		'/driftwood-runtime.js',
		new Uint8Array(readFileSync(bundlePath)),
		records.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] === '' ? null : r[i]])))
	);
	const studioRows = parse(studioCsv).slice(1, 6);
	fromRuntime.forEach((p, i) => {
		expect(p.prediction).toBe(studioRows[i]![7]);
		expect(Math.abs(p.probabilities.Adelie! - Number(studioRows[i]![8]))).toBeLessThan(1e-6);
	});

	// A fresh browser profile imports the bundle and predicts the same.
	const fresh = await chromium.launchPersistentContext(
		mkdtempSync(join(tmpdir(), 'driftwood-fresh-')),
		{
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS,
			baseURL: 'http://localhost:4173',
			acceptDownloads: true
		}
	);
	try {
		const other = fresh.pages()[0] ?? (await fresh.newPage());
		await other.goto('/models');
		await other.getByTestId('bundle-input').setInputFiles(bundlePath);
		await expect(other.getByTestId('model-name')).toHaveText('penguin-species');
		expectSamePredictions(studioCsv, await predictSample(other));
		// The imported model can be monitored, but not retrained: its settings stayed behind.
		await other.goto('/monitor');
		await expect(other.getByTestId('no-batches')).toBeVisible();
		await expect(other.getByTestId('retrain-unavailable')).toContainText('imported from a bundle');
		// The same bundle again is recognised and adds nothing.
		await other.goto('/models');
		await other.getByTestId('bundle-input').setInputFiles(bundlePath);
		await expect(other.getByTestId('import-bundle-duplicate')).toContainText(
			'is already in the registry as penguin-species v1 (the same model and weights): nothing was added.'
		);
		await other.getByRole('link', { name: 'penguin-species v1' }).click();
		await expect(other.getByRole('link', { name: 'v2' })).toHaveCount(0);
	} finally {
		await fresh.close();
	}

	// The runtime in Node, through the CLI.
	const out = join(dir, 'node.csv');
	// The studio's download carries the 90 % sets by default; the CLI's with --interval 0.9.
	execFileSync(
		'npx',
		['driftwood', 'predict', '--bundle', bundlePath, SAMPLE, '--interval', '0.9', '--out', out],
		{ stdio: 'pipe' }
	);
	expectSamePredictions(studioCsv, readFileSync(out, 'utf8'));
	expect(problems).toEqual([]);
});

test('a second version is promoted, then the champion rolled back; bad bundles are refused', async ({
	page
}) => {
	test.setTimeout(240_000);
	await openSample(page, 'penguins.csv');
	for (const epochs of ['10', '25']) {
		await trainQuickRun(page, epochs);
		await page.getByTestId('register-name').fill('penguins');
		await page.getByTestId('register-submit').click();
		await expect(page.getByTestId('model-name')).toHaveText('penguins');
	}
	// Lineage back from the run: the run links to the version made from it.
	await page.goBack();
	await expect(page.getByTestId('run-models')).toContainText('penguins v2');
	// A registered run says so instead of offering the form again (one click brings it back).
	await expect(page.getByTestId('register-name')).toHaveCount(0);
	await page.getByTestId('register-again').click();
	await expect(page.getByTestId('register-name')).toBeVisible();
	await page.getByTestId('run-models').getByRole('link').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguins');
	await page.getByTestId('make-champion-1').click();
	await page.getByTestId('alias-confirm').click();
	await expect(page.getByTestId('champion')).toHaveText('v1');
	await page.getByTestId('make-champion-2').click();
	// Cancel changes nothing.
	await page
		.getByRole('form', { name: 'Confirm the alias change' })
		.getByRole('button', { name: 'Cancel' })
		.click();
	await expect(page.getByTestId('alias-note')).toHaveCount(0);
	await expect(page.getByTestId('champion')).toHaveText('v1');
	await page.getByTestId('make-champion-2').click();
	await page.getByTestId('alias-note').fill('note');
	await page.getByTestId('alias-confirm').click();
	await expect(page.getByTestId('champion')).toHaveText('v2');
	await page.getByTestId('rollback-1').click();
	await page.getByTestId('alias-confirm').click();
	await expect(page.getByTestId('champion')).toHaveText('v1');
	await expect(page.getByTestId('alias-history').locator('li')).toHaveCount(3);

	await page.goto('/models');
	const foreign = join(mkdtempSync(join(tmpdir(), 'driftwood-bad-')), 'foreign.zip');
	writeFileSync(foreign, readFileSync(`${FIXTURES}bad/hostile-headers.csv`));
	await page.getByTestId('bundle-input').setInputFiles(foreign);
	await expect(page.getByTestId('import-bundle-error')).toContainText(
		/not a readable zip|not a Driftwood bundle/
	);
	const bomb = join(mkdtempSync(join(tmpdir(), 'driftwood-bad-')), 'slip.driftwood.zip');
	// A stored zip entry named ../evil.js (local header only).
	const name = Buffer.from('../evil.js');
	const header = Buffer.alloc(30);
	header.writeUInt32LE(0x04034b50, 0);
	header.writeUInt16LE(20, 4);
	header.writeUInt32LE(1, 18);
	header.writeUInt32LE(1, 22);
	header.writeUInt16LE(name.length, 26);
	writeFileSync(bomb, Buffer.concat([header, name, Buffer.from('x')]));
	await page.getByTestId('bundle-input').setInputFiles(bomb);
	await expect(page.getByTestId('import-bundle-error')).toContainText('unsafe path ("../evil.js")');
});

test('a model named like a path, a query or a percent opens its own page from every link', async ({
	page
}) => {
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await trainQuickRun(page, '3');
	const name = '../monitor a/b?x=1 100%';
	await page.getByTestId('register-name').fill(name);
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText(name);
	expect(new URL(page.url()).pathname).toBe(`/models/${encodeURIComponent(name)}`);
	await page.reload();
	await expect(page.getByTestId('model-name')).toHaveText(name);
	await page.goto('/models');
	await page.getByRole('link', { name }).click();
	await expect(page.getByTestId('model-name')).toHaveText(name);
	expect(problems).toEqual([]);
});
