import { expect, test } from '@playwright/test';
import { watchProblems, openSample } from './helpers';

test('the workspace home shows storage, persistence, the backend and the lifecycle', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Your workspace' })).toBeVisible();
	await expect(page.getByTestId('storage-used')).not.toHaveText('unknown');
	// Headless Chromium has a SwiftShader WebGPU adapter: it must not win over WASM.
	await expect(page.getByTestId('backend')).toHaveText('WASM');
	// The first tab stop skips the sidebar; the sidebar's focus ring reads on its dark ground.
	await page.keyboard.press('Tab');
	await expect(page.getByTestId('skip-link')).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
	const home = page.getByRole('navigation').getByRole('link', { name: /^Home/ });
	await home.focus();
	expect(await home.evaluate((e) => getComputedStyle(e).outlineColor)).toBe('rgb(98, 214, 154)');
	// An empty workspace shows the way: four steps, and the backend in plain words.
	const firstRun = page.getByTestId('first-run');
	await expect(firstRun.getByRole('listitem')).toHaveText([
		/^Import/,
		/^Train/,
		/^Deploy/,
		/^Monitor/
	]);
	await expect(page.getByTestId('backend-words')).toContainText(
		'on your processor with WebAssembly'
	);
	await page.screenshot({ path: 'test-results/first-run.png', fullPage: true });
	await page.getByTestId('persist').click();
	await expect(page.getByRole('status').filter({ hasText: /Granted|declined/ })).toBeVisible();
	// Every later stage says what to do first when the workspace is empty.
	const stages: [string, string][] = [
		['Train', 'no-runs'],
		['Models', 'no-models'],
		['Monitor', 'no-monitors']
	];
	for (const [stage, empty] of stages) {
		await page
			.getByRole('navigation')
			.getByRole('link', { name: new RegExp(`^${stage}`) })
			.click();
		await expect(
			page.getByTestId(empty).or(page.getByText('No dataset yet')).first()
		).toBeVisible();
	}
	// Once there is data, the steps give way to the workspace.
	await openSample(page, 'penguins.csv');
	await page.goto('/');
	await expect(page.getByTestId('dataset-count')).toHaveText('1');
	await expect(page.getByTestId('first-run')).toHaveCount(0);
	expect(problems).toEqual([]);
});

test('a second tab that upgrades the database gets this tab out of the way with a clear screen', async ({
	page,
	context
}) => {
	await page.goto('/');
	await expect(page.getByTestId('dataset-count')).toHaveText('0');
	const other = await context.newPage();
	await other.goto('/train');
	await other.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const request = indexedDB.open('driftwood', 1000);
				request.onsuccess = () => {
					request.result.close();
					resolve();
				};
				request.onerror = () => reject(request.error);
			})
	);
	await expect(
		page.getByRole('heading', { name: 'Driftwood was updated in another tab' })
	).toBeVisible();
});

test('a workspace backup restores datasets and runs, with their ids, in a fresh browser', async ({
	page,
	browser
}) => {
	await openSample(page, 'cars.csv');
	const datasetUrl = new URL(page.url()).pathname;
	await page.goto('/');
	const saved = page.waitForEvent('download');
	await page.getByTestId('backup-export').click();
	const backup = await (await saved).path();

	const fresh = await browser.newContext();
	const other = await fresh.newPage();
	await other.goto('/');
	await expect(other.getByTestId('dataset-count')).toHaveText('0');
	await other.getByTestId('backup-input').setInputFiles(backup);
	await expect(other.getByTestId('backup-message')).toContainText(
		'Restored 1 datasets (1 versions)'
	);
	await expect(other.getByTestId('dataset-count')).toHaveText('1');
	await other.goto(datasetUrl);
	await expect(other.getByTestId('row-count')).toHaveText('406');
	await fresh.close();
});

test('without IndexedDB (a private window) the studio works in memory and says so', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.addInitScript(() => {
		Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
	});
	await page.goto('/');
	await expect(page.getByTestId('ephemeral-banner')).toContainText('This window keeps nothing');
	await expect(page.getByTestId('storage-used')).toHaveText('In memory');
	await expect(page.getByTestId('persist')).toHaveCount(0);
	await page.getByTestId('sample-penguins.csv').click();
	await expect(page.getByTestId('dataset-name')).toHaveText('Palmer penguins');
	// In-app navigation keeps the tab's memory: the dataset is listed.
	await page.getByRole('link', { name: 'Data Import & profile' }).click();
	await expect(page.getByRole('link', { name: 'Palmer penguins' })).toBeVisible();
	await expect(page.getByTestId('no-datasets')).toHaveCount(0);
	// A reload starts from nothing, as the banner said.
	await page.reload();
	await expect(page.getByTestId('no-datasets')).toBeVisible();
	expect(problems).toEqual([]);
});
