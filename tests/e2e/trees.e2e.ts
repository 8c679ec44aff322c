import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { GENTOO, openSample, predictWithRuntime, watchProblems } from './helpers';

test('gradient-boosted trees train in the studio, register, predict a row and export as trees.json', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('gbdt');
	await expect(page.getByLabel('Iterations')).toHaveValue('100');
	await expect(page.getByLabel('Epochs')).toHaveCount(0);
	await page.getByLabel('Iterations').fill('60');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await expect(page.locator('tr[data-metric="accuracy"] td').nth(2)).toHaveText(
		/0\.9\d{3}|1\.0000/
	);
	await expect(page.getByText(/\d+ iterations · kept iteration \d+/)).toBeVisible();
	await expect(page.getByRole('img', { name: /^Permutation importance: .+ ± / })).toBeVisible();
	await expect(
		page.getByRole('table', { name: 'Gain importance' }).locator('tbody tr')
	).toHaveCount(6);
	// Bounds: adaptive prediction sets calibrated on out-of-fold rows, their test coverage by level.
	await expect(page.getByTestId('run-bounds')).toContainText(
		/Adaptive prediction sets, calibrated on the out-of-fold predictions of \d+ training \+ validation rows \(models that did not fit them\)\.Sets at 90 % covered [\d.]+ % \(95 % interval/
	);
	await expect(
		page.getByRole('img', { name: /^Test coverage by level: 50 % asked, [\d.]+ % covered; 80 %/ })
	).toBeVisible();
	// Contributions on the test rows beside permutation importance, and a dependence plot.
	await expect(page.getByTestId('run-contributions')).toContainText(
		'exact: path-dependent TreeSHAP'
	);
	await expect(page.getByRole('img', { name: /^Mean \|contribution\|: / })).toBeVisible();
	await page.getByTestId('dependence-column').selectOption('Island');
	await expect(page.getByRole('img', { name: /^Dependence plot of Island: / })).toBeVisible();
	await page.screenshot({ path: 'test-results/trees-run.png', fullPage: true });
	if (process.env.SHOTS)
		await page
			.getByTestId('run-contributions')
			.screenshot({ path: `${process.env.SHOTS}/run-contributions.png` });
	if (process.env.SHOTS)
		await page
			.getByTestId('run-bounds')
			.screenshot({ path: `${process.env.SHOTS}/run-bounds.png` });

	await page.getByTestId('register-name').fill('penguin-trees');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguin-trees');
	await expect(page.getByTestId('model-card')).toContainText('Gradient-boosted trees:');
	await page.getByRole('combobox', { name: 'Island' }).fill('Biscoe');
	await page.getByRole('textbox', { name: 'Beak Length (mm)' }).fill('47.5');
	await page.getByRole('textbox', { name: 'Beak Depth (mm)' }).fill('14.2');
	await page.getByRole('textbox', { name: 'Flipper Length (mm)' }).fill('217');
	await page.getByRole('textbox', { name: 'Body Mass (g)' }).fill('4875');
	await page.getByRole('combobox', { name: 'Sex' }).fill('FEMALE');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('row-prediction-value')).toHaveText('Gentoo');
	// Why: the exact contributions to Gentoo's score, as a waterfall with its numbers in words.
	await expect(page.getByTestId('row-explanation-method')).toContainText(
		'exact: path-dependent TreeSHAP'
	);
	await expect(
		page.getByRole('img', {
			name: /^Contributions to raw score of Gentoo: base -?[\d.]+, .+; output -?[\d.]+$/
		})
	).toBeVisible();
	await expect(page.getByTestId('row-bound')).toHaveText(/^90 % set: (Gentoo|empty — )/);
	await page.getByTestId('bound-level').fill('99');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('row-bound')).toHaveText(/^99 % set: Gentoo/);
	if (process.env.SHOTS)
		await page
			.getByTestId('row-prediction')
			.screenshot({ path: `${process.env.SHOTS}/row-explanation.png` });
	await page.getByTestId('bound-level').fill('99.9');
	await page.getByTestId('predict-row').click();
	await expect(page.getByTestId('row-bound-none')).toContainText(
		'A 99.9 % bound needs at least 999 held-out rows'
	);
	await expect(page.getByTestId('row-prediction-value')).toHaveText('Gentoo');
	await page.getByTestId('bound-level').fill('90');

	// A predicted file with each row's contributions to its predicted class's score.
	await page.getByTestId('with-contributions').check();
	await page
		.getByTestId('batch-input')
		.setInputFiles(new URL('../../static/samples/penguins.csv', import.meta.url).pathname);
	await expect(page.getByTestId('batch-result')).toContainText('344 rows predicted.');
	await expect(page.getByTestId('explain-note')).toContainText('Contributions added (exact');
	await expect(page.getByTestId('bounds-note')).toContainText(
		/^Prediction sets at 90 %, calibrated on the out-of-fold predictions of \d+ training \+ validation rows/
	);
	const predicted = page.waitForEvent('download');
	await page.getByTestId('batch-download').click();
	const lines = readFileSync(await (await predicted).path(), 'utf8')
		.trim()
		.split('\n');
	const header = lines[0]!.split(',');
	expect(header.slice(-10, -8)).toEqual(['level', 'set']);
	expect(header.slice(-8)).toEqual([
		'explained',
		'shap_base',
		'shap_Island',
		'shap_Beak Length (mm)',
		'shap_Beak Depth (mm)',
		'shap_Flipper Length (mm)',
		'shap_Body Mass (g)',
		'shap_Sex'
	]);
	expect(lines).toHaveLength(345);
	// Papa reads the set's quoted JSON list (commas inside) as one cell.
	const first = Papa.parse<string[]>(lines[1]!).data[0]!;
	expect(JSON.parse(first[header.indexOf('set')]!)).toEqual(expect.any(Array));
	const prediction = first[header.indexOf('prediction')]!;
	expect(first[header.indexOf('explained')]).toBe(`raw score of ${prediction}`);
	for (const cell of first.slice(-7)) expect(Number.isFinite(Number(cell))).toBe(true);

	const exported = page.waitForEvent('download');
	await page.getByTestId('export-1').click();
	const path = join(mkdtempSync(join(tmpdir(), 'driftwood-trees-')), 'trees.zip');
	await (await exported).saveAs(path);
	const files = unzipSync(new Uint8Array(readFileSync(path)));
	expect(Object.keys(files).sort()).toEqual([
		'README.md',
		'manifest.json',
		'model.onnx',
		'model/trees.json'
	]);
	const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
	expect(manifest.model.family).toBe('gbdt');

	// The tree-only runtime predicts as the full one does, and neither carries TensorFlow.js
	// (networks predict in plain loops): both are small; the page never fetches tfjs.
	const fetched: string[] = [];
	page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
	const record = GENTOO;
	const predictWith = async (url: string) =>
		(await predictWithRuntime(page, url, new Uint8Array(readFileSync(path)), [record]))[0]!;
	const small = await predictWith('/driftwood-runtime-trees.js');
	expect(small.prediction).toBe('Gentoo');
	expect(fetched.filter((p) => p.endsWith('/driftwood-runtime.js'))).toEqual([]);
	const full = await predictWith('/driftwood-runtime.js');
	expect(full.probabilities.Gentoo).toBeCloseTo(small.probabilities.Gentoo!, 12);
	const sizes = await page.evaluate(async () =>
		Promise.all(
			['/driftwood-runtime-trees.js', '/driftwood-runtime.js'].map(
				async (u) => (await (await fetch(u)).arrayBuffer()).byteLength
			)
		)
	);
	for (const size of sizes) expect(size).toBeLessThan(200_000);
	expect(fetched.filter((p) => /tfjs|tensorflow/i.test(p))).toEqual([]);
	expect(problems).toEqual([]);
});
