import { chromium } from '@playwright/test';
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--enable-unsafe-webgpu']
});
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto('http://localhost:4173/data');
await page.getByTestId('file-input').setInputFiles('static/samples/cars.csv');
await page.getByRole('heading', { name: /Review/ }).waitFor();
await page.getByLabel('Use Miles_per_Gallon as the target').check();
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/shots/review.png', fullPage: false });
await page.screenshot({ path: '/tmp/shots/review-full.png', fullPage: true });
await page.getByRole('button', { name: 'Discard' }).click();
await page.getByTestId('file-input').setInputFiles('tests/fixtures/bad/windows-1252.csv');
await page.getByTestId('import-error').waitFor();
await page.screenshot({ path: '/tmp/shots/error.png' });
await page.getByRole('button', { name: 'Choose another file' }).click();
await page.getByTestId('file-input').setInputFiles('tests/fixtures/bad/ragged.csv');
await page.getByTestId('review-notice').waitFor();
await page.screenshot({ path: '/tmp/shots/ragged.png' });
await page.goto('http://localhost:4173/models');
await page.screenshot({ path: '/tmp/shots/models.png' });
await browser.close();
