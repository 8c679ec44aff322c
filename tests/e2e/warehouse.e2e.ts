import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from '@playwright/test';
import { watchProblems, registerPenguins, shiftedSample } from './helpers';

/**
 * Monitoring a batch that stays in a warehouse: the monitor writes the query, DuckDB (standing in
 * for the warehouse) runs it on the batch, and the result file is checked as a batch — the same
 * verdict as the rows give.
 */
test('a batch checked from a warehouse summary, as from its rows', async ({ page }) => {
	test.setTimeout(240_000);
	const problems = watchProblems(page);
	await registerPenguins(page);
	await page.goto('/monitor');
	const shifted = shiftedSample();
	// The rows first, for the verdict to match.
	await page.getByTestId('batch-upload').setInputFiles(shifted);
	await expect(page.getByTestId('batch-verdict')).toContainText(/^Dataset drift/);
	// A labelled batch: its labels against the training rows' (the species did not move).
	await expect(page.getByTestId('target-drift')).toHaveText(/^· target stable \(PSI 0\.0\d\d\)$/);
	const targetFromRows = await page.getByTestId('target-drift').textContent();
	// Its data-drift clause (the rows' verdict adds what needs rows: predictions, the score).
	const fromRows = /^Dataset drift: \d of 6 features drifted/.exec(
		(await page.getByTestId('batch-verdict').textContent())!.trim()
	)![0];

	await page.getByText('From a warehouse: one query, no rows leave it').click();
	// A table that is not a name is refused with the reason, and no query is shown.
	await page.getByTestId('warehouse-table').fill('penguins; DROP TABLE penguins');
	await page.getByTestId('warehouse-write').click();
	await expect(page.getByTestId('warehouse-error')).toContainText('is not a table name');
	await expect(page.getByTestId('warehouse-sql')).toHaveCount(0);

	await page.getByTestId('warehouse-table').fill('batch');
	await page.getByTestId('warehouse-where').fill("Island <> 'Atlantis'");
	await page.getByTestId('warehouse-target').fill('Species');
	await page.getByTestId('warehouse-write').click();
	const sql = await page.getByTestId('warehouse-sql').inputValue();
	expect(sql).toMatch(/^-- Driftwood drift summary of "penguins" v1: 7 features/);
	expect(sql).toContain('TRY_CAST("Beak Length (mm)" AS DOUBLE)');
	expect(sql).toContain("WHERE Island <> 'Atlantis'");
	await page.getByTestId('warehouse').screenshot({ path: 'test-results/warehouse-query.png' });

	// The warehouse runs it; its result (a few KB) comes back as a file.
	const result = join(mkdtempSync(join(tmpdir(), 'driftwood-warehouse-')), 'summary.csv');
	const db = await DuckDBInstance.create(':memory:');
	const connection = await db.connect();
	await connection.run(`CREATE TABLE batch AS SELECT * FROM read_csv('${shifted}')`);
	await connection.run(`COPY (${sql.trim().replace(/;$/, '')}) TO '${result}' (HEADER)`);
	connection.closeSync();
	await page.getByTestId('warehouse-upload').setInputFiles(result);
	await expect(page.getByTestId('summary-source')).toContainText(
		'Checked from a warehouse summary of 344 rows'
	);
	await expect(page.getByTestId('batch-verdict')).toContainText(fromRows);
	await expect(page.getByTestId('target-drift')).toHaveText(targetFromRows!);
	await expect(page.locator('tr[data-feature="Island"]')).toContainText('yes');
	// An order statistic is shown as the range it lies in.
	await expect(page.locator('tr[data-feature="Beak Length (mm)"]')).toContainText(
		/\d\.\d{4}–\d\.\d{4}/
	);
	await expect(
		page.getByRole('table', { name: 'Batches' }).locator('tbody tr').nth(1)
	).toContainText('summary');
	await page.getByTestId('batch-report').screenshot({ path: 'test-results/warehouse-report.png' });

	// A summary of something else is refused by name; nothing is stored.
	const other = join(mkdtempSync(join(tmpdir(), 'driftwood-warehouse-')), 'other.csv');
	const db2 = await DuckDBInstance.create(':memory:');
	const c2 = await db2.connect();
	await c2.run(
		`COPY (SELECT 'rooms' AS feature, 'value 3' AS bin, 10 AS n) TO '${other}' (HEADER)`
	);
	c2.closeSync();
	await page.getByTestId('warehouse-upload').setInputFiles(other);
	await expect(page.getByTestId('monitor-error')).toContainText(
		'counts "rooms", which this model does not monitor'
	);
	await expect(page.getByRole('table', { name: 'Batches' }).locator('tbody tr')).toHaveCount(2);
	expect(problems).toEqual([]);
});
