import { describe, expect, it } from 'vitest';
import {
	DEFAULT_POLICY,
	retrainingTable,
	retrainSuggestion,
	splitBatch,
	type BatchSignal
} from './retrain';
import { coded, numeric } from '../../../../tests/unit/columns';
import type { CodedColumn, FloatColumn, Table } from '../table/types';
import type { TrainingColumn } from './retrain';

const COLUMNS: TrainingColumn[] = [
	{ name: 'x', type: 'numeric', storage: 'float' },
	{ name: 'island', type: 'categorical', storage: 'coded' },
	{ name: 'note', type: 'text', storage: 'coded' },
	{ name: 'species', type: 'categorical', storage: 'coded' }
];
const REQUIRED = ['x', 'island', 'species'];

const base: Table = {
	rowCount: 2,
	columns: [
		coded('species', ['A', 'B']),
		numeric('x', [1, 2]),
		coded('island', ['Dream', 'Biscoe']),
		{ ...coded('note', ['n1', null]), type: 'text' }
	]
};

describe('retrainingTable', () => {
	it('appends batches fitted to the training columns: numbers read as text, absent extras missing', () => {
		// The batch read "x" as text (one odd cell) and has no "note" column.
		const batch: Table = {
			rowCount: 3,
			columns: [
				coded('x', ['3', 'oops', '5']),
				coded('island', ['Torgersen', 'Dream', null]),
				coded('species', ['C', 'A', 'B'])
			]
		};
		const { table, problemCount } = retrainingTable(COLUMNS, REQUIRED, base, [
			{ name: 'b1.csv', table: batch }
		]);
		expect(problemCount).toBe(1);
		expect(table.rowCount).toBe(5);
		expect(table.columns.map((c) => c.name)).toEqual(['x', 'island', 'note', 'species']);
		expect(Array.from((table.columns[0] as FloatColumn).values)).toEqual([1, 2, 3, NaN, 5]);
		const island = table.columns[1] as CodedColumn;
		expect(island.categories).toEqual(['Dream', 'Biscoe', 'Torgersen']);
		expect(Array.from(island.codes)).toEqual([0, 1, 2, 0, -1]);
		const note = table.columns[2] as CodedColumn;
		expect(note.type).toBe('text');
		expect(Array.from(note.codes)).toEqual([0, -1, -1, -1, -1]);
		expect((table.columns[3] as CodedColumn).categories).toEqual(['A', 'B', 'C']);
	});

	it('trains on batches alone when the original data is left out', () => {
		const batch: Table = {
			rowCount: 1,
			columns: [numeric('x', [7]), coded('island', ['Dream']), coded('species', ['A'])]
		};
		const { table } = retrainingTable(COLUMNS, REQUIRED, null, [{ name: 'b', table: batch }]);
		expect(table.rowCount).toBe(1);
		expect(table.columns.map((c) => c.storage)).toEqual(['float', 'coded', 'coded', 'coded']);
	});

	it('refuses a batch without the target, and an empty choice', () => {
		const unlabelled: Table = {
			rowCount: 1,
			columns: [numeric('x', [7]), coded('island', ['Dream'])]
		};
		expect(() =>
			retrainingTable(COLUMNS, REQUIRED, base, [{ name: 'live.csv', table: unlabelled }])
		).toThrow(/Batch "live.csv" lacks "species"/);
		expect(() => retrainingTable(COLUMNS, REQUIRED, null, [])).toThrow(/Pick the training data/);
	});
});

describe('splitBatch', () => {
	it('holds out the newest rows (the last, in file order) for the comparison', () => {
		const n = 50;
		const table: Table = {
			rowCount: n,
			columns: [
				numeric(
					'x',
					Array.from({ length: n }, (_, i) => i)
				),
				coded(
					'y',
					Array.from({ length: n }, (_, i) => (i % 2 ? 'A' : 'B'))
				)
			]
		};
		const { train, compare } = splitBatch(table, 0.3);
		expect([train.rowCount, compare.rowCount]).toEqual([35, 15]);
		expect(Array.from((train.columns[0] as FloatColumn).values).at(-1)).toBe(34);
		expect(Array.from((compare.columns[0] as FloatColumn).values)).toEqual(
			Array.from({ length: 15 }, (_, i) => 35 + i)
		);
		expect((compare.columns[1] as CodedColumn).categories).toEqual(['B', 'A']);
		expect(() => splitBatch(table, 0.9)).toThrow(/leaves 5 rows to train on and 45 to compare on/);
		expect(() => splitBatch(table, 0)).toThrow(/between 0 and 1/);
	});
});

describe('retrainSuggestion', () => {
	const signal = (over: Partial<BatchSignal>): BatchSignal => ({
		fileName: 'b.csv',
		datasetDrift: false,
		driftedFeatures: 0,
		features: 6,
		performance: null,
		...over
	});
	const perf = (value: number, estimated = false, upper: number | null = null) => ({
		metric: 'accuracy',
		value,
		reference: 0.95,
		estimated,
		upper
	});

	it('is quiet for a stable batch, and without any batch', () => {
		expect(retrainSuggestion(signal({ performance: perf(0.93) }), DEFAULT_POLICY)).toBeNull();
		expect(retrainSuggestion(null, DEFAULT_POLICY)).toBeNull();
	});

	it('names dataset drift and a measured drop beyond the policy', () => {
		const text = retrainSuggestion(
			signal({ datasetDrift: true, driftedFeatures: 4, performance: perf(0.8) }),
			DEFAULT_POLICY
		);
		expect(text).toContain('dataset drift (4 of 6 features)');
		expect(text).toContain('accuracy 0.800, more than 0.05 below the test score 0.950');
	});

	it('counts an estimate only when its whole band is below the line', () => {
		expect(
			retrainSuggestion(signal({ performance: perf(0.85, true, 0.92) }), DEFAULT_POLICY)
		).toBeNull();
		expect(
			retrainSuggestion(signal({ performance: perf(0.85, true, 0.88) }), DEFAULT_POLICY)
		).toContain('estimated accuracy 0.850');
	});

	it('follows the policy: off, or drift not counted', () => {
		const drifted = signal({ datasetDrift: true, driftedFeatures: 3 });
		expect(retrainSuggestion(drifted, { ...DEFAULT_POLICY, enabled: false })).toBeNull();
		expect(retrainSuggestion(drifted, { ...DEFAULT_POLICY, onDatasetDrift: false })).toBeNull();
	});
});
