import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';

const PORT = 4179;
const URL_BASE = `http://localhost:${PORT}`;

function startServer(): Promise<ChildProcess> {
	const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
		stdio: 'pipe',
		detached: true
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('preview server did not start')), 30_000);
		server.stdout?.on('data', (data: Buffer) => {
			if (data.toString().includes(String(PORT))) {
				clearTimeout(timer);
				resolve(server);
			}
		});
	});
}

function stopServer(server: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		server.once('exit', () => resolve());
		process.kill(-server.pid!, 'SIGTERM');
	});
}

test('after one visit the studio loads and works with the server gone', async () => {
	test.setTimeout(120_000);
	const server = await startServer();
	const profile = mkdtempSync(join(tmpdir(), 'driftwood-offline-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
		viewport: { width: 1360, height: 900 }
	});
	let stopped = false;
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(URL_BASE);
		await expect(page.getByText('installed for offline use')).toBeVisible({ timeout: 30_000 });
		// Beyond SvelteKit's list: the fold workers the train worker starts, and the chunks the
		// workers import lazily, are cached too.
		const cached = await page.evaluate(async () => {
			const cache = await caches.open((await caches.keys())[0]!);
			return (await cache.keys()).map((r) => new URL(r.url).pathname);
		});
		expect(cached.filter((p) => /\/workers\/fold-[\w-]+\.js$/.test(p))).toHaveLength(1);
		expect(cached.filter((p) => p.includes('/workers/chunks/')).length).toBeGreaterThan(0);
		await page.getByTestId('sample-cars.csv').click();
		await expect(page.getByTestId('dataset-name')).toHaveText('Cars (1970–1982)');
		// The news is told once: on the next page it is gone without a Dismiss.
		await expect(page.getByText('installed for offline use')).toHaveCount(0);
		const datasetUrl = page.url();

		await stopServer(server);
		stopped = true;
		expect((await fetch(URL_BASE).catch(() => null)) === null).toBe(true);

		await page.reload();
		await expect(page.getByTestId('dataset-name')).toHaveText('Cars (1970–1982)');
		await expect(page.getByTestId('row-count')).toHaveText('406');
		await page.goto(URL_BASE);
		await expect(page.getByRole('heading', { name: 'Your workspace' })).toBeVisible();
		// Still works offline: a sample (precached) is imported and profiled with no server.
		await page.getByTestId('sample-penguins.csv').click();
		await expect(page.getByTestId('dataset-name')).toHaveText('Palmer penguins');
		await page.goto(datasetUrl);
		await expect(page.getByTestId('row-count')).toHaveText('406');
	} finally {
		await context.close();
		if (!stopped) await stopServer(server);
	}
});
