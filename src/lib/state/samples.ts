import { importer } from './importer.svelte';

/** A dataset shipped in `static/samples/` (see its README for sources and licences). */
export interface Sample {
	file: string;
	title: string;
	description: string;
	target: string;
	task: string;
}

export async function loadSamples(): Promise<Sample[]> {
	const response = await fetch('/samples/index.json');
	if (!response.ok) throw new Error(`The sample list could not be loaded (${response.status}).`);
	return (await response.json()) as Sample[];
}

/**
 * Imports a sample in one go: read, infer, profile and save with its suggested target.
 * Returns the new dataset's id, or null when the import stopped (its error is on `importer`).
 */
export async function importSample(sample: Sample): Promise<string | null> {
	const response = await fetch(`/samples/${sample.file}`);
	if (!response.ok)
		throw new Error(`The sample "${sample.title}" could not be loaded (${response.status}).`);
	const file = new File([await response.blob()], sample.file, { type: 'text/csv' });
	await importer.begin(file, { name: sample.title, target: sample.target });
	if (importer.phase.name !== 'review') return null;
	const saved = await importer.save();
	return saved ? saved.version.datasetId : null;
}
