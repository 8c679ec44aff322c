import { chromium } from '@playwright/test';
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--enable-unsafe-webgpu']
});
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
await page.goto('http://localhost:4173/');
await page.getByTestId('sample-cars.csv').click();
await page.getByTestId('dataset-name').waitFor();
await page.getByText('Dismiss').click();
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/shots/cars.png', fullPage: true });
await page.screenshot({ path: '/tmp/shots/cars-top.png' });
await browser.close();
