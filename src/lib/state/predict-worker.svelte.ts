import { proxy } from 'comlink';
import type { ReadProgress } from '../core/table/read';
import type { ModelVersionRecord } from '../storage/types';
import type { FileResult, RowResult } from '../workers/predict-api';
import { createPredictWorker, type PredictWorker } from '../workers/train-client';

/** Loads a model version into a predict worker (every family predicts there without a backend). */
async function loadVersion(worker: PredictWorker, version: ModelVersionRecord): Promise<void> {
	await worker.call(
		worker.api.load(
			// A version handed down as a prop may be a $state proxy, which cannot be posted.
			$state.snapshot(version.manifest) as ModelVersionRecord['manifest'],
			// A copy: the worker gets its own bytes, the stored version keeps its own.
			{ family: version.model.family, files: copyFiles(version.model.files) }
		)
	);
}

function copyFiles(files: Record<string, Uint8Array>): Record<string, Uint8Array> {
	return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, bytes.slice()]));
}

/**
 * A predict worker that holds one model version: loaded on first use and again only when the
 * version changes. Held before the load finishes, so that `dispose` (Cancel) stops the load too.
 */
export class VersionWorker {
	private worker: PredictWorker | null = null;
	private loadedId: string | null = null;

	/** The worker with `version` loaded. */
	async ready(version: ModelVersionRecord): Promise<PredictWorker> {
		if (this.worker && this.loadedId === version.id) return this.worker;
		this.dispose();
		const worker = (this.worker = createPredictWorker());
		try {
			await loadVersion(worker, version);
		} catch (error) {
			if (this.worker === worker) this.dispose();
			throw error;
		}
		this.loadedId = version.id;
		return worker;
	}

	dispose(): void {
		this.worker?.dispose();
		this.worker = null;
		this.loadedId = null;
	}
}

/** A screen's predictions with one model version (the predict panel's row form and file). */
export class Predictor {
	private readonly loaded = new VersionWorker();

	/** Predicts one record (the form's values by column). */
	async predictRow(
		version: ModelVersionRecord,
		record: Record<string, unknown>,
		/** Conformal bounds at this level; null for none. */
		level: number | null = null
	): Promise<RowResult> {
		const worker = await this.loaded.ready(version);
		return worker.call(worker.api.predictRow(record, level));
	}

	/** Predicts a whole file, read in the worker. */
	async predictFile(
		version: ModelVersionRecord,
		file: File,
		onProgress: (progress: ReadProgress) => void,
		explain = false,
		level: number | null = null
	): Promise<FileResult> {
		const worker = await this.loaded.ready(version);
		// Returns nothing to the worker: whatever the callback returns would be posted back.
		return worker.call(
			worker.api.predictFile(
				file,
				proxy((progress: ReadProgress) => {
					onProgress(progress);
				}),
				explain,
				level
			)
		);
	}

	dispose(): void {
		this.loaded.dispose();
	}
}
