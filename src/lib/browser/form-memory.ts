import type { ExperimentConfig } from '../core/model/types';

/** Where the Train form's last settings per dataset are kept (this browser only). */
const KEY = 'driftwood.trainForm.v1';
/** Datasets remembered at most; the oldest are forgotten first. */
const MAX_DATASETS = 50;

type Memory = Record<string, { at: number; config: ExperimentConfig }>;

function read(): Memory {
	try {
		const text = globalThis.localStorage?.getItem(KEY);
		const parsed: unknown = text ? JSON.parse(text) : {};
		return parsed && typeof parsed === 'object' ? (parsed as Memory) : {};
	} catch {
		// No storage (a private window) or a damaged entry: nothing remembered.
		return {};
	}
}

/** The settings last trained with on this dataset, or null. */
export function recallTrainForm(datasetId: string): ExperimentConfig | null {
	return read()[datasetId]?.config ?? null;
}

/** Keeps the settings just trained with, for the next visit to the Train page. */
export function rememberTrainForm(datasetId: string, config: ExperimentConfig): void {
	const memory = read();
	memory[datasetId] = { at: Date.now(), config };
	const kept = Object.entries(memory)
		.sort((a, b) => b[1].at - a[1].at)
		.slice(0, MAX_DATASETS);
	try {
		globalThis.localStorage?.setItem(KEY, JSON.stringify(Object.fromEntries(kept)));
	} catch {
		// Full or unavailable: the form simply starts from the suggestion next time.
	}
}
