import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** Collects page errors and CSP violations; a test ends by asserting the list is empty. */
export function watchProblems(page: Page): string[] {
	const problems: string[] = [];
	page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
			problems.push(`console ${message.type()}: ${message.text()}`);
		}
	});
	return problems;
}

/** Picks `path` in the studio's file input (the file picker). */
export async function pickFile(page: Page, path: string): Promise<void> {
	await page.getByTestId('file-input').first().setInputFiles(path);
}

/** Waits for the review screen of an import. */
export async function expectReview(page: Page, fileName: string): Promise<void> {
	await expect(page.getByRole('heading', { name: `Review ${fileName}` })).toBeVisible();
}

/** The profile card of one column. */
export function columnCard(page: Page, name: string) {
	return page.locator(`article.column[data-column="${name}"]`);
}

const SAMPLE_NAMES = { 'penguins.csv': 'Palmer penguins', 'cars.csv': 'Cars (1970–1982)' } as const;

/** Opens the home page and imports a bundled sample; waits for its profile. */
export async function openSample(page: Page, file: keyof typeof SAMPLE_NAMES): Promise<void> {
	await page.goto('/');
	await page.getByTestId(`sample-${file}`).click();
	await expect(page.getByTestId('dataset-name')).toHaveText(SAMPLE_NAMES[file]);
}

/** A penguin every model of the sample calls a Gentoo (the records the runtime tests predict). */
export const GENTOO = {
	Island: 'Biscoe',
	'Beak Length (mm)': 47.5,
	'Beak Depth (mm)': 14.2,
	'Flipper Length (mm)': 217,
	'Body Mass (g)': 4875,
	Sex: 'FEMALE'
};

/** One prediction as the runtime returns it, for a classifier. */
export interface RuntimePrediction {
	prediction: string;
	probabilities: Record<string, number>;
}

/**
 * Loads a runtime module the studio serves (`/driftwood-runtime.js` or the tree-only one) in the
 * page, opens the bundle's bytes with it and predicts the records: what a plain web page does.
 */
export function predictWithRuntime(
	page: Page,
	url: string,
	bundle: Uint8Array,
	records: Record<string, unknown>[]
): Promise<RuntimePrediction[]> {
	return page.evaluate(
		async ({ url, bytes, records }) => {
			const runtime = (await import(/* @vite-ignore */ url)) as {
				loadBundle(b: Uint8Array): Promise<{
					predict(r: Record<string, unknown>[]): Promise<RuntimePrediction[]>;
				}>;
			};
			const model = await runtime.loadBundle(new Uint8Array(bytes));
			return model.predict(records);
		},
		{ url, bytes: Array.from(bundle), records }
	);
}

/** The bundled penguins sample. */
export const PENGUINS = new URL('../../static/samples/penguins.csv', import.meta.url).pathname;

/** The sample with beaks, flippers and islands moved: a world that changed (`part` of 2 rows). */
export function shiftedSample(part: 0 | 1 | null = null): string {
	const [header, ...all] = readFileSync(PENGUINS, 'utf8').trim().split('\n');
	const rows = part === null ? all : all.filter((_, i) => i % 2 === part);
	const shifted = rows.map((line) => {
		const cells = line.split(',');
		if (cells[2]) cells[2] = String(Number(cells[2]) + 12);
		if (cells[4]) cells[4] = String(Number(cells[4]) + 25);
		cells[1] = 'Dream';
		return cells.join(',');
	});
	const name = part === null ? 'shifted.csv' : `shifted-${part + 1}.csv`;
	const path = join(mkdtempSync(join(tmpdir(), 'driftwood-monitor-')), name);
	writeFileSync(path, [header, ...shifted].join('\n'));
	return path;
}

/** Uploads a batch to the monitor and waits until it lists `count` batches. */
export async function uploadBatch(page: Page, path: string, count: number): Promise<void> {
	await page.getByTestId('batch-upload').setInputFiles(path);
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(count);
}

/**
 * Loads the penguins sample, trains a small linear model and registers it as "penguins" (and
 * makes v1 the champion when asked). `epochs` with early stopping off make a slower model (its
 * retrain can be caught running).
 */
export async function registerPenguins(
	page: Page,
	{
		epochs = 20,
		kind = 'linear',
		champion = false
	}: { epochs?: number; kind?: 'linear' | 'mlp'; champion?: boolean } = {}
): Promise<void> {
	await openSample(page, 'penguins.csv');
	await page.goto('/train');
	await page.getByTestId('model-kind').selectOption(kind);
	await page.getByLabel('Epochs').fill(String(epochs));
	if (epochs > 20) {
		await page.getByLabel('Patience').fill(String(epochs));
		await page.getByLabel('Batch').fill('4');
	}
	await page.getByRole('checkbox', { name: /robustness/ }).uncheck();
	await page.getByRole('checkbox', { name: /permutation importance/ }).uncheck();
	await page.getByTestId('train-start').click();
	await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 120_000 });
	await page.getByTestId('register-name').fill('penguins');
	await page.getByTestId('register-submit').click();
	await expect(page.getByTestId('model-name')).toHaveText('penguins');
	if (!champion) return;
	// v1 released: the champion, with the reason asked in the page.
	await page.getByTestId('make-champion-1').click();
	await page.getByTestId('alias-note').fill('first release');
	await page.getByTestId('alias-confirm').click();
	await expect(page.getByTestId('champion')).toHaveText('v1');
}

/**
 * The shifted sample in an order a live feed would have (the sample is sorted by species), as
 * `live.csv`; `seed` picks the order.
 */
export function shuffledShift(seed: number): string {
	const [header, ...rows] = readFileSync(shiftedSample(), 'utf8').trim().split('\n');
	let state = seed;
	const shuffled = rows
		.map((row) => {
			state = (state * 1103515245 + 12345) % 2147483648;
			return { row, key: state };
		})
		.sort((a, b) => a.key - b.key)
		.map((r) => r.row);
	const path = join(mkdtempSync(join(tmpdir(), 'driftwood-live-')), 'live.csv');
	writeFileSync(path, [header, ...shuffled].join('\n'));
	return path;
}
