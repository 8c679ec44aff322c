import { splitBatch, type TrainingColumn } from '../core/drift/retrain';
import type { LabelledScore } from '../core/drift/monitor';
import { comparePaired, comparisonText } from '../core/evaluate/paired';
import { DriftwoodError, errorCode, errorMessage } from '../core/errors';
import type { ExperimentConfig } from '../core/model/experiment';
import type { HalfLife } from '../core/model/recency';
import type { Table } from '../core/table/types';
import { loadTable, saveVersion } from '../storage/datasets';
import type { Database } from '../storage/db';
import { promoteToChampion, setAlias } from '../storage/models';
import { getSettings, loadBatchRows, putRetrain, putSettings } from '../storage/monitor';
import type {
	ModelVersionRecord,
	MonitorBatchRecord,
	RetrainRecord,
	RunRecord,
	VersionRecord
} from '../storage/types';
import type { AnalyzedTable } from '../workers/data-api';
import { registerRun } from './register';

/** What a monitored version was trained from: what a challenger starts from. */
export interface RetrainSource {
	run: RunRecord;
	data: VersionRecord;
	datasetName: string;
}

/** What the user picked for a retrain. */
export interface RetrainChoice {
	includeTraining: boolean;
	trainBatchIds: string[];
	evalBatchId: string;
	/**
	 * Share of the comparison batch (its newest rows) kept for the comparison; the rows before
	 * them join the training data. Null: the whole batch is compared on, none trained on.
	 */
	holdout: number | null;
	/** Recency weights for the challenger: absent, the champion's run's; null, none. */
	halfLife?: HalfLife | null;
}

/** What a retrain needs done elsewhere: in a data worker, a train worker, predict workers. */
export interface RetrainDeps {
	/** Fits batch rows to the training columns, appends them, profiles and hashes the result. */
	prepare(
		columns: TrainingColumn[],
		required: string[],
		base: Table | null,
		parts: { name: string; table: Table }[],
		target: string | null
	): Promise<AnalyzedTable & { problemCount: number }>;
	/** Trains the challenger's run on a dataset version; rejects when it cannot start. */
	train(data: VersionRecord, datasetName: string, config: ExperimentConfig): Promise<RunRecord>;
	/** A model version's measured score on labelled rows, row by row (for the paired comparison). */
	evaluate(version: ModelVersionRecord, rows: Table): Promise<LabelledScore | null>;
	/** The step in progress, for the page. */
	onStage?(stage: string): void;
}

/** The run and dataset version behind a model version, or why it cannot be retrained here. */
export async function retrainSource(
	db: Database,
	version: ModelVersionRecord
): Promise<RetrainSource | string> {
	if (!version.runId) {
		return 'This version was imported from a bundle: its recipe and model settings live in the studio that trained it, so it cannot be retrained here.';
	}
	const run = await db.get('runs', version.runId);
	if (!run) return 'The run this version came from was deleted: its settings are gone.';
	const data = await db.get('versions', run.versionId);
	if (!data) return 'The dataset version this version trained on was deleted.';
	const dataset = await db.get('datasets', data.datasetId);
	return { run, data, datasetName: dataset?.name ?? run.datasetName };
}

/**
 * Retrains a challenger from a monitor: the champion's recipe and model spec on its training data
 * plus picked labelled batches (saved as the dataset's next version, so lineage holds), registered
 * as the model's next version with the challenger alias and the champion's monitor settings, and
 * compared with the champion on a labelled batch it never trained on. The record is stored however
 * it ends (done, failed with the reason, cancelled) and returned; it never throws for the page.
 */
export async function retrainChallenger(
	db: Database,
	deps: RetrainDeps,
	version: ModelVersionRecord,
	batches: MonitorBatchRecord[],
	choice: RetrainChoice,
	now = Date.now(),
	id: string = crypto.randomUUID(),
	/** Started by the autopilot: the rule that fired and the policy, kept on the record. */
	autopilot: { reason: string; policy: string } | null = null
): Promise<RetrainRecord> {
	const evalBatch = batches.find((b) => b.id === choice.evalBatchId);
	const picked = batches.filter((b) => choice.trainBatchIds.includes(b.id));
	const record: RetrainRecord = {
		id,
		modelVersionId: version.id,
		createdAt: now,
		status: 'failed',
		error: null,
		includeTraining: choice.includeTraining,
		trainBatches: picked.map((b) => ({ id: b.id, fileName: b.fileName })),
		evalBatch: {
			id: evalBatch?.id ?? choice.evalBatchId,
			fileName: evalBatch?.fileName ?? '',
			...(choice.holdout !== null ? { holdout: choice.holdout } : {})
		},
		rows: 0,
		datasetVersionId: null,
		runId: null,
		challengerVersionId: null,
		champion: null,
		challenger: null,
		promotedAt: null,
		...(autopilot ? { autopilot: { ...autopilot, decision: null } } : {})
	};
	try {
		if (!evalBatch) throw new Error('Pick the labelled batch to compare the two models on.');
		const source = await retrainSource(db, version);
		if (typeof source === 'string') throw new Error(source);
		deps.onStage?.('Preparing the training data');
		const evalRows = await loadBatchRows(db, evalBatch);
		// One labelled batch is enough: its newest rows are compared on, the older ones trained on.
		const split = choice.holdout !== null ? splitBatch(evalRows, choice.holdout) : null;
		const extra = split
			? [
					{
						name: `${evalBatch.fileName} (older ${percent(1 - choice.holdout!)})`,
						table: split.train
					}
				]
			: [];
		const trainedOn = describeData(source, picked, choice.includeTraining, choice.holdout);
		const data = await trainingVersion(db, deps, version, source, picked, extra, choice, trainedOn);
		record.rows = data.rowCount;
		record.datasetVersionId = data.id;

		deps.onStage?.('Training the challenger');
		const config =
			choice.halfLife === undefined
				? source.run.config
				: { ...source.run.config, halfLife: choice.halfLife ?? undefined };
		const run = await deps.train(data, source.datasetName, config);
		record.runId = run.id;
		if (run.status !== 'done') {
			record.status = run.status === 'cancelled' ? 'cancelled' : 'failed';
			record.error = run.status === 'cancelled' ? null : run.error;
			await putRetrain(db, record);
			return record;
		}

		deps.onStage?.('Registering the challenger');
		const by = autopilot ? `by the autopilot (${autopilot.reason})` : 'from its monitor';
		const challenger = await registerRun(db, {
			run,
			name: version.name,
			intendedUse: `Challenger of v${version.version}, retrained ${by} on ${trainedOn}.`,
			limitations: ''
		});
		record.challengerVersionId = challenger.id;
		// Same features, same monitoring: the challenger's monitor starts with these settings.
		await putSettings(db, challenger.id, await getSettings(db, version.id));
		await setAlias(
			db,
			version.name,
			'challenger',
			challenger.version,
			autopilot
				? `Retrained by the autopilot of v${version.version} on ${trainedOn}: ${autopilot.reason}`
				: `Retrained from the monitor of v${version.version} on ${trainedOn}`
		);

		deps.onStage?.(
			`Comparing both on "${evalBatch.fileName}"${split ? ` (newest ${percent(choice.holdout!)})` : ''}`
		);
		const rows = split ? split.compare : evalRows;
		const champion = await deps.evaluate(version, rows);
		const scored = await deps.evaluate(challenger, rows);
		record.champion = champion?.performance ?? null;
		record.challenger = scored?.performance ?? null;
		// The promotion's evidence: the difference on the same rows, with its 95 % interval.
		record.comparison =
			champion && scored
				? comparePaired(
						champion.performance.metric === 'r2' ? 'r2' : 'accuracy',
						champion.outcomes,
						scored.outcomes,
						champion.truth
					)
				: null;
		record.status = 'done';
	} catch (error) {
		record.status = errorCode(error) === 'cancelled' ? 'cancelled' : 'failed';
		record.error = record.status === 'cancelled' ? null : errorMessage(error);
	}
	await putRetrain(db, record);
	return record;
}

/** Makes a retrain's challenger the champion (one transaction, recorded in the history). */
export async function promoteChallenger(
	db: Database,
	record: RetrainRecord,
	reason: string,
	now = Date.now()
): Promise<RetrainRecord> {
	const { champion, challenger: score } = record;
	if (!record.challengerVersionId || !score || !champion)
		throw new Error('Only a finished retrain with both scores can be promoted.');
	const verdict = record.comparison?.verdict ?? null;
	// Promoting without evidence is the user's call, but never without a word on record.
	if (verdict !== 'better' && reason.trim() === '')
		throw new DriftwoodError(
			'The challenger is not better than the champion beyond noise on these rows: say why it should be promoted anyway.',
			'promotion'
		);
	const challenger = await db.get('modelVersions', record.challengerVersionId);
	if (!challenger) throw new Error('The challenger version no longer exists.');
	const evidence = record.comparison
		? comparisonText(record.comparison)
		: `${score.metric} ${champion.value.toFixed(3)} → ${score.value.toFixed(3)}, no paired comparison`;
	await promoteToChampion(
		db,
		challenger.name,
		challenger.version,
		`Promoted from the monitor (${evidence} on "${record.evalBatch.fileName}")${reason.trim() ? `: ${reason.trim()}` : ''}`
	);
	const promoted = { ...record, promotedAt: now };
	await putRetrain(db, promoted);
	return promoted;
}

/** The challenger's data as the dataset's next version (its parent: what the champion saw). */
async function trainingVersion(
	db: Database,
	deps: RetrainDeps,
	version: ModelVersionRecord,
	source: RetrainSource,
	picked: MonitorBatchRecord[],
	extra: { name: string; table: Table }[],
	choice: RetrainChoice,
	trainedOn: string
): Promise<VersionRecord> {
	const { data } = source;
	const base = choice.includeTraining ? await loadTable(db, data.tableId) : null;
	const parts: { name: string; table: Table }[] = [];
	for (const batch of picked) {
		parts.push({ name: batch.fileName, table: await loadBatchRows(db, batch) });
	}
	parts.push(...extra);
	const required = [
		...version.manifest.schema.filter((c) => c.required).map((c) => c.name),
		version.manifest.model.target
	];
	const analyzed = await deps.prepare(
		data.columns.map((c) => ({ name: c.name, type: c.type, storage: c.storage })),
		required,
		base,
		parts,
		data.target
	);
	const table = analyzed.table;
	const { version: saved } = await saveVersion(db, {
		datasetId: data.datasetId,
		name: source.datasetName,
		table,
		tableId: analyzed.tableId,
		// Where the rows came from; their byte size is not known (the batches were parsed).
		source: {
			fileName: [
				...(choice.includeTraining ? [data.source.fileName] : []),
				...parts.map((p) => p.name)
			].join(' + '),
			bytes: 0
		},
		dialect: data.dialect,
		report: {
			rows: table.rowCount,
			bytes: 0,
			raggedLines: [],
			raggedCount: 0,
			renamed: [],
			blankLines: 0
		},
		inferredTypes: data.columns.map((c) => c.inferredType),
		target: data.target,
		profile: analyzed.profile,
		parent: data.id,
		note: `Retraining data for ${version.name}: ${trainedOn}${
			analyzed.problemCount
				? ` (${analyzed.problemCount} batch cells did not read as their column's type and are missing)`
				: ''
		}`
	});
	return saved;
}

/** "penguins v1 + 2 labelled batches + the older 70 % of the comparison batch" */
function describeData(
	source: RetrainSource,
	picked: MonitorBatchRecord[],
	includeTraining: boolean,
	holdout: number | null
): string {
	const parts = [
		...(includeTraining ? [`${source.datasetName} v${source.data.version}`] : []),
		...(picked.length ? [`${picked.length} labelled batch${picked.length === 1 ? '' : 'es'}`] : []),
		...(holdout !== null ? [`the older ${percent(1 - holdout)} of the comparison batch`] : [])
	];
	return parts.join(' + ');
}

function percent(share: number): string {
	return `${Math.round(share * 100)} %`;
}

/** The version id of a retrain's challenger as name and number. */
export function challengerOf(record: RetrainRecord): { name: string; version: number } | null {
	const id = record.challengerVersionId;
	if (!id) return null;
	const at = id.lastIndexOf('@');
	return { name: id.slice(0, at), version: Number(id.slice(at + 1)) };
}
