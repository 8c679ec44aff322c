import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { serveStatic } from './static-server';

const PORT = 4181;

test('a new deploy is offered with a Reload button, never swapped in silently', async ({
	page
}) => {
	const root = mkdtempSync(join(tmpdir(), 'driftwood-deploy-'));
	cpSync('build', root, { recursive: true });
	const server = await serveStatic(root, PORT);
	try {
		await page.goto(`http://localhost:${PORT}/`);
		await expect(page.getByText('installed for offline use')).toBeVisible({ timeout: 30_000 });
		await page.reload();
		await expect(page.getByRole('heading', { name: 'Your workspace' })).toBeVisible();
		await expect(page.getByText('A new version of Driftwood is ready.')).toHaveCount(0);

		// "Deploy" a new version: the service worker's bytes change.
		appendFileSync(join(root, 'service-worker.js'), '\n// next deploy\n');
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});
		await expect(page.getByText('A new version of Driftwood is ready.')).toBeVisible({
			timeout: 30_000
		});
		const waiting = await page.evaluate(async () =>
			Boolean((await navigator.serviceWorker.getRegistration())?.waiting)
		);
		expect(waiting).toBe(true);

		// Listen before clicking: the reload can finish before a later listener exists.
		const reloaded = page.waitForEvent('load');
		await page.getByRole('button', { name: 'Reload to update' }).click();
		await reloaded;
		await expect(page.getByRole('heading', { name: 'Your workspace' })).toBeVisible();
		await expect(page.getByText('A new version of Driftwood is ready.')).toHaveCount(0);
		const active = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return {
				waiting: Boolean(registration?.waiting),
				controlled: Boolean(navigator.serviceWorker.controller)
			};
		});
		expect(active).toEqual({ waiting: false, controlled: true });
	} finally {
		server.close();
	}
});
