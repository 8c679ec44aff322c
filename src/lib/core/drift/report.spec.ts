import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../stats/random';
import type { Table } from '../table/types';
import { DEFAULT_THRESHOLDS } from './thresholds';
import { driftReport } from './report';
import { alertText, batchAlerts } from './alerts';
import type { DriftThresholds } from './thresholds';
import type { DriftReport } from './types';

/** The alerts of a two-file report, in words. */
const alertsOf = (report: DriftReport, thresholds?: DriftThresholds) =>
	batchAlerts({ report }, thresholds).map(alertText);
import { coded, numeric } from '../../../../tests/unit/columns';

/** A table of n rows: x ~ N(shift, 1), y ~ N(0, 1), colour with shares p, flag 0/1. */
function sample(n: number, seed: number, shift = 0, colours = ['red', 'green', 'blue']): Table {
	const random = seededRandom(seed);
	return {
		rowCount: n,
		columns: [
			numeric(
				'x',
				Array.from({ length: n }, () => shift + gaussian(random))
			),
			numeric(
				'y',
				Array.from({ length: n }, () => gaussian(random))
			),
			coded(
				'colour',
				Array.from({ length: n }, () => colours[Math.floor(random() * colours.length)]!)
			),
			coded(
				'flag',
				Array.from({ length: n }, () => (random() < 0.3 ? 'yes' : 'no'))
			)
		]
	};
}
const FEATURES = ['x', 'y', 'colour', 'flag'];

describe('driftReport', () => {
	it('finds no drift in a batch from the same distribution (tests on a small reference)', () => {
		const report = driftReport(sample(800, 1), sample(600, 2), FEATURES);
		expect(report.features.map((f) => `${f.name}:${f.test}`).sort()).toEqual([
			'colour:chi_square',
			'flag:z_test',
			'x:ks',
			'y:ks'
		]);
		expect(report.features.filter((f) => f.drifted)).toEqual([]);
		expect(report.datasetDrift).toBe(false);
		expect(alertsOf(report)).toEqual([]);
		for (const f of report.features) expect(f.psiBand).toBe('stable');
	});

	it('flags the shifted feature first, with distances on a large reference', () => {
		const report = driftReport(sample(5000, 3), sample(2000, 4, 0.8), FEATURES);
		const x = report.features[0]!;
		expect(x.name).toBe('x');
		expect(x.test).toBe('wasserstein');
		expect(x.drifted).toBe(true);
		expect(x.statistic).toBeGreaterThan(0.5);
		expect(x.psiBand).toBe('significant');
		// Medians of N(0, 1) and N(0.8, 1) samples, by pandas' (linear) quantile.
		expect(x.medians!.reference).toBeCloseTo(0, 1);
		expect(x.medians!.current).toBeCloseTo(0.8, 1);
		expect(report.features.find((f) => f.name === 'colour')!.medians).toBeNull();
		expect(report.features.find((f) => f.name === 'colour')!.test).toBe('jensen_shannon');
		expect(report.features.filter((f) => f.drifted).map((f) => f.name)).toEqual(['x']);
		expect(report.driftShare).toBe(0.25);
	});

	it('calls dataset drift when half the features drift, and says why', () => {
		const shifted = sample(500, 6, 1.5, ['red', 'red', 'purple']);
		const report = driftReport(sample(500, 5), shifted, FEATURES);
		expect(report.datasetDrift).toBe(true);
		expect(alertsOf(report)[0]).toMatch(/^Dataset drift: 2 of 4 features drifted/);
		expect(alertsOf(report).join(' ')).toMatch(
			/"colour" has categories never seen in training: "purple"/
		);
	});

	it('handles constant features, an all-missing batch column, and refuses unusable batches', () => {
		const reference: Table = {
			rowCount: 50,
			columns: [
				numeric('c', new Array(50).fill(3)),
				numeric(
					'm',
					Array.from({ length: 50 }, (_, i) => i)
				)
			]
		};
		const batch: Table = {
			rowCount: 40,
			columns: [numeric('c', new Array(40).fill(3)), numeric('m', new Array(40).fill(NaN))]
		};
		const report = driftReport(reference, batch, ['c', 'm']);
		const c = report.features.find((f) => f.name === 'c')!;
		expect(c.drifted).toBe(false);
		const m = report.features.find((f) => f.name === 'm')!;
		expect(m.drifted).toBe(true);
		expect(m.currentMissing).toBe(1);
		expect(alertsOf(report).join(' ')).toMatch(
			/"m" is missing in 100.0 % of the batch \(reference 0.0 %\)/
		);
		expect(() => driftReport(reference, { rowCount: 0, columns: [] }, ['c'])).toThrow(
			'The batch has no rows'
		);
		expect(() =>
			driftReport(reference, { rowCount: 1, columns: [numeric('other', [1])] }, ['c', 'm'])
		).toThrow(/shares no column with the reference/);
	});

	it('alerts when a numeric feature leaves the range seen in training', () => {
		const reference = {
			rowCount: 101,
			columns: [
				numeric(
					'x',
					Array.from({ length: 101 }, (_, i) => i / 10)
				)
			]
		};
		const batch = {
			rowCount: 101,
			columns: [
				numeric(
					'x',
					Array.from({ length: 101 }, (_, i) => 5 + i / 10)
				)
			]
		};
		const report = driftReport(reference, batch, ['x']);
		expect(report.features[0]!.outOfRange).toBeCloseTo(50 / 101, 12);
		expect(alertsOf(report)).toContain('49.5 % of "x" lies outside the range seen in training.');
		const thresholds = { ...DEFAULT_THRESHOLDS, outOfRange: 0.6 };
		const lenient = driftReport(reference, batch, ['x'], thresholds);
		expect(alertsOf(lenient, thresholds).join(' ')).not.toContain('outside the range');
	});

	it('compares every batch on the reference’s own bins (PSI comparable from batch to batch)', () => {
		const reference = sample(500, 3);
		const calm = driftReport(reference, sample(400, 4), FEATURES);
		const shifted = driftReport(reference, sample(400, 5, 3), FEATURES);
		const x = (r: DriftReport) => r.features.find((f) => f.name === 'x')!;
		// Sturges over the reference's 500 rows and range: 10 bins, whatever the batch.
		const inRange = (r: DriftReport) => x(r).bins.labels.filter((l) => !/^(below|above) /.test(l));
		expect(x(calm).bins.reference.reduce((a, b) => a + b, 0)).toBe(500);
		for (const label of inRange(shifted)) expect(inRange(calm)).toContain(label);
		// The shifted batch's values past the reference's maximum are counted above it.
		const above = x(shifted).bins.labels.findIndex((l) => l.startsWith('above '));
		expect(above).toBeGreaterThan(0);
		expect(x(shifted).bins.reference[above]).toBe(0);
		expect(x(shifted).bins.current[above]).toBeGreaterThan(150);
		expect(x(shifted).bins.current.reduce((a, b) => a + b, 0)).toBe(400);
	});

	it('pools a batch’s unseen categories and unseen values in one bin each, naming them', () => {
		const reference = sample(500, 6, 0, ['red', 'green']);
		const batch = sample(500, 7, 0, ['red', 'green', 'blue', 'violet']);
		const colour = driftReport(reference, batch, FEATURES).features.find(
			(f) => f.name === 'colour'
		)!;
		expect(colour.bins.labels.slice(0, 2).sort()).toEqual(['green', 'red']);
		expect(colour.bins.labels[2]).toBe('unseen (2 categories)');
		expect(colour.unseen.sort()).toEqual(['blue', 'violet']);
		expect(colour.bins.reference[2]).toBe(0);
		expect(colour.bins.current[2]! / 500).toBeCloseTo(colour.unseenShare!, 12);
		// A number with few values: the batch's others pooled as "other values".
		const few = (values: number[]) => ({
			rowCount: values.length,
			columns: [numeric('n', values)]
		});
		const counted = driftReport(
			few(Array.from({ length: 90 }, (_, i) => 1 + (i % 3))),
			few(Array.from({ length: 90 }, (_, i) => 1 + (i % 5))),
			['n']
		).features[0]!;
		expect(counted.bins.labels).toEqual(['1', '2', '3', 'other values']);
		expect(counted.bins.current).toEqual([18, 18, 18, 36]);
	});

	it('labels a datetime feature’s bins with dates', () => {
		const years = (from: number) =>
			({
				...numeric(
					'year',
					Array.from({ length: 60 }, (_, i) => Date.UTC(from + (i % 6), 0, 1))
				),
				type: 'datetime'
			}) as const;
		const report = driftReport(
			{ rowCount: 60, columns: [years(1970)] },
			{ rowCount: 60, columns: [years(1972)] },
			['year']
		);
		expect(report.features[0]!.bins.labels.slice(0, 3)).toEqual([
			'1970-01-01',
			'1971-01-01',
			'1972-01-01'
		]);
		expect(report.features[0]!.medians).toMatchObject({ datetime: true });
	});

	it('reports schema changes: missing, extra and retyped columns', () => {
		const reference = sample(300, 7);
		const batch: Table = {
			rowCount: 300,
			columns: [
				coded('x', new Array(300).fill('a')),
				reference.columns[1]!,
				numeric('new', new Array(300).fill(1))
			]
		};
		const report = driftReport(reference, batch, FEATURES);
		expect(report.schema.missingColumns).toEqual(['colour', 'flag']);
		expect(report.schema.extraColumns).toEqual(['new']);
		expect(report.schema.typeChanges).toEqual([
			{ name: 'x', reference: 'numeric', current: 'categorical' }
		]);
	});
});

describe('a 2,000,000-row batch', () => {
	it('streams through the reader and gets a report, with memory bounded by its columns', async () => {
		const { readTable } = await import('../table/read');
		const { sniffDialect } = await import('../table/dialect');
		const encoder = new TextEncoder();
		const header = 'x,colour\n';
		async function* chunks(): AsyncIterable<Uint8Array> {
			yield encoder.encode(header);
			const random = seededRandom(11);
			for (let block = 0; block < 200; block++) {
				let text = '';
				for (let i = 0; i < 10_000; i++)
					text += `${(0.3 + gaussian(random)).toFixed(4)},${random() < 0.5 ? 'red' : 'blue'}\n`;
				yield encoder.encode(text);
			}
		}
		const before = process.memoryUsage();
		const { table } = await readTable(chunks(), {
			dialect: sniffDialect(encoder.encode(`${header}1,red\n`), 'b.csv'),
			totalBytes: 30_000_000
		});
		expect(table.rowCount).toBe(2_000_000);
		const reference = sample(800, 12, 0, ['red', 'blue']);
		const report = driftReport(reference, table, ['x', 'colour']);
		expect(report.features.find((f) => f.name === 'x')!.drifted).toBe(true);
		expect(report.features.find((f) => f.name === 'colour')!.test).toBe('z_test');
		expect(report.currentRows).toBe(2_000_000);
		const after = process.memoryUsage();
		// 2 M rows as typed columns: 16 MB + 8 MB, far below the ~26 MB of text seen.
		expect(
			after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers
		).toBeLessThan(200 * 1024 * 1024);
	});
});

describe('thresholds and tests chosen per monitor', () => {
	it('uses the test chosen for a feature and the thresholds given', () => {
		const reference = sample(800, 21);
		const batch = sample(600, 22, 0.15);
		const auto = driftReport(reference, batch, FEATURES);
		expect(auto.features.find((f) => f.name === 'x')!.test).toBe('ks');
		const chosen = driftReport(reference, batch, FEATURES, {
			pValue: 0.05,
			distance: 0.01,
			datasetShare: 0.2,
			missingChange: 0.1,
			tests: [
				{ feature: 'x', test: 'wasserstein' },
				{ feature: 'colour', test: 'jensen_shannon' }
			]
		});
		const x = chosen.features.find((f) => f.name === 'x')!;
		expect(x.test).toBe('wasserstein');
		expect(x.drifted).toBe(x.statistic >= 0.01);
		expect(chosen.features.find((f) => f.name === 'colour')!.test).toBe('jensen_shannon');
		expect(chosen.datasetDrift).toBe(chosen.driftShare >= 0.2);
	});
});
