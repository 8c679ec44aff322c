import { modelIdentity } from '../core/bundle/bytes';
import { renderModelCard } from '../core/bundle/card';
import { describeModel } from '../core/bundle/describe';
import { bundleFileName, modelJsonFrom } from '../core/bundle/pack';
import { createDataWorker } from '../workers/client';
import {
	getModel,
	listModels,
	listModelVersions,
	registerVersion,
	setAlias,
	updateCard,
	updateModelDescription,
	versionsOfRun
} from '../storage/models';
import type { Alias, ModelRecord, ModelVersionRecord, RunRecord } from '../storage/types';
import { workspace } from './workspace.svelte';

const PRODUCER = 'Driftwood studio';

/** The model registry as the pages see it. The bundle work itself is in core/bundle. */
class Registry {
	models = $state.raw<ModelRecord[]>([]);
	loaded = $state(false);

	async refresh(): Promise<void> {
		this.models = await listModels(await workspace.connection());
		this.loaded = true;
	}

	/** Registers a finished run as the next version of `name`; returns the new version. */
	async registerRun(
		run: RunRecord,
		name: string,
		intendedUse: string,
		limitations: string
	): Promise<ModelVersionRecord> {
		const result = run.result;
		if (!result) throw new Error('Only a finished run can be registered.');
		const db = await workspace.connection();
		const datasetVersion = await db.get('versions', run.versionId);
		if (!datasetVersion)
			throw new Error(
				'The dataset version this run trained on was deleted: its profile is needed for the model card and drift reference.'
			);
		const manifestFor = (version: number) =>
			describeModel({
				name,
				version,
				result,
				profile: datasetVersion.profile,
				producer: PRODUCER,
				createdAt: new Date().toISOString(),
				lineage: {
					datasetId: run.datasetId,
					datasetName: run.datasetName,
					datasetVersion: datasetVersion.version,
					tableId: datasetVersion.tableId,
					runId: run.id,
					trainedAt: new Date(run.finishedAt ?? run.createdAt).toISOString()
				}
			});
		const manifest = manifestFor(1);
		const record = await registerVersion(db, {
			name,
			runId: run.id,
			source: 'studio',
			manifest,
			modelJson: modelJsonFrom(result.artifacts),
			weights: result.artifacts.weightData,
			card: (version) =>
				renderModelCard(manifestFor(version), {
					intendedUse,
					limitations,
					robustness: result.robustness,
					importance: result.importance,
					rows: result.rows
				})
		});
		await this.refresh();
		return record;
	}

	/** The bundle of a version, ready to download. */
	async exportVersion(
		version: ModelVersionRecord
	): Promise<{ fileName: string; bytes: Uint8Array }> {
		// Zipping and hashing run in a data worker: the page only renders.
		const plain = $state.snapshot(version) as ModelVersionRecord;
		const worker = createDataWorker();
		try {
			const bytes = await worker.call(
				worker.api.packBundle({
					manifest: plain.manifest,
					modelJson: plain.modelJson,
					weights: plain.weights,
					readme: plain.card
				})
			);
			return { fileName: bundleFileName(version.name, version.version), bytes };
		} finally {
			worker.dispose();
		}
	}

	/**
	 * Imports a bundle: every check first (unpackBundle), then one transaction. The model keeps its
	 * name; it becomes that model's next version here. A bundle whose model and weights are
	 * already a version in the registry adds nothing: that version is returned as `duplicate`.
	 */
	async importBundle(file: File): Promise<{ version: ModelVersionRecord; duplicate: boolean }> {
		// Inflating and checking every checksum run in a data worker: the page only renders.
		const worker = createDataWorker();
		let bundle;
		try {
			bundle = await worker.call(worker.api.openBundle(file));
		} finally {
			worker.dispose();
		}
		const { files: _checksums, ...manifest } = bundle.manifest;
		void _checksums;
		const db = await workspace.connection();
		const identity = bundle.identity;
		for (const existing of await listModelVersions(db)) {
			if ((await modelIdentity(existing.modelJson, existing.weights)) === identity)
				return { version: existing, duplicate: true };
		}
		const record = await registerVersion(db, {
			name: manifest.model.name,
			runId: '',
			source: 'import',
			manifest,
			modelJson: bundle.modelJson,
			weights: bundle.weights,
			card: () => bundle.readme
		});
		await this.refresh();
		return { version: record, duplicate: false };
	}

	async setAlias(
		name: string,
		alias: Alias,
		version: number | null,
		note: string
	): Promise<ModelRecord> {
		const model = await setAlias(await workspace.connection(), name, alias, version, note);
		await this.refresh();
		return model;
	}

	/** Saves a model's description and tags. */
	async describe(name: string, description: string, tags: string[]): Promise<void> {
		await updateModelDescription(await workspace.connection(), name, description, tags);
	}

	/** Saves a version's edited model card (the bundle's README.md). */
	async saveCard(versionId: string, card: string): Promise<void> {
		await updateCard(await workspace.connection(), versionId, card);
	}

	/** The versions registered from a run. */
	async versionsOfRun(runId: string): Promise<ModelVersionRecord[]> {
		return versionsOfRun(await workspace.connection(), runId);
	}

	async get(name: string): Promise<{ model: ModelRecord; versions: ModelVersionRecord[] } | null> {
		return getModel(await workspace.connection(), name);
	}
}

export const registry = new Registry();
