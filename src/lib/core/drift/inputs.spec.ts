import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_DIALECT } from '../../../../tests/unit/columns';
import { describeModel, freshModelInput } from '../bundle/describe';
import { loadBundleModel, type LoadedModel } from '../bundle/predict';
import { runExperiment } from '../model/experiment';
import { DEFAULT_GBDT } from '../model/spec';
import { profileTable } from '../profile/profile';
import { suggestRecipe } from '../recipe/suggest';
import { seededRandom } from '../stats/random';
import { chunksOf, readTable } from '../table/read';
import type { Table } from '../table/types';
import { batchAlerts } from './alerts';
import { monitoredFeatures } from './inputs';
import { checkBatch } from './monitor';
import { DEFAULT_THRESHOLDS } from './thresholds';

/** Daily rows from `from` for `days`: a weekday effect, a number, a class. */
async function dated(from: string, days: number, seed: number, withDate = true): Promise<Table> {
	const random = seededRandom(seed);
	const lines = [withDate ? 'date,x,shop,label' : 'x,shop,label'];
	const start = Date.parse(from);
	for (let d = 0; d < days; d++)
		for (let r = 0; r < 3; r++) {
			const day = new Date(start + d * 86_400_000);
			const x = random() * 2 - 1;
			const shop = ['a', 'b', 'c'][Math.floor(random() * 3)]!;
			const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
			const label = x + (weekend ? 0.8 : 0) + (random() - 0.5) > 0.3 ? 'yes' : 'no';
			const date = day.toISOString().slice(0, 10);
			lines.push(`${withDate ? `${date},` : ''}${x.toFixed(4)},${shop},${label}`);
		}
	const bytes = new TextEncoder().encode(lines.join('\n'));
	return (await readTable(chunksOf(bytes), { dialect: CSV_DIALECT, totalBytes: bytes.length }))
		.table;
}

let loaded: LoadedModel;

beforeAll(async () => {
	const table = await dated('2021-01-01', 730, 1);
	const profile = profileTable(table, 'label');
	const result = await runExperiment(table, {
		target: 'label',
		task: 'auto',
		recipe: suggestRecipe(profile, 'label'),
		split: { kind: 'time', timeColumn: 'date', seed: 1, validation: 0.15, test: 0.2 },
		model: { ...DEFAULT_GBDT, maxIterations: 20 },
		robustness: false,
		importance: false
	});
	const manifest = describeModel({
		name: 'dated',
		version: 1,
		result,
		...freshModelInput(result),
		profile,
		producer: 'test',
		createdAt: '2026-12-04T00:00:00Z',
		lineage: {
			datasetId: 'd',
			datasetName: 'dated',
			datasetVersion: 1,
			tableId: 'x'.repeat(64),
			runId: 'r',
			trainedAt: '2026-12-04T00:00:00Z'
		}
	});
	loaded = await loadBundleModel(manifest, result.artifacts.model);
}, 60_000);

describe('the monitor follows the model', () => {
	it('judges a date through the parts the recipe derives, never the raw instant', async () => {
		const { manifest } = loaded;
		const inputs = manifest.schema.map((c) => c.name);
		expect(inputs).toContain('date');
		const { features } = monitoredFeatures(manifest.recipe, inputs);
		expect(features).not.toContain('date');
		expect(features).toEqual(
			expect.arrayContaining(['date (month)', 'date (weekday)', 'x', 'shop'])
		);

		// The next year, from the same world: every date lies after the training range.
		const later = await dated('2023-01-01', 200, 9);
		const check = await checkBatch(loaded, later);
		const names = check.report.features.map((f) => f.name);
		expect(names).not.toContain('date');
		expect(check.report.features.every((f) => f.outOfRange === null || f.outOfRange === 0)).toBe(
			true
		);
		expect(check.report.datasetDrift).toBe(false);
		const kinds = batchAlerts(check).map((a) => a.kind);
		expect(kinds).not.toContain('out-of-range');
	});

	it('shows a one-month batch’s calendar positions, but never counts them as drift', async () => {
		// March of the next year, from the same world: its months and days of year are all March.
		const march = await dated('2023-03-01', 31, 5);
		const check = await checkBatch(loaded, march);
		const month = check.report.features.find((f) => f.name === 'date (month)')!;
		expect(month.calendar).toBe(true);
		// The test itself sees the difference (it would have flagged the month)…
		expect(month.pValue ?? 0).toBeLessThan(0.05);
		// …but neither the feature, the share nor the dataset counts it.
		expect(month.drifted).toBe(false);
		const counted = check.report.features.filter((f) => !f.calendar);
		expect(counted.map((f) => f.name)).toEqual(expect.arrayContaining(['x', 'shop']));
		expect(check.report.driftShare).toBe(counted.filter((f) => f.drifted).length / counted.length);
		expect(check.report.datasetDrift).toBe(false);
		expect(batchAlerts(check).map((a) => a.kind)).not.toContain('dataset-drift');
		// A real change in the inputs still counts: x moved up by one.
		const moved: Table = {
			...march,
			columns: march.columns.map((c) =>
				c.name === 'x' && c.storage === 'float' ? { ...c, values: c.values.map((v) => v + 1) } : c
			)
		};
		const x = (await checkBatch(loaded, moved)).report.features.find((f) => f.name === 'x')!;
		expect(x.drifted).toBe(true);
		expect(x.calendar).toBeUndefined();
	});

	it('leaves out what the user ignores, and still requires every input', async () => {
		const later = await dated('2023-01-01', 60, 4);
		const check = await checkBatch(loaded, later, { ...DEFAULT_THRESHOLDS, ignored: ['x'] });
		expect(check.report.features.map((f) => f.name)).not.toContain('x');
		const undated = await dated('2023-01-01', 60, 4, false);
		const missing = await checkBatch(loaded, undated);
		expect(missing.report.schema.missingColumns).toEqual(['date']);
		expect(missing.performance).toBeNull();
	});
});
