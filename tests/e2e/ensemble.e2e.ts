import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { predictWithRuntime, watchProblems } from './helpers';

const DATA = 'tests/fixtures/data/quality';

/** The first `n` rows of a plain CSV (no quoted commas) as records, cells as text. */
function records(path: string, n: number, drop: string): Record<string, unknown>[] {
	const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
	const names = head!.split(',');
	return lines.slice(0, n).map((line) =>
		Object.fromEntries(
			line
				.split(',')
				.map((cell, i) => [names[i]!, cell === '' ? null : cell] as const)
				.filter(([name]) => name !== drop)
		)
	);
}

test('an ensemble the CLI chose imports into the studio, describes its members, and the runtime predicts as the CLI does', async ({
	page
}) => {
	test.setTimeout(240_000);
	const problems = watchProblems(page);
	// On this table the trees and the MLP, averaged, beat the best of them beyond one standard
	// error of the paired out-of-fold gain (README's quality table).
	const dir = mkdtempSync(join(tmpdir(), 'driftwood-ensemble-'));
	const bundle = join(dir, 'synthetic.driftwood.zip');
	const train = JSON.parse(
		execFileSync(
			process.execPath,
			[
				'src/runtime/bin.js',
				'train',
				`${DATA}/synthetic_binary.train.csv`,
				'--target',
				'target',
				'--test',
				`${DATA}/synthetic_binary.test.csv`,
				'--json',
				'--out',
				bundle
			],
			{ encoding: 'utf8' }
		)
	) as {
		model: string;
		candidates: { model: string; chosen: boolean; gain?: { value: number; error: number } }[];
	};
	expect(train.model).toBe('ensemble');
	const ensemble = train.candidates.find((c) => c.model === 'ensemble')!;
	expect(ensemble.chosen).toBe(true);
	expect(ensemble.gain!.value).toBeGreaterThan(ensemble.gain!.error);

	await page.goto('/models');
	await page.getByTestId('bundle-input').setInputFiles(bundle);
	await expect(page.getByTestId('model-name')).toHaveText('synthetic');
	const card = page.getByTestId('model-card');
	await expect(card).toContainText(/Ensemble of 2 models/);
	// Its members' steps and missing values in words: the trees read them, the MLP sees fills.
	await expect(card).toContainText('each member the steps its folds chose');
	await expect(card).toContainText(
		/the trees read it as missing; the other members see it filled with/
	);
	await page.screenshot({ path: 'test-results/ensemble-model.png', fullPage: true });

	// The standalone runtime in the page gives the CLI's predictions.
	const rows = records(`${DATA}/synthetic_binary.test.csv`, 8, 'target');
	const fromRuntime = await predictWithRuntime(
		page,
		'/driftwood-runtime.js',
		new Uint8Array(readFileSync(bundle)),
		rows
	);
	const cli = execFileSync(
		process.execPath,
		['src/runtime/bin.js', 'predict', '--bundle', bundle, `${DATA}/synthetic_binary.test.csv`],
		{ encoding: 'utf8' }
	)
		.trim()
		.split('\n');
	const header = cli[0]!.split(',');
	const yes = header.indexOf('probability_yes');
	fromRuntime.forEach((p, i) => {
		const cells = cli[i + 1]!.split(',');
		expect(p.prediction).toBe(cells[header.indexOf('prediction')]);
		expect(Math.abs(p.probabilities.yes! - Number(cells[yes]))).toBeLessThan(1e-6); // the MLP member runs on another backend in the page
	});
	expect(problems).toEqual([]);
});
