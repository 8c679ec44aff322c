import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FittedRecipe } from '../recipe/types';
import type { Column, Table } from '../table/types';
import { inputDrift } from './inputs';
import { driftReport } from './report';
import { pushdownPlan } from './pushdown-plan';
import { pushdownSql } from './pushdown-sql';
import { readSummary, summaryCheck } from './pushdown-summary';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { DriftReport, FeatureDrift } from './types';

/**
 * The pushdown query run by a real engine (DuckDB, in process) on a generated table of 10 million
 * rows: the report from its summary equals the report from the same rows read into the studio's
 * tables — counts-based statistics exactly, KS and Wasserstein inside their stated bounds, every
 * verdict identical.
 */
const BATCH_ROWS = 10_000_000;
const REFERENCE_ROWS = 5_000;
const ODD = `it's "odd", col`;

// A recipe that derives a date's month, weekday and hour (what the monitor compares).
const recipe = {
	steps: [
		{
			column: 'when',
			kind: 'datetime',
			parts: (['month', 'weekday', 'hour'] as const).map((part) => ({
				part,
				numeric: { fill: 0, indicator: false, scale: null }
			}))
		}
	]
} as unknown as Pick<FittedRecipe, 'steps'>; // the datetime step's numeric part is not read here
const inputs = ['amount', 'rooms', 'colour', 'when', 'signup', ODD];

/** Rows drawn in SQL: `shift` moves the amount, `mauve` adds an unseen colour, `late` the dates. */
function rowsSql(n: number, drifted: boolean): string {
	// A scoring job's predictions beside the labels: right 80 % of the time, some missing.
	return `SELECT *, CASE WHEN random() < 0.01 THEN NULL WHEN random() < 0.8 THEN label
		WHEN label = 'yes' THEN 'no' ELSE 'yes' END AS pred FROM (SELECT
	CASE WHEN random() < 0.02 THEN NULL WHEN random() < 0.001 THEN 'NaN'::DOUBLE
		ELSE ${drifted ? 56 : 50} + 10 * sqrt(-2 * ln(random())) * cos(2 * pi() * random()) END AS amount,
	CASE WHEN random() < ${drifted ? 0.4 : 0.25} THEN 0 ELSE 1 + floor(random() * 3)::INTEGER END AS rooms,
	CASE WHEN random() < 0.01 THEN NULL WHEN random() < 0.005 THEN ''
		WHEN ${drifted ? 'random() < 0.1' : 'false'} THEN 'mauve'
		ELSE ['red', 'green', 'blue', 'it''s'][1 + floor(random() * 4)::INTEGER] END AS colour,
	TIMESTAMP '2024-01-01' + to_seconds(floor(random() * 86400 * ${drifted ? 60 : 365})::BIGINT) AS "when",
	TIMESTAMP '2020-01-01' + to_seconds(floor(random() * 86400 * 1000)::BIGINT) AS signup,
	floor(random() * ${drifted ? 14 : 12})::DOUBLE - ${drifted ? 1 : 0} AS "${ODD.replaceAll('"', '""')}",
	CASE WHEN random() < ${drifted ? 0.5 : 0.3} THEN 'yes' ELSE 'no' END AS label
FROM range(${n}) r(i))`;
}

let db: DuckDBInstance;
let connection: DuckDBConnection;
let reference: Table;
let batch: Table;

/** A table's columns into the studio's column types (instants as epoch milliseconds). */
async function readTable(name: string): Promise<Table> {
	const result = await connection.run(
		`SELECT amount, rooms, colour, epoch_ms("when"), epoch_ms(signup), "${ODD.replaceAll('"', '""')}", label, pred FROM ${name}`
	);
	const count = Number(
		(await connection.runAndReadAll(`SELECT count(*) FROM ${name}`)).getRows()[0]![0]
	);
	const numbers = [0, 1, 3, 4, 5].map(() => new Float64Array(count));
	const codes = new Int32Array(count);
	const categories: string[] = [];
	const index = new Map<string, number>();
	const labels = new Int32Array(count);
	const predicted = new Int32Array(count);
	let at = 0;
	for (;;) {
		const chunk = await result.fetchChunk();
		if (!chunk || chunk.rowCount === 0) break;
		[0, 1, 3, 4, 5].forEach((c, k) => {
			const values = chunk.getColumnValues(c);
			const out = numbers[k]!;
			for (let i = 0; i < values.length; i++) {
				const v = values[i];
				out[at + i] = v === null ? NaN : Number(v);
			}
		});
		const colours = chunk.getColumnValues(2);
		for (let i = 0; i < colours.length; i++) {
			const v = colours[i];
			// The CSV reader's rule: an empty cell is missing.
			if (v === null || v === '') {
				codes[at + i] = -1;
				continue;
			}
			let code = index.get(String(v));
			if (code === undefined) {
				code = categories.length;
				index.set(String(v), code);
				categories.push(String(v));
			}
			codes[at + i] = code;
		}
		const answers = chunk.getColumnValues(6);
		for (let i = 0; i < answers.length; i++) labels[at + i] = answers[i] === 'yes' ? 0 : 1;
		const guesses = chunk.getColumnValues(7);
		for (let i = 0; i < guesses.length; i++)
			predicted[at + i] = guesses[i] === null ? -1 : guesses[i] === 'yes' ? 0 : 1;
		at += chunk.rowCount;
	}
	const float = (name: string, values: Float64Array, type: 'numeric' | 'datetime'): Column => ({
		storage: 'float',
		name,
		type,
		values
	});
	return {
		rowCount: count,
		columns: [
			float('amount', numbers[0]!, 'numeric'),
			float('rooms', numbers[1]!, 'numeric'),
			{ storage: 'coded', name: 'colour', type: 'categorical', categories, codes },
			float('when', numbers[2]!, 'datetime'),
			float('signup', numbers[3]!, 'datetime'),
			float(ODD, numbers[4]!, 'numeric'),
			{
				storage: 'coded',
				name: 'label',
				type: 'categorical',
				categories: ['yes', 'no'],
				codes: labels
			},
			{
				storage: 'coded',
				name: 'pred',
				type: 'categorical',
				categories: ['yes', 'no'],
				codes: predicted
			}
		]
	};
}

async function summaryRecords(sql: string): Promise<Record<string, unknown>[]> {
	const reader = await connection.runAndReadAll(sql);
	return reader.getRowObjects() as Record<string, unknown>[];
}

beforeAll(async () => {
	db = await DuckDBInstance.create(':memory:', { threads: '2' });
	connection = await db.connect();
	await connection.run('SELECT setseed(0.25)');
	await connection.run(`CREATE TABLE reference AS ${rowsSql(REFERENCE_ROWS, false)}`);
	await connection.run(`CREATE TABLE batch AS ${rowsSql(BATCH_ROWS, true)}`);
	reference = await readTable('reference');
	batch = await readTable('batch');
}, 120_000);

afterAll(() => {
	connection?.closeSync();
});

function expectSameReport(fromSummary: DriftReport, fromRows: DriftReport): void {
	expect(fromSummary.currentRows).toBe(fromRows.currentRows);
	expect(fromSummary.datasetDrift).toBe(fromRows.datasetDrift);
	expect(fromSummary.driftShare).toBe(fromRows.driftShare);
	const rows = new Map(fromRows.features.map((f) => [f.name, f]));
	expect(fromSummary.features.map((f) => f.name).sort()).toEqual([...rows.keys()].sort());
	for (const s of fromSummary.features) expectSameFeature(s, rows.get(s.name)!);
}

function expectSameFeature(s: FeatureDrift, r: FeatureDrift): void {
	const where = `feature "${s.name}"`;
	// Counts-based: exactly the same numbers.
	expect(s.bins, where).toEqual(r.bins);
	expect(s.psi, where).toBe(r.psi);
	expect(s.test, where).toBe(r.test);
	expect(s.referenceMissing, where).toBe(r.referenceMissing);
	expect(s.currentMissing, where).toBe(r.currentMissing);
	expect(s.outOfRange, where).toBe(r.outOfRange);
	expect(s.unseenShare, where).toBe(r.unseenShare);
	expect(s.drifted, where).toBe(r.drifted);
	if (!s.bound) {
		expect(s.statistic, where).toBe(r.statistic);
		expect(s.pValue, where).toBe(r.pValue);
		return;
	}
	// Order-based: the rows' value inside the summary's bound.
	const [lo, hi] = s.bound.statistic;
	expect(r.statistic, where).toBeGreaterThanOrEqual(lo - 1e-12);
	expect(r.statistic, where).toBeLessThanOrEqual(hi + 1e-12);
	if (s.bound.pValue && r.pValue !== null) {
		expect(r.pValue, where).toBeGreaterThanOrEqual(s.bound.pValue[0] - 1e-12);
		expect(r.pValue, where).toBeLessThanOrEqual(s.bound.pValue[1] + 1e-12);
	}
}

describe('pushdown monitoring on DuckDB, 10 million rows', () => {
	const check = async (thresholds: DriftThresholds) => {
		const label = (t: Table) => t.columns.find((c) => c.name === 'label')!;
		const pred = (t: Table) => t.columns.find((c) => c.name === 'pred')!;
		const plan = pushdownPlan(
			recipe,
			inputs,
			reference,
			thresholds.ignored,
			{ column: 'pred', reference: pred(reference) },
			{ column: 'label', reference: label(reference) },
			['yes', 'no']
		);
		const sql = pushdownSql(plan, { dialect: 'duckdb', table: 'batch' });
		const records = await summaryRecords(sql);
		const summary = readSummary(plan, records);
		const fromSummary = summaryCheck(
			plan,
			recipe,
			reference,
			summary,
			REFERENCE_ROWS,
			thresholds,
			pred(reference),
			label(reference),
			{ accuracy: 0.8 }
		);
		const fromRows = inputDrift(recipe, inputs, reference, batch, thresholds, REFERENCE_ROWS);
		const only = (t: Table): Table => ({ rowCount: t.rowCount, columns: [label(t)] });
		const targetFromRows = driftReport(
			only(reference),
			only(batch),
			['label'],
			thresholds,
			REFERENCE_ROWS
		).features[0]!;
		return { records, fromSummary, fromRows, targetFromRows };
	};

	it('gives the raw report from a summary under 1 MB', async () => {
		const { records, fromSummary, fromRows, targetFromRows } = await check(DEFAULT_THRESHOLDS);
		expect(
			JSON.stringify(records, (_, v) => (typeof v === 'bigint' ? Number(v) : v)).length
		).toBeLessThan(1_000_000);
		expectSameReport(fromSummary.report, fromRows);
		const byName = new Map(fromSummary.report.features.map((f) => [f.name, f]));
		// The planted changes are found from the counts alone.
		expect(byName.get('amount')!.drifted).toBe(true);
		expect(byName.get('amount')!.bound!.statistic[0]).toBeGreaterThan(0.1);
		expect(byName.get('colour')!.unseenCount).toBe(1);
		expect(byName.get('colour')!.bins.labels).toContain('unseen (1 category)');
		expect(byName.get(ODD)!.outOfRange).toBeGreaterThan(0.1);
		expect(byName.get('signup')!.drifted).toBe(false);
		expect(fromSummary.report.datasetDrift).toBe(true);
		// Labels and predictions side by side: the confusion matrix, so the accuracy, exactly.
		let right = 0;
		let scored = 0;
		const labels = batch.columns.find((c) => c.name === 'label')!;
		const guesses = batch.columns.find((c) => c.name === 'pred')!;
		if (labels.storage !== 'coded' || guesses.storage !== 'coded') throw new Error('coded');
		for (let i = 0; i < batch.rowCount; i++) {
			if (guesses.codes[i]! < 0) continue;
			scored++;
			if (guesses.codes[i] === labels.codes[i]) right++;
		}
		expect(fromSummary.performance).toMatchObject({
			metric: 'accuracy',
			value: right / scored,
			rows: scored,
			reference: 0.8,
			estimated: false
		});
		expect(fromSummary.performance!.lower).toBeLessThan(right / scored);
		// The labels, counted in the target's bins: the same as from the rows, and drifted.
		expectSameFeature(fromSummary.targetDrift!, targetFromRows);
		expect(fromSummary.targetDrift!.drifted).toBe(true);
	}, 120_000);

	it('bounds KS when a feature is tested by KS', async () => {
		const thresholds: DriftThresholds = {
			...DEFAULT_THRESHOLDS,
			tests: [
				{ feature: 'amount', test: 'ks' },
				{ feature: 'signup', test: 'ks' }
			]
		};
		const { fromSummary, fromRows } = await check(thresholds);
		expectSameReport(fromSummary.report, fromRows);
		const amount = fromSummary.report.features.find((f) => f.name === 'amount')!;
		expect(amount.test).toBe('ks');
		expect(amount.drifted).toBe(true);
	}, 120_000);
});
