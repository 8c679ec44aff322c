import {
	checkSummary,
	modelPushdownQuery,
	tableRecords
} from '../../lib/core/drift/pushdown-check';
import type { Dialect } from '../../lib/core/drift/pushdown-sql';
import type { BatchCheck } from '../../lib/core/drift/types';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { withBundleModel } from './bundle-model';

/**
 * `driftwood sql --bundle <zip> --dialect <d> --table <t> [--where <c>] [--prediction <column>]
 * [--target <column>]`: the one query that summarises a batch in the warehouse for the bundle's
 * drift report.
 */
export function sqlForBundle(
	bundlePath: string,
	options: { dialect: Dialect; table: string; where?: string; prediction?: string; target?: string }
): Promise<string> {
	return withBundleModel(bundlePath, (loaded) =>
		modelPushdownQuery(loaded, {
			...options,
			prediction: options.prediction ?? null,
			target: options.target ?? null
		})
	);
}

/** `driftwood drift --bundle <zip> --summary <result.csv|json>`: a batch checked from its summary. */
export function driftSummary(
	bundlePath: string,
	summaryPath: string,
	options: ReadFileOptions
): Promise<BatchCheck> {
	return withBundleModel(bundlePath, async (loaded) => {
		// Bin names and category texts are read as written: no token is missing but an empty cell.
		const { table } = await readFileTable(summaryPath, { ...options, missing: { mode: 'keep' } });
		return checkSummary(loaded, tableRecords(table));
	});
}
