import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { GENTOO, openSample, predictWithRuntime, watchProblems } from './helpers';

// ONNX Runtime Web is served from node_modules under /ort/ (routed below, so the service worker
// must not answer first).
test.use({ serviceWorkers: 'block' });

const ORT = new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url);
const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

async function downloadBytes(page: Page, testId: string): Promise<Uint8Array> {
	const download = page.waitForEvent('download');
	await page.getByTestId(testId).click();
	const path = await (await download).path();
	return new Uint8Array(readFileSync(path));
}

/** Runs an ONNX file in the page with onnxruntime-web (WASM), as a plain web page would. */
function runOnnx(
	page: Page,
	bytes: Uint8Array,
	columns: { numeric: string[]; text: string[] },
	records: Record<string, string | number | null>[]
): Promise<{ label: string[]; probabilities: number[]; dims: number[] }> {
	return page.evaluate(
		async ({ bytes, columns, records }) => {
			const url = '/ort/ort.wasm.min.mjs';
			const ort = (await import(/* @vite-ignore */ url)) as typeof import('onnxruntime-web');
			ort.env.wasm.numThreads = 1;
			ort.env.wasm.wasmPaths = '/ort/';
			const session = await ort.InferenceSession.create(new Uint8Array(bytes));
			const n = records.length;
			const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
			for (const c of columns.numeric)
				feeds[c] = new ort.Tensor(
					'float64',
					Float64Array.from(records, (r) => (r[c] === null ? NaN : Number(r[c]))),
					[n, 1]
				);
			for (const c of columns.text)
				feeds[c] = new ort.Tensor(
					'string',
					records.map((r) => (r[c] === null ? '' : String(r[c]))),
					[n, 1]
				);
			const out = await session.run(feeds);
			return {
				label: Array.from(out.label!.data as string[]),
				probabilities: Array.from(out.probabilities!.data as Float32Array),
				dims: [...out.probabilities!.dims]
			};
		},
		{ bytes: Array.from(bytes), columns, records }
	);
}

test('a registered model downloads as ONNX and onnxruntime-web gives the studio’s predictions', async ({
	page
}) => {
	test.setTimeout(180_000);
	const problems = watchProblems(page);
	await page.route('**/ort/*', (route) => {
		const name = new URL(route.request().url()).pathname.split('/').pop()!;
		return route.fulfill({
			body: readFileSync(new URL(name, ORT)),
			contentType: TYPES[extname(name)] ?? 'application/octet-stream'
		});
	});
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption('gbdt');
	await page.getByLabel('Iterations').fill('40');
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await page.getByTestId('register-name').fill('penguins-onnx');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguins-onnx');

	// The contract is on the page, and in the card.
	await page.getByText('The ONNX file’s inputs and outputs').click();
	const contract = page.getByTestId('onnx-contract');
	await expect(contract.locator('tbody tr')).toHaveCount(8);
	await expect(contract.locator('tr', { hasText: 'Island' })).toContainText('string');
	await expect(contract.locator('tr', { hasText: 'probabilities' })).toContainText(
		'columns Adelie, Chinstrap, Gentoo'
	);
	await expect(
		page.getByTestId('model-card').getByRole('heading', { name: 'Serving as ONNX' })
	).toBeVisible();
	await page
		.getByRole('region', { name: /Take v1 elsewhere/ })
		.screenshot({ path: 'test-results/export-panel.png' });

	const onnx = await downloadBytes(page, 'export-onnx');
	await expect(page.getByTestId('export-done')).toContainText('penguins-onnx-v1.onnx');
	const bundle = await downloadBytes(page, 'export-bundle');
	const files = unzipSync(bundle);
	expect(Object.keys(files).sort()).toEqual([
		'README.md',
		'manifest.json',
		'model.onnx',
		'model/trees.json'
	]);
	expect(files['model.onnx']).toEqual(onnx);
	// The card as a report to share: the same card, as HTML, without a script.
	const report = new TextDecoder().decode(await downloadBytes(page, 'export-report'));
	await expect(page.getByTestId('export-done')).toContainText('penguins-onnx-v1-report.html');
	expect(report).toContain('<title>Report — penguins-onnx v1</title>');
	expect(report).toContain('<h3>Serving as ONNX</h3>');
	expect(report).toContain('No batch is in this report: it holds the model card.');
	expect(report).not.toMatch(/<script/i);

	// Rows with what production sends: a missing number, an island never seen, a missing sex.
	const records = [
		GENTOO,
		{
			Island: 'Dream',
			'Beak Length (mm)': 49.0,
			'Beak Depth (mm)': 18.5,
			'Flipper Length (mm)': 195,
			'Body Mass (g)': 3700,
			Sex: 'MALE'
		},
		{
			Island: 'Torgersen',
			'Beak Length (mm)': 38.6,
			'Beak Depth (mm)': 21.2,
			'Flipper Length (mm)': 191,
			'Body Mass (g)': 3800,
			Sex: 'MALE'
		},
		{
			Island: 'Atlantis',
			'Beak Length (mm)': null,
			'Beak Depth (mm)': 17.0,
			'Flipper Length (mm)': 200,
			'Body Mass (g)': 4100,
			Sex: null
		},
		{
			Island: null,
			'Beak Length (mm)': 45.0,
			'Beak Depth (mm)': null,
			'Flipper Length (mm)': null,
			'Body Mass (g)': null,
			Sex: 'FEMALE'
		}
	];
	const inOnnx = await runOnnx(
		page,
		onnx,
		{
			numeric: ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'],
			text: ['Island', 'Sex']
		},
		records
	);
	const studio = await predictWithRuntime(
		page,
		'/driftwood-runtime-trees.js',
		bundle,
		records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)))
	);
	expect(inOnnx.dims).toEqual([5, 3]);
	expect(inOnnx.label).toEqual(studio.map((s) => s.prediction));
	const labels = ['Adelie', 'Chinstrap', 'Gentoo'];
	studio.forEach((s, i) =>
		labels.forEach((label, k) =>
			expect(Math.abs(inOnnx.probabilities[i * 3 + k]! - s.probabilities[label]!)).toBeLessThan(
				1e-5
			)
		)
	);
	expect(inOnnx.label[0]).toBe('Gentoo');
	expect(problems).toEqual([]);
});
