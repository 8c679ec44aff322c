import type { AuditResult } from '../core/audit/audit';
import { flaggedKindsText, rowsToLeaveOut, type FlagKind } from '../core/audit/flags';
import { DriftwoodError } from '../core/errors';
import type { Table } from '../core/table/types';
import { loadTable, saveVersion } from '../storage/datasets';
import type { Database } from '../storage/db';
import type { VersionRecord } from '../storage/types';
import type { AnalyzedTable } from '../workers/data-api';

/** What saving an audited version needs done in a data worker. */
export interface AuditDeps {
	/** The table without these rows, profiled and hashed. */
	withoutRows(table: Table, drop: Int32Array, target: string | null): Promise<AnalyzedTable>;
}

/**
 * Saves the audited version without the rows its flags of `kinds` name, as the dataset's next
 * version, its lineage and note saying what was left out and why. The audited version is never
 * changed: an audit's output is a new version.
 */
export async function saveWithoutFlagged(
	db: Database,
	deps: AuditDeps,
	version: VersionRecord,
	datasetName: string,
	result: AuditResult,
	kinds: readonly FlagKind[]
): Promise<VersionRecord> {
	const { rows, byKind } = rowsToLeaveOut(result, kinds);
	if (rows.length === 0)
		throw new DriftwoodError(
			'No row is flagged by the kinds picked: nothing to leave out.',
			'audit'
		);
	const table = await loadTable(db, version.tableId);
	if (table.rowCount - rows.length < 10)
		throw new DriftwoodError(
			`Leaving out ${rows.length} of ${table.rowCount} rows leaves too few to train on.`,
			'audit'
		);
	const leftOut = rows.length;
	const analyzed = await deps.withoutRows(table, rows, version.target);
	// The one check that the rows left out are the rows asked for (a worker moved them, once).
	if (analyzed.table.rowCount !== table.rowCount - leftOut)
		throw new DriftwoodError(
			`The version without the flagged rows has ${analyzed.table.rowCount} rows, not ${table.rowCount - leftOut}: nothing was saved.`,
			'audit'
		);
	const detail = flaggedKindsText(byKind);
	const { version: saved } = await saveVersion(db, {
		datasetId: version.datasetId,
		name: datasetName,
		table: analyzed.table,
		tableId: analyzed.tableId,
		source: version.source,
		dialect: version.dialect,
		report: { ...version.report, rows: analyzed.table.rowCount },
		inferredTypes: version.columns.map((c) => c.inferredType),
		target: version.target,
		profile: analyzed.profile,
		parent: version.id,
		audit: {
			of: version.version,
			target: result.target,
			leftOut,
			byKind: Object.fromEntries(byKind)
		},
		note: `Derived by audit of v${version.version} (target "${result.target}"): ${leftOut.toLocaleString('en-US')} rows left out (${detail})`
	});
	return saved;
}
