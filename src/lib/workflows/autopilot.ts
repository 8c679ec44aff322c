import {
	autopilotDecision,
	autopilotPlan,
	autopilotText,
	type AutopilotBatch,
	type AutopilotPlan
} from '../core/drift/autopilot';
import { autopilotFromSimulation, type Policy } from '../core/backtest/policy';
import type { BacktestConfig } from '../core/backtest/backtest';
import { DriftwoodError } from '../core/errors';
import type { FamilySpec } from '../core/model/spec';
import type { Table } from '../core/table/types';
import { loadTable } from '../storage/datasets';
import type { Database } from '../storage/db';
import { listModelVersions, setAlias } from '../storage/models';
import { getSettings, loadBatchRows, putRetrain, putSettings } from '../storage/monitor';
import type { ModelVersionRecord, MonitorBatchRecord, RetrainRecord } from '../storage/types';
import {
	challengerOf,
	promoteChallenger,
	retrainChallenger,
	retrainSource,
	type RetrainDeps
} from './retrain';

/** The labelled batches the autopilot can read, oldest first. */
export function autopilotBatches(batches: MonitorBatchRecord[]): AutopilotBatch[] {
	return batches
		.filter((b) => b.labelled && b.report.schema.missingColumns.length === 0)
		.map((b) => ({
			id: b.id,
			fileName: b.fileName,
			rowCount: b.rowCount,
			usable: b.rowsKept === true,
			datasetDrift: b.report.datasetDrift,
			performance: b.performance && !b.performance.estimated ? b.performance : null
		}));
}

/** What the autopilot did after a batch: its plan, and the retrain when it acted. */
export interface AutopilotRun {
	plan: AutopilotPlan;
	record: RetrainRecord | null;
}

/**
 * The autopilot after a batch arrived at a champion's monitor: when the monitor's policy fires,
 * a challenger is retrained with the policy's rows and weights, compared with the champion on the
 * arriving batch's newest rows, and promoted only when auto-promote is on and it wins beyond
 * noise. Every step lands in the registry history (the challenger alias with the rule that fired;
 * the promotion, or the decision to keep the champion, with the evidence) and on the retrain
 * record. A version that is not the champion never acts: its monitor is a record, not the loop.
 */
export async function autopilotAfterBatch(
	db: Database,
	deps: RetrainDeps,
	version: ModelVersionRecord,
	batches: MonitorBatchRecord[],
	now = Date.now()
): Promise<AutopilotRun> {
	const { autopilot, policy } = await getSettings(db, version.id);
	const model = await db.get('models', version.name);
	if (autopilot.enabled && model?.aliases.champion !== version.version)
		return {
			plan: {
				act: false,
				reason: `v${version.version} is not the champion: the autopilot acts on the champion's monitor only.`
			},
			record: null
		};
	const plan = autopilotPlan(autopilot, autopilotBatches(batches), policy.performanceDrop);
	if (!plan.act) return { plan, record: null };
	let record = await retrainChallenger(
		db,
		deps,
		version,
		batches,
		{ ...plan.choice },
		now,
		crypto.randomUUID(),
		{ reason: plan.reason, policy: autopilotText(autopilot) }
	);
	const challenger = challengerOf(record);
	if (record.status !== 'done' || !challenger) return { plan, record };
	const decision = autopilotDecision(
		autopilot,
		record.comparison ?? null,
		version.version,
		challenger.version
	);
	if (decision.promote)
		record = await promoteChallenger(db, record, `by the autopilot, after ${plan.reason}`, now);
	else await setAlias(db, version.name, 'challenger', challenger.version, decision.note);
	record = { ...record, autopilot: { ...record.autopilot!, decision: decision.note } };
	await putRetrain(db, record);
	return { plan, record };
}

/** The model versions trained on a dataset (any of its versions): whose autopilot a simulation can set. */
export async function versionsTrainedOn(
	db: Database,
	datasetId: string
): Promise<ModelVersionRecord[]> {
	return (await listModelVersions(db)).filter(
		(v) => v.runId !== null && v.manifest.lineage.datasetId === datasetId
	);
}

/**
 * Makes a simulated policy a monitor's autopilot (one labelled batch standing for one period),
 * keeping its hold-out and auto-promote; `source` says which simulation it came from.
 */
export async function adoptSimulatedPolicy(
	db: Database,
	versionId: string,
	simulated: Policy,
	source: string
): Promise<void> {
	const settings = await getSettings(db, versionId);
	await putSettings(db, versionId, {
		...settings,
		autopilot: autopilotFromSimulation(simulated, settings.autopilot, source)
	});
}

/** A monitor's history as the policy simulator replays it: one period per labelled batch. */
export interface MonitorHistory {
	/** The model's training rows, then each labelled batch's rows, fitted to the training columns. */
	table: Table;
	config: BacktestConfig;
	/** Each period's name: "training data", then each batch's. */
	labels: string[];
	/** The spec replayed, in words (an ensemble is replayed through its heaviest member). */
	model: string;
}

/**
 * The history the simulator replays for a monitor: the champion's training data as the first
 * period, each labelled batch (rows kept) as the next, the champion's recipe and model spec.
 * Needs two labelled batches at least (one period to train on, two to score).
 */
export async function monitorHistory(
	db: Database,
	prepare: RetrainDeps['prepare'],
	version: ModelVersionRecord,
	batches: MonitorBatchRecord[]
): Promise<MonitorHistory> {
	const labelled = batches.filter(
		(b) => b.labelled && b.rowsKept && b.report.schema.missingColumns.length === 0
	);
	if (labelled.length < 2)
		throw new DriftwoodError(
			`Replaying policies on this monitor needs two labelled batches whose rows were kept (it has ${labelled.length}): the first is scored by the model as trained, and each later one by the model a policy would have in service.`,
			'backtest'
		);
	const source = await retrainSource(db, version);
	if (typeof source === 'string') throw new DriftwoodError(source, 'backtest');
	const result = source.run.result;
	if (!result) throw new DriftwoodError('The run of this version has no result.', 'backtest');
	const base = await loadTable(db, source.data.tableId);
	const parts: { name: string; table: Table }[] = [];
	for (const batch of labelled)
		parts.push({ name: batch.fileName, table: await loadBatchRows(db, batch) });
	const target = version.manifest.model.target;
	const required = [
		...version.manifest.schema.filter((c) => c.required).map((c) => c.name),
		target
	];
	const prepared = await prepare(
		source.data.columns.map((c) => ({ name: c.name, type: c.type, storage: c.storage })),
		required,
		base,
		parts,
		source.data.target
	);
	const spec: FamilySpec =
		result.model.kind === 'ensemble'
			? [...result.model.members].sort((a, b) => b.weight - a.weight)[0]!.spec
			: result.model;
	return {
		table: prepared.table,
		config: {
			target,
			task: result.task,
			recipe: source.run.config.recipe,
			model: spec,
			timeColumn: null,
			period: { blocks: [base.rowCount, ...parts.map((p) => p.table.rowCount)] },
			firstTraining: 0,
			horizon: 1
		},
		labels: [
			'training data',
			...labelled.map((b) => `batch ${batches.indexOf(b) + 1} · ${b.fileName}`)
		],
		model:
			result.model.kind === 'ensemble' ? `${spec.kind} (the ensemble's heaviest member)` : spec.kind
	};
}
