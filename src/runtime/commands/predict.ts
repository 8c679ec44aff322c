import { readFile, writeFile } from 'node:fs/promises';
import { predictionsCsv } from '../../lib/core/bundle/csv-out';
import { modelMissingPolicy } from '../../lib/core/bundle/enforce';
import { loadBundle } from '../index';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { boundsText } from '../../lib/core/conformal/words';

/** What `driftwood predict` made: the CSV and the unreadable cells. */
export interface PredictOutput {
	csv: string;
	rows: number;
	problemCount: number;
	problems: { row: number; column: string; message: string }[];
	/** What the bounds are, in words (with `--interval`). */
	bounds?: string;
}

/** `driftwood predict`: a bundle's predictions for a file, as the studio's CSV download. */
export async function predictFile(
	bundlePath: string,
	path: string,
	options: ReadFileOptions,
	/** Conformal bounds at this level (e.g. 0.9). */
	level?: number
): Promise<PredictOutput> {
	const bytes = new Uint8Array(await readFile(bundlePath));
	const model = await loadBundle(bytes);
	try {
		// Tokens such as `None` as the model read its training file, unless the user says otherwise.
		const missing = options.missing ?? modelMissingPolicy(model.manifest);
		const { table } = await readFileTable(path, { ...options, missing });
		const result = await model.predictTable(table, level === undefined ? {} : { level });
		return {
			csv: predictionsCsv(table, result),
			rows: table.rowCount,
			problemCount: result.problemCount,
			problems: result.problems,
			...(result.bounds ? { bounds: boundsText(model.manifest, result.bounds) } : {})
		};
	} finally {
		model.dispose();
	}
}

/** Writes the predictions to a file, or to stdout for `-`. */
export async function writeOutput(csv: string, out: string): Promise<void> {
	await writeFile(out, csv);
}
