import { createDataWorker } from '../workers/client';
import { onnxFileName } from '../core/bundle/file-names';
import { bundlePartsOf, importOpenedBundle, registerRun, runCard } from '../workflows/register';
import {
	getModel,
	listModels,
	setAlias,
	updateCard,
	updateModelDescription,
	versionsOfRun
} from '../storage/models';
import type { Alias, ModelRecord, ModelVersionRecord, RunRecord } from '../storage/types';
import { workspace } from './workspace.svelte';

/** The model registry as the pages see it. The work itself is in workflows/register and core/bundle. */
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
		const record = await registerRun(await workspace.connection(), {
			run: $state.snapshot(run) as RunRecord,
			name,
			intendedUse,
			limitations
		});
		await this.refresh();
		return record;
	}

	/** The bundle of a version, ready to download. */
	exportVersion(version: ModelVersionRecord): Promise<{ fileName: string; bytes: Uint8Array }> {
		return this.fileOf(version, 'bundle');
	}

	/** The version as an ONNX file with its preprocessing, ready to download. */
	exportOnnxFile(version: ModelVersionRecord): Promise<{ fileName: string; bytes: Uint8Array }> {
		return this.fileOf(version, 'onnx');
	}

	/** Zipping, hashing and the ONNX export run in a data worker: the page only renders. */
	private async fileOf(
		version: ModelVersionRecord,
		kind: 'bundle' | 'onnx'
	): Promise<{ fileName: string; bytes: Uint8Array }> {
		const { fileName, parts } = bundlePartsOf($state.snapshot(version) as ModelVersionRecord);
		const worker = createDataWorker();
		try {
			return kind === 'bundle'
				? { fileName, bytes: await worker.call(worker.api.packBundle(parts)) }
				: {
						fileName: onnxFileName(fileName),
						bytes: await worker.call(worker.api.exportOnnx(parts))
					};
		} finally {
			worker.dispose();
		}
	}

	/**
	 * Imports a bundle: every check first (unpackBundle, in a data worker: the page only renders),
	 * then one transaction. The model keeps its name; it becomes that model's next version here.
	 */
	async importBundle(file: File): Promise<{ version: ModelVersionRecord; duplicate: boolean }> {
		const worker = createDataWorker();
		let bundle;
		try {
			bundle = await worker.call(worker.api.openBundle(file));
		} finally {
			worker.dispose();
		}
		const imported = await importOpenedBundle(await workspace.connection(), bundle);
		if (!imported.duplicate) await this.refresh();
		return imported;
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

	/** A finished run's card before it is registered, for its report. */
	async runCard(run: RunRecord): Promise<string> {
		return runCard(await workspace.connection(), run);
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
