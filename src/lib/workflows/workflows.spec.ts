import 'fake-indexeddb/auto';
import { DEFAULT_AUTOPILOT } from '../core/drift/autopilot';
import { beforeAll, describe, expect, it } from 'vitest';
import { packBundle } from '../core/bundle/pack';
import { unpackBundle } from '../core/bundle/unpack';
import { modelIdentity } from '../core/bundle/bytes';
import { DriftwoodError } from '../core/errors';
import type { ExperimentConfig, ExperimentResult } from '../core/model/experiment';
import { DEFAULT_MLP } from '../core/model/spec';
import { hashTable } from '../core/hash/table';
import { saveVersion } from '../storage/datasets';
import { openDatabase, type Database } from '../storage/db';
import { getRun, getRunArtifacts, listRuns } from '../storage/runs';
import type { VersionRecord } from '../storage/types';
import type { TrainProgress } from '../workers/train-api';
import { trainPenguins, type PenguinsModel } from '../../../tests/unit/penguins-model';
import { CSV_DIALECT } from '../../../tests/unit/columns';
import { bundlePartsOf, importOpenedBundle, registerRun, runCard } from './register';
import { newRun, trainRun, trainSearch, type TrainCall } from './train';
import { challengerOf, promoteChallenger, retrainChallenger, type RetrainDeps } from './retrain';
import { dataApi } from '../workers/data-api';
import { getModel, listModelVersions } from '../storage/models';
import { md } from '../core/bundle/card';
import { getSettings, listRetrains, putBatch, putSettings } from '../storage/monitor';
import { DEFAULT_THRESHOLDS } from '../core/drift/thresholds';
import { DEFAULT_POLICY } from '../core/drift/retrain';
import type { LabelledScore } from '../core/drift/monitor';
import { comparePaired } from '../core/evaluate/paired';
import type { MonitorBatchRecord } from '../storage/types';
import { StorageError } from '../storage/errors';
import { batchRecord, storeBatch } from './monitor';
import { saveImport } from './import';
import { saveWithoutFlagged } from './audit';
import type { AuditResult } from '../core/audit/audit';
import { auditLineageText, rowsToLeaveOut } from '../core/audit/flags';
import { adoptSimulatedPolicy, autopilotAfterBatch, versionsTrainedOn } from './autopilot';

let penguins: PenguinsModel;
let db: Database;
let version: VersionRecord;

beforeAll(async () => {
	penguins = await trainPenguins(8);
	db = await openDatabase(indexedDB, {}, 'workflows');
	({ version } = await saveVersion(db, {
		name: 'penguins',
		table: penguins.table,
		tableId: await hashTable(penguins.table),
		source: { fileName: 'penguins.csv', bytes: 1 },
		dialect: CSV_DIALECT,
		report: { rows: 344, bytes: 1, raggedLines: [], raggedCount: 0, renamed: [], blankLines: 0 },
		inferredTypes: penguins.table.columns.map((c) => c.type),
		target: 'Species',
		profile: penguins.profile
	}));
}, 60_000);

/** A train worker stand-in: reports `epochs` epochs on a backend, then resolves or throws. */
function fakeTrain(epochs: number, outcome: ExperimentResult | Error): TrainCall {
	return async (_table, _config, onProgress, onBackend) => {
		onBackend({ name: 'cpu', adapter: null });
		onProgress({ stage: 'training' });
		for (let epoch = 1; epoch <= epochs; epoch++)
			onProgress({
				stage: 'training',
				epoch: { epoch, loss: 1 / epoch, valLoss: null, seconds: 0, tensors: 0 }
			} satisfies TrainProgress);
		if (outcome instanceof Error) throw outcome;
		return structuredClone(outcome);
	};
}

const config = (): ExperimentConfig => ({
	target: 'Species',
	task: 'auto',
	recipe: { target: 'Species', steps: [] },
	split: { kind: 'stratified', seed: 1, validation: 0.15, test: 0.2 },
	model: { ...DEFAULT_MLP, epochs: 8 },
	robustness: false,
	importance: false
});

/** A retrain's data and train workers, in process: the penguins run as every challenger's. */
function retrainWorkers(): Pick<RetrainDeps, 'prepare' | 'train'> {
	return {
		prepare: (...args) => dataApi.retrainingData(...args),
		train: async (data, datasetName, cfg) =>
			(
				await trainRun(
					db,
					fakeTrain(1, penguins.result),
					newRun(data, datasetName, cfg, null),
					data.tableId
				)
			).run
	};
}

describe('trainRun', () => {
	it('stores a finished run as a summary, with its model and reference apart', async () => {
		const run = newRun(version, 'penguins', config(), null, 1000, 'run-done');
		let heartbeats = 0;
		const clock = () => 1000 + heartbeats++;
		const outcome = await trainRun(
			db,
			fakeTrain(6, penguins.result),
			run,
			version.tableId,
			{},
			clock
		);
		expect(outcome).toMatchObject({ code: null, error: null, run: { status: 'done' } });
		const stored = (await getRun(db, 'run-done'))!;
		expect(stored.status).toBe('done');
		expect(stored.backend).toEqual({ name: 'cpu', adapter: null });
		expect(stored.result).not.toHaveProperty('artifacts');
		expect(stored.result?.test).toEqual(penguins.result.test);
		const listed = (await listRuns(db)).find((r) => r.id === 'run-done')!;
		expect(JSON.stringify(listed)).not.toContain('weights.bin');
		const artifacts = (await getRunArtifacts(db, 'run-done'))!;
		expect(artifacts.model.family).toBe('mlp');
		expect(artifacts.model.files['weights.bin']).toEqual(
			penguins.result.artifacts.model.files['weights.bin']
		);
		expect(artifacts.referenceSample.rows).toBe(penguins.result.finalRefit!.rows);
	});

	it('keeps a failure and a cancel as what they were, never thrown', async () => {
		const failed = await trainRun(
			db,
			fakeTrain(2, new DriftwoodError('Too few rows for this split.', 'split')),
			newRun(version, 'penguins', config(), null, 1, 'run-failed'),
			version.tableId
		);
		expect(failed).toMatchObject({ code: 'split', error: 'Too few rows for this split.' });
		expect(await getRun(db, 'run-failed')).toMatchObject({
			status: 'failed',
			error: 'Too few rows for this split.'
		});
		expect(await getRunArtifacts(db, 'run-failed')).toBeUndefined();
		const cancelled = await trainRun(
			db,
			fakeTrain(1, new DriftwoodError('Training cancelled.', 'cancelled')),
			newRun(version, 'penguins', config(), null, 1, 'run-cancelled'),
			version.tableId
		);
		expect(cancelled).toMatchObject({ code: 'cancelled', error: null });
		expect(await getRun(db, 'run-cancelled')).toMatchObject({ status: 'cancelled', error: null });
	});

	it('writes the curve back every few epochs while it runs (the heartbeat)', async () => {
		const run = newRun(version, 'penguins', config(), null, 1, 'run-live');
		let seen: number[] = [];
		const train: TrainCall = async (table, cfg, onProgress, onBackend) => {
			const result = fakeTrain(5, penguins.result)(table, cfg, onProgress, onBackend);
			await new Promise((r) => setTimeout(r, 20));
			seen = (await getRun(db, 'run-live'))!.history.map((e) => e.epoch);
			return result;
		};
		await trainRun(db, train, run, version.tableId);
		expect(seen).toEqual([1, 2, 3, 4, 5]);
	});

	it('ignores progress that arrives after the result (another message port)', async () => {
		const run = newRun(version, 'penguins', config(), null, 1, 'run-late');
		let late: (() => void) | null = null;
		const train: TrainCall = async (_table, _config, onProgress) => {
			late = () =>
				onProgress({
					stage: 'training',
					epoch: { epoch: 5, loss: 1, valLoss: null, seconds: 0, tensors: 0 }
				});
			return structuredClone(penguins.result);
		};
		await trainRun(db, train, run, version.tableId);
		late!();
		await new Promise((r) => setTimeout(r, 20));
		expect((await getRun(db, 'run-late'))?.status).toBe('done');
	});
});

describe('trainSearch', () => {
	it('marks the best trial by validation score and stops when the worker died', async () => {
		const worse = structuredClone(penguins.result);
		worse.validation = { ...worse.validation, accuracy: 0.1 };
		const results = [worse, penguins.result];
		let call = 0;
		const train: TrainCall = (table, cfg, onProgress, onBackend) =>
			call++ < 2
				? fakeTrain(1, results[call - 1]!)(table, cfg, onProgress, onBackend)
				: fakeTrain(1, new DriftwoodError('The worker stopped.', 'worker'))(
						table,
						cfg,
						onProgress,
						onBackend
					);
		const { best, outcomes } = await trainSearch(
			db,
			train,
			version,
			'penguins',
			[config(), config(), config(), config()],
			{},
			'search-1'
		);
		expect(outcomes.map((o) => o.run.status)).toEqual(['done', 'done', 'failed']);
		expect(best?.name).toMatch(/ · trial 2\/4 · #[0-9a-f]{6}$/);
		expect((await getRun(db, best!.id))?.searchBest).toBe(true);
	});
});

describe('registerRun and bundles', () => {
	it('registers a run, exports it, and knows the bundle when it comes back', async () => {
		const run = (await getRun(db, 'run-done'))!;
		const registered = await registerRun(db, {
			run,
			name: 'penguins',
			intendedUse: 'Tests.',
			limitations: '',
			now: new Date('2026-12-01T00:00:00Z')
		});
		expect(registered.version).toBe(1);
		expect(registered.manifest.model).toMatchObject({
			family: 'mlp',
			name: 'penguins',
			version: 1
		});
		expect(registered.manifest.reference.rows).toBe(penguins.result.finalRefit!.rows);
		expect(registered.card).toMatch(/- Refitted on the 275 training \+ validation rows/);
		expect(registered.card).toMatch(
			/this deployed model was then refitted on all 344 rows\*\* \(train \+ validation \+ test/
		);
		expect(registered.card).toContain('# penguins — version 1');
		// Three networks of d inputs → 32 relu → 3 softmax, stored side by side as one of 96
		// units: (d + 1)·96 + 97·3 weights.
		const d = penguins.result.recipe.features.length;
		expect(registered.card).toContain(
			`- Multilayer perceptron, the average of 3 networks trained from different seeds: each 1 hidden layer (32), relu, then softmax regression on their mean output (stored as one network of 96 units); ${((d + 1) * 96 + 97 * 3).toLocaleString('en-US')} trained parameters`
		);
		expect(await modelIdentity(registered.model)).toBe(
			await modelIdentity(penguins.result.artifacts.model)
		);
		const { fileName, parts } = bundlePartsOf(registered);
		expect(fileName).toBe('penguins-v1.driftwood.zip');
		const bundle = await unpackBundle(await packBundle(parts));
		// The run's settings travel with the model, for a replay (`driftwood retrain`).
		expect(bundle.manifest.training).toMatchObject({
			task: 'multiclass',
			recipe: { target: 'Species', steps: [] },
			split: { kind: 'stratified', seed: 1, validation: 0.15, test: 0.2, timeColumn: null },
			model: { kind: 'mlp', epochs: 8 }
		});
		const identity = await modelIdentity(bundle.model);
		const again = await importOpenedBundle(db, { ...bundle, identity });
		expect(again).toMatchObject({ duplicate: true, version: { id: registered.id } });
	});

	it('writes a run’s card before it is registered (its report), titled by the run', async () => {
		const run = (await getRun(db, 'run-done'))!;
		const before = (await listModelVersions(db)).length;
		const card = await runCard(db, run);
		// Its name as text (Markdown's specials escaped, as every name on a card).
		expect(card.split('\n')[0]).toBe(`# ${md(`Run ${run.name} on ${run.datasetName}`)}`);
		expect(card).toMatch(/this deployed model was then refitted on all 344 rows/);
		expect(card).toContain('## Test metrics (held-out rows)');
		// Nothing was registered by writing it.
		expect((await listModelVersions(db)).length).toBe(before);
		await expect(runCard(db, (await getRun(db, 'run-failed'))!)).rejects.toThrow(
			/Only a finished run/
		);
	});

	it('refuses a run that did not finish, saying why', async () => {
		const run = (await getRun(db, 'run-failed'))!;
		await expect(
			registerRun(db, { run, name: 'x', intendedUse: '', limitations: '' })
		).rejects.toThrow(/Only a finished run can be registered/);
	});
});

describe('retrainChallenger', () => {
	it('trains, registers and compares a challenger, and promotes it on request', async () => {
		const champion = (await getModel(db, 'penguins'))!.versions.at(-1)!;
		await putSettings(db, champion.id, {
			thresholds: { ...DEFAULT_THRESHOLDS, distance: 0.2, tests: [] },
			policy: { ...DEFAULT_POLICY },
			autopilot: { ...DEFAULT_AUTOPILOT }
		});
		const batch: MonitorBatchRecord = {
			id: 'batch-1',
			modelVersionId: champion.id,
			uploadedAt: 1,
			fileName: 'live.csv',
			rowCount: penguins.table.rowCount,
			report: { features: [] } as unknown as MonitorBatchRecord['report'],
			predictionDrift: null,
			performance: null,
			labelled: true
		};
		await putBatch(db, batch, penguins.table);
		// `value` of 100 rows right, row by row: the paired comparison reads the outcomes.
		const score = (value: number): LabelledScore => ({
			performance: {
				metric: 'accuracy',
				value,
				reference: 0.9,
				rows: 100,
				droppedUnknown: 0,
				metrics: { accuracy: value },
				estimated: false,
				lower: null,
				upper: null
			},
			confusion: null,
			outcomes: Float64Array.from({ length: 100 }, (_, i) => (i < value * 100 ? 1 : 0)),
			truth: null
		});
		const stages: string[] = [];
		const deps: RetrainDeps = {
			...retrainWorkers(),
			evaluate: async (version) => score(version.id === champion.id ? 0.7 : 0.95),
			onStage: (stage) => stages.push(stage)
		};
		const record = await retrainChallenger(db, deps, champion, [batch], {
			includeTraining: true,
			trainBatchIds: [],
			evalBatchId: 'batch-1',
			holdout: 0.3
		});
		expect(record).toMatchObject({ status: 'done', error: null });
		expect(record.champion?.value).toBe(0.7);
		expect(record.challenger?.value).toBe(0.95);
		// The older 70 % of the batch joined the original rows as the dataset's next version.
		const data = (await db.get('versions', record.datasetVersionId!))!;
		expect(data.version).toBe(2);
		expect(data.rowCount).toBe(344 + Math.round(344 * 0.7));
		expect(data.note).toBe(
			'Retraining data for penguins: penguins v1 + the older 70 % of the comparison batch'
		);
		const model = (await getModel(db, 'penguins'))!;
		expect(model.model.aliases.challenger).toBe(2);
		expect(record.challengerVersionId).toBe('penguins@2');
		expect((await getSettings(db, 'penguins@2')).thresholds.distance).toBe(0.2);
		expect(stages[0]).toBe('Preparing the training data');
		expect(stages.at(-1)).toMatch(/^Comparing both on "live.csv" \(newest 30 %\)/);

		// 25 more rows right of 100: better beyond noise, so no reason is needed.
		expect(record.comparison).toMatchObject({ metric: 'accuracy', verdict: 'better', rows: 100 });
		expect(record.comparison!.difference).toBeCloseTo(0.25, 12);
		const promoted = await promoteChallenger(db, record, '', 5);
		expect(promoted.promotedAt).toBe(5);
		const after = (await getModel(db, 'penguins'))!.model;
		expect(after.aliases.champion).toBe(2);
		expect(after.history.findLast((h) => h.alias === 'champion')!.note).toMatch(
			/^Promoted from the monitor \(better beyond noise: accuracy \+0\.2500/
		);
		expect((await listRetrains(db, champion.id))[0]?.promotedAt).toBe(5);

		// One row apart: no evidence. Promotion needs a reason, and the history says so.
		const close = {
			...record,
			comparison: comparePaired('accuracy', score(0.7).outcomes, score(0.71).outcomes)
		};
		expect(close.comparison?.verdict).toBe('no-difference');
		await expect(promoteChallenger(db, close, ' ', 6)).rejects.toThrow(
			/not better than the champion beyond noise/
		);
		await promoteChallenger(db, close, 'the newer data matters more', 6);
		expect(
			(await getModel(db, 'penguins'))!.model.history.findLast((h) => h.alias === 'champion')!.note
		).toMatch(/not better beyond noise: accuracy \+0\.0100 .*: the newer data matters more$/);
	});

	it('records why a retrain could not run, and registers nothing', async () => {
		const imported = (await getModel(db, 'penguins'))!.versions[0]!;
		const record = await retrainChallenger(db, {} as RetrainDeps, { ...imported, runId: '' }, [], {
			includeTraining: true,
			trainBatchIds: [],
			evalBatchId: 'none',
			holdout: null
		});
		expect(record).toMatchObject({
			status: 'failed',
			error: 'Pick the labelled batch to compare the two models on.',
			challengerVersionId: null
		});
	});
});

describe('autopilotAfterBatch', () => {
	it('acts only when its policy fires, promotes only a win beyond noise, and records why', async () => {
		const model = (await getModel(db, 'penguins'))!;
		const champion = model.versions.find((v) => v.version === model.model.aliases.champion)!;
		const old = model.versions.find((v) => v.version !== champion.version)!;
		const settings = {
			thresholds: { ...DEFAULT_THRESHOLDS, tests: [] },
			policy: { ...DEFAULT_POLICY },
			autopilot: { ...DEFAULT_AUTOPILOT, enabled: true, autoPromote: true }
		};
		await putSettings(db, champion.id, settings);
		await putSettings(db, old.id, settings);
		const batch = (id: string, value: number, lower: number, upper: number) =>
			({
				id,
				modelVersionId: champion.id,
				uploadedAt: Number(id.slice(-1)),
				fileName: `${id}.csv`,
				rowCount: penguins.table.rowCount,
				report: { features: [], schema: { missingColumns: [] }, datasetDrift: false },
				predictionDrift: null,
				performance: {
					metric: 'accuracy',
					value,
					reference: 0.9,
					rows: 344,
					droppedUnknown: 0,
					metrics: { accuracy: value },
					estimated: false,
					lower,
					upper
				},
				labelled: true,
				rowsKept: true
			}) as unknown as MonitorBatchRecord;
		const calm = batch('auto-1', 0.88, 0.84, 0.91);
		// Six points down, but its band reaches the line: noise could explain it.
		const noisy = batch('auto-2', 0.84, 0.78, 0.89);
		const dropped = batch('auto-3', 0.6, 0.55, 0.65);
		for (const b of [calm, noisy, dropped]) await putBatch(db, b, penguins.table);
		const right = (value: number): LabelledScore => ({
			performance: { ...calm.performance!, value, metrics: { accuracy: value } },
			confusion: null,
			outcomes: Float64Array.from({ length: 100 }, (_, i) => (i < value * 100 ? 1 : 0)),
			truth: null
		});
		let challengerScore = 0.95;
		const deps: RetrainDeps = {
			...retrainWorkers(),
			evaluate: async (version) => right(version.id === champion.id ? 0.7 : challengerScore)
		};

		for (const batches of [[calm], [calm, noisy]]) {
			const waited = await autopilotAfterBatch(db, deps, champion, batches);
			expect(waited.record).toBeNull();
			expect(waited.plan).toMatchObject({ act: false });
			expect((waited.plan as { reason: string }).reason).toMatch(/within noise of the test score/);
		}
		// The retired version's monitor is a record: it never acts.
		const retired = await autopilotAfterBatch(db, deps, old, [calm, noisy, dropped]);
		expect((retired.plan as { reason: string }).reason).toMatch(/is not the champion/);

		const acted = await autopilotAfterBatch(db, deps, champion, [calm, noisy, dropped]);
		const record = acted.record!;
		expect(record.status).toBe('done');
		// Window "all": the training data and both older labelled batches, the newest 30 % held out.
		expect(record.includeTraining).toBe(true);
		expect(record.trainBatches.map((b) => b.id)).toEqual(['auto-1', 'auto-2']);
		expect(record.evalBatch).toMatchObject({ id: 'auto-3', holdout: 0.3 });
		expect(record.autopilot!.reason).toMatch(/^measured accuracy 0\.600 on "auto-3.csv"/);
		const next = challengerOf(record)!.version;
		expect(record.autopilot!.decision).toMatch(
			new RegExp(`^Autopilot promoted v${next}: better beyond noise`)
		);
		const after = (await getModel(db, 'penguins'))!.model;
		expect(after.aliases.champion).toBe(next);
		const notes = after.history.slice(-3).map((h) => `${h.alias} ${h.version}: ${h.note}`);
		expect(notes[0]).toMatch(
			new RegExp(`^challenger ${next}: Retrained by the autopilot of v${champion.version}`)
		);
		expect(notes[1]).toMatch(
			new RegExp(
				`^champion ${next}: Promoted from the monitor .*: by the autopilot, after measured`
			)
		);
		expect((await listRetrains(db, champion.id))[0]!.autopilot!.decision).toBe(
			record.autopilot!.decision
		);

		// Auto-promote off, and a challenger no better: the champion stays, and the history says why.
		const promoted = (await getModel(db, 'penguins'))!.versions.find((v) => v.version === next)!;
		await putSettings(db, promoted.id, {
			...settings,
			autopilot: { ...settings.autopilot, autoPromote: false }
		});
		challengerScore = 0.7;
		const kept = await autopilotAfterBatch(
			db,
			{ ...deps, evaluate: async () => right(0.7) },
			promoted,
			[calm, dropped].map((b) => ({ ...b, modelVersionId: promoted.id }))
		);
		expect(kept.plan).toMatchObject({ act: true });
		expect(kept.record!.autopilot!.decision).toMatch(
			new RegExp(
				`^Autopilot kept v${promoted.version} as champion: v\\d+ against it, not better beyond noise: accuracy`
			)
		);
		const last = (await getModel(db, 'penguins'))!.model;
		expect(last.aliases.champion).toBe(promoted.version);
		expect(last.history.at(-1)!.note).toBe(kept.record!.autopilot!.decision);
		// The simulator's recommendation becomes the policy, keeping auto-promote and the hold-out.
		await adoptSimulatedPolicy(
			db,
			promoted.id,
			{ name: 'last 4 periods', trigger: 'every', every: 1, window: 'sliding', windowPeriods: 4 },
			'from the simulator'
		);
		expect((await getSettings(db, promoted.id)).autopilot).toEqual({
			...settings.autopilot,
			autoPromote: false,
			trigger: { kind: 'every', every: 1 },
			window: { kind: 'batches', count: 4 },
			source: 'from the simulator'
		});
		expect(
			(await versionsTrainedOn(db, promoted.manifest.lineage.datasetId)).length
		).toBeGreaterThan(1);
	});
});

describe('storeBatch', () => {
	it('keeps the report without the rows when the rows do not fit, and says what that costs', async () => {
		const champion = (await getModel(db, 'penguins'))!.versions.at(-1)!;
		const check = {
			report: { features: [] } as unknown as MonitorBatchRecord['report'],
			predictionDrift: null,
			performance: null,
			rowCount: penguins.table.rowCount,
			rows: penguins.table
		};
		const batch = batchRecord(champion, 'big.csv', check, 7, 'batch-quota');
		const full: typeof putBatch = async (database, record, rows) => {
			if (rows) throw new StorageError('The browser has no room left for this site.', 'quota');
			return putBatch(database, record, rows);
		};
		const stored = await storeBatch(db, batch, check.rows, full);
		expect(stored.rowsKept).toBe(false);
		expect(stored.warning).toMatch(/"big.csv" is saved, but its rows were not kept/);
		expect(await db.get('monitorBatches', 'batch-quota')).toMatchObject({
			labelled: true,
			rowsKept: false
		});
		expect(await db.get('batchTables', 'batch-quota')).toBeUndefined();
		// Any other failure stores nothing and is the caller's to report.
		const broken: typeof putBatch = async () => {
			throw new Error('disk on fire');
		};
		await expect(
			storeBatch(db, { ...batch, id: 'batch-broken' }, check.rows, broken)
		).rejects.toThrow('disk on fire');
		expect(await db.get('monitorBatches', 'batch-broken')).toBeUndefined();
	});
});

describe('saveImport', () => {
	it('saves a reviewed table as a dataset, and an edit as its next version with lineage', async () => {
		const result = {
			table: penguins.table,
			tableId: await hashTable(penguins.table),
			profile: penguins.profile,
			report: { rows: 344, bytes: 1, raggedLines: [], raggedCount: 0, renamed: [], blankLines: 0 },
			inferredTypes: penguins.table.columns.map((c) => c.type)
		};
		const input = {
			destination: {},
			name: '  ',
			source: { fileName: 'birds.csv', bytes: 1 },
			dialect: CSV_DIALECT,
			result,
			target: 'Species'
		};
		const first = await saveImport(db, input);
		expect(first.version).toMatchObject({ version: 1, parent: null, note: '', target: 'Species' });
		expect((await db.get('datasets', first.version.datasetId))?.name).toBe('birds.csv');
		const edit = await saveImport(db, {
			...input,
			name: 'birds',
			target: 'Island',
			destination: { datasetId: first.version.datasetId, parent: first.version.id }
		});
		expect(edit.version).toMatchObject({
			version: 2,
			parent: first.version.id,
			note: 'Types or target changed in the studio',
			target: 'Island'
		});
	});
});

describe('saveWithoutFlagged', () => {
	it('leaves out each flagged row once, names what, and never touches the audited version', async () => {
		const dataset = (await db.getAll('versions')).find((v) => v.rowCount === 344)!;
		const result = {
			task: 'multiclass',
			target: 'Species',
			labels: ['Adelie', 'Chinstrap', 'Gentoo'],
			rows: 344,
			folds: 5,
			rounds: 2,
			models: ['gbdt', 'mlp'],
			networkLeftOut: null,
			labelIssues: [
				{ row: 3, given: 'Adelie', suggested: 'Gentoo', score: 0.9, reason: '' },
				{ row: 7, given: 'Adelie', suggested: 'Gentoo', score: 0.8, reason: '' }
			],
			residualIssues: [],
			rareClasses: [],
			noiseMatrix: null,
			outliers: [{ row: 7, score: 9, reason: '' }],
			duplicates: [{ rows: [20, 21], kind: 'exact', conflicting: false }],
			leakage: [],
			recipe: { target: 'Species', steps: [] },
			seconds: 0
		} as AuditResult;
		const counted = rowsToLeaveOut(result, ['label', 'outlier', 'duplicate']);
		expect(Array.from(counted.rows)).toEqual([3, 7, 21]);
		expect([...counted.byKind]).toEqual([
			['label', 2],
			['duplicate', 1]
		]);
		const saved = await saveWithoutFlagged(
			db,
			{ withoutRows: (...args) => dataApi.withoutRows(...args) },
			dataset,
			'penguins',
			result,
			['label', 'outlier', 'duplicate']
		);
		expect(saved).toMatchObject({ rowCount: 341, parent: dataset.id });
		expect(saved.note).toBe(
			'Derived by audit of v1 (target "Species"): 3 rows left out (2 labels, 1 duplicate)'
		);
		expect((await db.get('versions', dataset.id))!.rowCount).toBe(344);
		// The lineage the run page and the model card read back.
		expect(saved.audit).toEqual({
			of: 1,
			target: 'Species',
			leftOut: 3,
			byKind: { label: 2, duplicate: 1 }
		});
		expect(auditLineageText(saved.audit!)).toBe(
			'Audited before training: this data is version 1 of the dataset without 3 rows its audit on "Species" flagged (2 labels, 1 duplicate).'
		);
		await expect(
			saveWithoutFlagged(db, { withoutRows: dataApi.withoutRows }, dataset, 'penguins', result, [
				'rare class'
			])
		).rejects.toThrow(/nothing to leave out/);
	});
});
