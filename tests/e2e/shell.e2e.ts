import { expect, test } from '@playwright/test';
import { watchProblems } from './helpers';

test('the workspace home shows storage, persistence, the backend and the lifecycle', async ({
	page
}) => {
	const problems = watchProblems(page);
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Your workspace' })).toBeVisible();
	await expect(page.getByTestId('storage-used')).not.toHaveText('unknown');
	// Headless Chromium has a SwiftShader WebGPU adapter: it must not win over WASM.
	await expect(page.getByTestId('backend')).toHaveText('WASM');
	await page.getByTestId('persist').click();
	await expect(page.getByRole('status').filter({ hasText: /Granted|declined/ })).toBeVisible();
	for (const stage of ['Monitor']) {
		await page
			.getByRole('navigation')
			.getByRole('link', { name: new RegExp(`^${stage}`) })
			.click();
		await expect(page.getByText('Not built yet')).toBeVisible();
	}
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
