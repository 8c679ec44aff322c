import { errorMessage } from '../core/errors';
import { transfer } from 'comlink';
import { splitBatch } from '../core/drift/retrain';
import { tableBuffers } from '../core/table/access';
import type { BatchPerformance } from '../core/drift/monitor';
import type { Table } from '../core/table/types';
import { loadTable, saveVersion } from '../storage/datasets';
import { promoteToChampion } from '../storage/models';
import {
	getSettings,
	listRetrains,
	loadBatchRows,
	putRetrain,
	putSettings
} from '../storage/monitor';
import type {
	ModelVersionRecord,
	MonitorBatchRecord,
	RetrainRecord,
	RunRecord,
	VersionRecord
} from '../storage/types';
import { createDataWorker, sendTable } from '../workers/client';
import { VersionWorker } from './predict-worker.svelte';
import { registry } from './registry.svelte';
import { trainer } from './trainer.svelte';
import { workspace } from './workspace.svelte';

/** What a monitored version was trained from: what a challenger starts from. */
export interface RetrainSource {
	run: RunRecord;
	data: VersionRecord;
	datasetName: string;
}

export interface RetrainChoice {
	includeTraining: boolean;
	trainBatchIds: string[];
	evalBatchId: string;
	/**
	 * Share of the comparison batch (its newest rows) kept for the comparison; the rows before
	 * them join the training data. Null: the whole batch is compared on, none trained on.
	 */
	holdout: number | null;
}

/**
 * Retraining from a monitor: the challenger is trained with the champion's recipe and model spec
 * on its training data plus picked labelled batches (a new dataset version, so lineage holds),
 * registered as the model's next version with the challenger alias, and compared with the champion
 * on a labelled batch it never trained on. Promotion moves the champion alias.
 */
class Retrainer {
	records = $state.raw<RetrainRecord[]>([]);
	/** The step in progress, or null when idle. */
	stage = $state<string | null>(null);
	error = $state<string | null>(null);
	private versionId: string | null = null;

	async load(versionId: string): Promise<void> {
		this.versionId = versionId;
		this.error = null;
		const records = await listRetrains(await workspace.connection(), versionId);
		if (this.versionId === versionId) this.records = records;
	}

	/** The run and dataset version behind a model version, or why it cannot be retrained here. */
	async source(version: ModelVersionRecord): Promise<RetrainSource | string> {
		if (!version.runId) {
			return 'This version was imported from a bundle: its recipe and model settings live in the studio that trained it, so it cannot be retrained here.';
		}
		const db = await workspace.connection();
		const run = await db.get('runs', version.runId);
		if (!run) return 'The run this version came from was deleted: its settings are gone.';
		const data = await db.get('versions', run.versionId);
		if (!data) return 'The dataset version this version trained on was deleted.';
		const dataset = await db.get('datasets', data.datasetId);
		return { run, data, datasetName: dataset?.name ?? run.datasetName };
	}

	async start(
		version: ModelVersionRecord,
		batches: MonitorBatchRecord[],
		choice: RetrainChoice
	): Promise<RetrainRecord | null> {
		if (this.stage) return null;
		if (trainer.active) {
			this.error = 'Another run is training: wait for it to end (or cancel it), then retrain.';
			return null;
		}
		this.error = null;
		const evalBatch = batches.find((b) => b.id === choice.evalBatchId);
		const picked = batches.filter((b) => choice.trainBatchIds.includes(b.id));
		if (!evalBatch) {
			this.error = 'Pick the labelled batch to compare the two models on.';
			return null;
		}
		const record: RetrainRecord = {
			id: crypto.randomUUID(),
			modelVersionId: version.id,
			createdAt: Date.now(),
			status: 'failed',
			error: null,
			includeTraining: choice.includeTraining,
			trainBatches: picked.map((b) => ({ id: b.id, fileName: b.fileName })),
			evalBatch: {
				id: evalBatch.id,
				fileName: evalBatch.fileName,
				...(choice.holdout !== null ? { holdout: choice.holdout } : {})
			},
			rows: 0,
			datasetVersionId: null,
			runId: null,
			challengerVersionId: null,
			champion: null,
			challenger: null,
			promotedAt: null
		};
		try {
			const source = await this.source(version);
			if (typeof source === 'string') throw new Error(source);
			this.stage = 'Preparing the training data';
			const evalRows = await loadBatchRows(await workspace.connection(), evalBatch);
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
			const data = await this.trainingVersion(
				version,
				source,
				picked,
				extra,
				choice.includeTraining,
				choice.holdout
			);
			record.rows = data.rowCount;
			record.datasetVersionId = data.id;

			this.stage = 'Training the challenger';
			const run = await trainer.start(data, source.datasetName, source.run.config, 'auto');
			if (!run) throw new Error(trainer.error ?? 'The challenger could not start training.');
			record.runId = run.id;
			if (run.status !== 'done') {
				record.status = run.status === 'cancelled' ? 'cancelled' : 'failed';
				record.error = run.status === 'cancelled' ? null : run.error;
				return await this.save(record);
			}

			this.stage = 'Registering the challenger';
			const trainedOn = describeData(source, picked, choice.includeTraining, choice.holdout);
			const challenger = await registry.registerRun(
				run,
				version.name,
				`Challenger of v${version.version}, retrained from its monitor on ${trainedOn}.`,
				''
			);
			record.challengerVersionId = challenger.id;
			// Same features, same monitoring: the challenger's monitor starts with these settings.
			const db = await workspace.connection();
			await putSettings(db, challenger.id, await getSettings(db, version.id));
			await registry.setAlias(
				version.name,
				'challenger',
				challenger.version,
				`Retrained from the monitor of v${version.version} on ${trainedOn}`
			);

			this.stage = `Comparing both on "${evalBatch.fileName}"${split ? ` (newest ${percent(choice.holdout!)})` : ''}`;
			const rows = split ? split.compare : evalRows;
			// Each model in a worker of its own: the page may show another version by now.
			record.champion = await evaluateVersion(version, rows);
			record.challenger = await evaluateVersion(challenger, rows);
			record.status = 'done';
			return await this.save(record);
		} catch (error) {
			record.error = errorMessage(error);
			this.error = record.error;
			return await this.save(record).catch(() => null);
		} finally {
			this.stage = null;
		}
	}

	/** Makes the challenger of a retrain the champion (one transaction, recorded in the history). */
	async promote(record: RetrainRecord): Promise<void> {
		if (!record.challengerVersionId || !record.challenger || !record.champion) return;
		const db = await workspace.connection();
		const challenger = await db.get('modelVersions', record.challengerVersionId);
		if (!challenger) {
			this.error = 'The challenger version no longer exists.';
			return;
		}
		const { champion, challenger: score } = record;
		try {
			await promoteToChampion(
				db,
				challenger.name,
				challenger.version,
				`Promoted from the monitor: ${score.metric} ${champion.value.toFixed(3)} → ${score.value.toFixed(3)} on "${record.evalBatch.fileName}"`
			);
			await this.save({ ...record, promotedAt: Date.now() });
		} catch (error) {
			this.error = errorMessage(error);
		}
		await registry.refresh();
	}

	private async save(record: RetrainRecord): Promise<RetrainRecord> {
		await putRetrain(await workspace.connection(), record);
		// The list shown is refreshed only if it is still this version's.
		if (this.versionId === record.modelVersionId) await this.load(record.modelVersionId);
		return record;
	}

	/** The challenger's data as the dataset's next version (its parent: what the champion saw). */
	private async trainingVersion(
		version: ModelVersionRecord,
		source: RetrainSource,
		picked: MonitorBatchRecord[],
		extra: { name: string; table: Table }[],
		includeTraining: boolean,
		holdout: number | null
	): Promise<VersionRecord> {
		const db = await workspace.connection();
		const { data } = source;
		const base = includeTraining ? await loadTable(db, data.tableId) : null;
		const parts: { name: string; table: Table }[] = [];
		for (const batch of picked) {
			parts.push({ name: batch.fileName, table: await loadBatchRows(db, batch) });
		}
		parts.push(...extra);
		const required = [
			...version.manifest.schema.filter((c) => c.required).map((c) => c.name),
			version.manifest.model.target
		];
		// Fitting, appending, profiling and hashing run in a data worker: the page only renders.
		const worker = createDataWorker();
		try {
			const analyzed = await worker.call(
				worker.api.retrainingData(
					data.columns.map((c) => ({ name: c.name, type: c.type, storage: c.storage })),
					required,
					base ? sendTable(base) : null,
					transfer(
						parts,
						parts.flatMap((p) => tableBuffers(p.table))
					),
					data.target
				)
			);
			const table = analyzed.table;
			const { version: saved } = await saveVersion(db, {
				datasetId: data.datasetId,
				name: source.datasetName,
				table: analyzed.table,
				tableId: analyzed.tableId,
				// Where the rows came from; their byte size is not known (the batches were parsed).
				source: {
					fileName: [
						...(includeTraining ? [data.source.fileName] : []),
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
				note: `Retraining data for ${version.name}: ${describeData(source, picked, includeTraining, holdout)}${
					analyzed.problemCount
						? ` (${analyzed.problemCount} batch cells did not read as their column's type and are missing)`
						: ''
				}`
			});
			await workspace.refresh();
			return saved;
		} finally {
			worker.dispose();
		}
	}
}

/** A version's measured performance on labelled rows, in a predict worker of its own. */
async function evaluateVersion(
	version: ModelVersionRecord,
	rows: Table
): Promise<BatchPerformance | null> {
	const loaded = new VersionWorker();
	try {
		const worker = await loaded.ready(version);
		return await worker.call(worker.api.evaluate(rows));
	} finally {
		loaded.dispose();
	}
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

export const retrainer = new Retrainer();
