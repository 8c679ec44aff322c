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
