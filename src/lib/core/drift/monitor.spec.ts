import { batchVerdict } from './verdict';
import { alertText, batchAlerts } from './alerts';
import type { BatchCheck } from './types';

const alertsOf = (check: BatchCheck) => batchAlerts(check).map(alertText);
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBundleModel, predictTable, type LoadedModel } from '../bundle/predict';
import type { CodedColumn, Table } from '../table/types';
import { seededRandom } from '../stats/random';
import { takeRows } from '../table/rows';
import { checkBatch, evaluateLabelled, scoreLabelled } from './monitor';
import { trainPenguins } from '../../../../tests/unit/penguins-model';

let table: Table;
let loaded: LoadedModel;

beforeAll(async () => {
	const trained = await trainPenguins(30);
	table = trained.table;
	loaded = await loadBundleModel(trained.manifest, trained.result.artifacts.model);
}, 60_000);

/** The table with every "Gentoo" label renamed: a class the model never saw. */
function withUnseenClass(source: Table): Table {
	return {
		...source,
		columns: source.columns.map((c) => {
			if (c.name !== 'Species') return c;
			const species = c as CodedColumn;
			return {
				...species,
				categories: species.categories.map((s) => (s === 'Gentoo' ? 'Emperor' : s))
			};
		})
	};
}

describe('checkBatch', () => {
	it('sees no drift in the training data itself, and measures the accuracy', async () => {
		const check = await checkBatch(loaded, table);
		expect(check.report.datasetDrift).toBe(false);
		expect(check.predictionDrift?.drifted).toBe(false);
		expect(check.performance).toMatchObject({ metric: 'accuracy', estimated: false, rows: 344 });
		expect(check.performance!.value).toBeGreaterThan(0.9);
	});

	it('measures the bounds’ coverage on labelled rows, and alerts when they hold less than promised', async () => {
		const check = await checkBatch(loaded, table);
		const coverage = check.performance!.coverage!;
		expect(coverage.level).toBe(0.9);
		expect(coverage.rows).toBe(table.rowCount);
		expect(coverage.below).toBe(false);
		expect(alertsOf(check).join(' ')).not.toMatch(/promise more than they hold/);
		// Labels shuffled among the rows: the sets miss far more often than one row in ten.
		const random = seededRandom(5);
		const shuffled: Table = {
			...table,
			columns: table.columns.map((c) => {
				if (c.name !== 'Species') return c;
				const codes = Int32Array.from((c as CodedColumn).codes);
				for (let i = codes.length - 1; i > 0; i--) {
					const j = Math.floor(random() * (i + 1));
					[codes[i], codes[j]] = [codes[j]!, codes[i]!];
				}
				return { ...(c as CodedColumn), codes };
			})
		};
		const wrong = await checkBatch(loaded, shuffled);
		expect(wrong.performance!.coverage!.below).toBe(true);
		expect(wrong.performance!.coverage!.coverage).toBeLessThan(0.75);
		expect(alertsOf(wrong).join(' ')).toMatch(
			/The bounds promise more than they hold: Sets at 90 % covered/
		);
		expect(batchVerdict(wrong).findings).toContain('bounds under-cover');
	});

	it('estimates an unlabelled batch’s accuracy (CBPE) with a band around the measured one', async () => {
		const measured = (await checkBatch(loaded, table)).performance!.value;
		const unlabelled = { ...table, columns: table.columns.filter((c) => c.name !== 'Species') };
		const estimate = (await checkBatch(loaded, unlabelled)).performance!;
		expect(estimate.estimated).toBe(true);
		expect(measured).toBeGreaterThanOrEqual(estimate.lower!);
		expect(measured).toBeLessThanOrEqual(estimate.upper!);
	});

	it('keeps its 95 % band honest inside the reference support, and flags batches outside it', async () => {
		const random = seededRandom(7);
		const species = table.columns.find((c) => c.name === 'Species')!;
		const names = table.columns.map((c) => c.name).filter((n) => n !== 'Species');
		let covered = 0;
		const batches = 30;
		for (let b = 0; b < batches; b++) {
			const rows = Int32Array.from({ length: 120 }, () => Math.floor(random() * table.rowCount));
			const labelled = takeRows(table, rows, [...names, species.name]);
			const measured = (await checkBatch(loaded, labelled)).performance!.value;
			const estimate = (await checkBatch(loaded, takeRows(table, rows, names))).performance!;
			expect(estimate.reliable).toBe(true);
			if (measured >= estimate.lower! && measured <= estimate.upper!) covered++;
		}
		expect(covered / batches).toBeGreaterThanOrEqual(0.9);
		// Every flipper 60 mm longer than any penguin in training: the calibration cannot hold there.
		const shifted: Table = {
			...table,
			columns: table.columns
				.filter((c) => c.name !== 'Species')
				.map((c) =>
					c.name === 'Flipper Length (mm)' && c.storage === 'float'
						? { ...c, values: c.values.map((v) => v + 60) }
						: c
				)
		};
		const outside = await checkBatch(loaded, shifted);
		expect(outside.performance).toMatchObject({ estimated: true, reliable: false });
		expect(outside.performance!.reasons![0]).toMatch(
			/outside the training range .*"Flipper Length \(mm\)"/
		);
		expect(alertsOf(outside).join(' ')).toMatch(/The estimated accuracy is unreliable/);
		expect(batchVerdict(outside).findings).toContain('estimate unreliable');
	});

	it('leaves labels of an unseen class out of the score, and says how many', async () => {
		const check = await checkBatch(loaded, withUnseenClass(table));
		const gentoo = 124;
		expect(check.performance?.droppedUnknown).toBe(gentoo);
		expect(check.performance?.rows).toBe(344 - gentoo);
		expect(alertsOf(check).join(' ')).toContain(
			`${gentoo} labelled rows have a class the model never saw`
		);
	});

	it('does not predict on a batch lacking the model’s columns', async () => {
		const partial = { ...table, columns: table.columns.filter((c) => c.name !== 'Island') };
		const check = await checkBatch(loaded, partial);
		expect(check.performance).toBeNull();
		expect(alertsOf(check)[0]).toBe(
			'Schema failure: predictions skipped. The batch lacks "Island", which the model needs.'
		);
		// The headline says so, never "No dataset drift" while the schema alert fires.
		const verdict = batchVerdict(check);
		expect(verdict).toMatchObject({ level: 'fail', failsGate: true });
		expect(verdict.headline).toMatch(
			/^Schema failure: predictions skipped — the batch lacks "Island"/
		);
	});
});

describe('evaluateLabelled', () => {
	it('measures the model on labelled rows, and gives null without labels', async () => {
		const measured = await evaluateLabelled(loaded, table);
		const checked = await checkBatch(loaded, table);
		expect(measured?.performance.value).toBe(checked.performance?.value);
		const unlabelled = { ...table, columns: table.columns.filter((c) => c.name !== 'Species') };
		expect(await evaluateLabelled(loaded, unlabelled)).toBeNull();
	});

	it('scores a labelled prediction file: its confusion matrix agrees with its accuracy', async () => {
		const result = await predictTable(loaded, table);
		const scored = scoreLabelled(loaded, table, result)!;
		const k = loaded.manifest.model.labels.length;
		expect(scored.confusion).toHaveLength(k * k);
		const total = scored.confusion!.reduce((a, b) => a + b, 0);
		const right = Array.from({ length: k }, (_, c) => scored.confusion![c * k + c]!).reduce(
			(a, b) => a + b,
			0
		);
		expect(total).toBe(scored.performance.rows);
		expect(scored.performance.value).toBeCloseTo(right / total, 12);
		// Labels the model never saw are left out of both, and counted.
		const unseen = withUnseenClass(table);
		const partial = scoreLabelled(loaded, unseen, await predictTable(loaded, unseen))!;
		expect(partial.confusion!.reduce((a, b) => a + b, 0)).toBe(partial.performance.rows);
		expect(partial.performance.droppedUnknown).toBeGreaterThan(0);
		const unlabelled = { ...table, columns: table.columns.filter((c) => c.name !== 'Species') };
		expect(scoreLabelled(loaded, unlabelled, result)).toBeNull();
	});
});

describe('scores beside their baseline', () => {
	it('gives the constant answer on the same rows, names an imbalance, alerts at or below it', async () => {
		const checked = (await checkBatch(loaded, table)).performance!;
		// Penguins: Adelie is 152 of 344 rows; always answering it scores 152 / 344.
		expect(checked.baseline?.accuracy).toBeCloseTo(152 / 344, 12);
		expect(checked.baseline?.balanced_accuracy).toBeCloseTo(1 / 3, 12);
		expect(checked.imbalance).toBeNull();
		expect(checked.value).toBeGreaterThan(checked.baseline!.accuracy!);

		// 19 Adelie rows for every other: 95 % one class. A model no better than "always Adelie"
		// (its predictions are correct only on Adelie here, as the true labels are swapped) alerts.
		const species = table.columns.find((c) => c.name === 'Species') as CodedColumn;
		const adelie = species.categories.indexOf('Adelie');
		const rows = Int32Array.from([
			...Array.from(species.codes.keys()).filter((i) => species.codes[i] === adelie),
			...Array.from(species.codes.keys())
				.filter((i) => species.codes[i] !== adelie)
				.slice(0, 8)
		]);
		const skewed = takeRows(
			table,
			rows,
			table.columns.map((c) => c.name)
		);
		const check = await checkBatch(loaded, skewed);
		expect(check.performance!.imbalance).toMatchObject({ label: 'Adelie' });
		expect(check.performance!.imbalance!.share).toBeCloseTo(152 / 160, 12);
		const bad: BatchCheck = {
			...check,
			performance: { ...check.performance!, value: check.performance!.baseline!.accuracy! - 0.01 }
		};
		expect(alertsOf(bad)).toContainEqual(
			expect.stringMatching(/^Measured accuracy 0\.\d{3} is no better than always answering/)
		);
		expect(batchVerdict(bad).findings).toContain('no better than the baseline');
		expect(alertsOf(check).some((a) => a.includes('no better than'))).toBe(false);
	});
});

describe('batches the statistics cannot judge', () => {
	it('says a one-row batch is too small, and its score unreliable', async () => {
		const one = takeRows(
			table,
			Int32Array.of(0),
			table.columns.map((c) => c.name)
		);
		const check = await checkBatch(loaded, one);
		expect(batchAlerts(check).map((a) => a.kind)).toContain('small-batch');
		expect(batchVerdict(check).level).not.toBe('ok');
		expect(check.performance).toMatchObject({ reliable: false });
		expect(check.performance!.reasons).toContain('only 1 row (at least 30 are needed)');
	});

	it('fails the gate on an input whose every value is unreadable as its type ("3.80 kg")', async () => {
		const name = 'Body Mass (g)';
		const kg = {
			...table,
			columns: table.columns.map((c) =>
				c.name !== name || c.storage !== 'float'
					? c
					: {
							storage: 'coded' as const,
							name,
							type: 'text' as const,
							categories: ['3.80 kg', '4.10 kg'],
							codes: Int32Array.from(c.values, (_, i) => i % 2)
						}
			)
		};
		const check = await checkBatch(loaded, kg);
		expect(check.report.schema.unreadableColumns).toEqual([name]);
		expect(check.performance).toBeNull();
		const verdict = batchVerdict(check);
		expect(verdict).toMatchObject({ level: 'fail', failsGate: true });
		expect(verdict.headline).toBe(
			`Schema failure: predictions skipped — the batch cannot read "${name}"`
		);
	});
});
