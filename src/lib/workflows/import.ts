import type { Dialect } from '../core/table/types';
import { saveVersion, type SaveResult } from '../storage/datasets';
import type { Database } from '../storage/db';
import type { ImportResult } from '../workers/data-api';

/** Where an import goes: a new dataset, or the next version of one (with the version it edits). */
export interface ImportDestination {
	datasetId?: string;
	/** The version an edit starts from (lineage). */
	parent?: string;
}

/** A reviewed import, as the page holds it once the data worker has read and profiled it. */
export interface ReviewedImport {
	destination: ImportDestination;
	/** The name the user gave (blank: the file's name). */
	name: string;
	source: { fileName: string; bytes: number };
	dialect: Dialect;
	result: ImportResult;
	target: string | null;
}

/**
 * Saves a reviewed table as a new dataset, or as the next version of the chosen one (an edit of
 * types or target records its parent). Content already stored is not stored twice.
 */
export async function saveImport(db: Database, input: ReviewedImport): Promise<SaveResult> {
	const { result, destination } = input;
	return saveVersion(db, {
		datasetId: destination.datasetId,
		name: input.name.trim() || input.source.fileName,
		table: result.table,
		tableId: result.tableId,
		source: input.source,
		dialect: input.dialect,
		report: result.report,
		inferredTypes: result.inferredTypes,
		target: input.target,
		profile: result.profile,
		parent: destination.parent ?? null,
		note: destination.parent ? 'Types or target changed in the studio' : ''
	});
}
