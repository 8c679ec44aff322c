import { beforeAll, describe, expect, it } from 'vitest';
import { trainPenguins, type PenguinsModel } from '../../../../tests/unit/penguins-model';
import { loadBundleModel, predictTable } from '../bundle/predict';
import { takeRows } from '../table/rows';
import { explainTable } from './explain';

let trained: PenguinsModel;

beforeAll(async () => {
	trained = await trainPenguins(20);
}, 60_000);

describe('explainTable', () => {
	it('explains a calibrated classifier’s own output: contributions scaled by its map, adding up to the calibrated probabilities', async () => {
		const rows = takeRows(
			trained.table,
			Int32Array.from({ length: 12 }, (_, i) => i * 25),
			trained.table.columns.map((c) => c.name)
		);
		const raw = { ...trained.manifest, probabilityCalibration: null };
		const map = { method: 'temperature' as const, scale: 0.5, bias: [0, 0, 0] };
		const calibrated = {
			...trained.manifest,
			probabilityCalibration: {
				map,
				method: 'temperature' as const,
				rows: 100,
				raw: 0.3,
				calibrated: 0.2,
				error: 0.01,
				test: { raw: 0.3, calibrated: 0.2 }
			}
		};
		const saved = trained.result.artifacts.model;
		const before = await explainTable(await loadBundleModel(raw, saved), rows);
		const loaded = await loadBundleModel(calibrated, saved);
		const after = await explainTable(loaded, rows);
		const predicted = await predictTable(loaded, rows);
		after.rows.forEach((r, i) => {
			for (const [column, values] of Object.entries(r.contributions))
				values.forEach((v, k) =>
					expect(v).toBeCloseTo(0.5 * before.rows[i]!.contributions[column]![k]!, 12)
				);
			// softmax(output) is the calibrated prediction.
			const max = Math.max(...r.output);
			const e = r.output.map((v) => Math.exp(v - max));
			const sum = e.reduce((a, b) => a + b, 0);
			e.forEach((v, k) => expect(v / sum).toBeCloseTo(predicted.probabilities![i * 3 + k]!, 6));
		});
	});
});
