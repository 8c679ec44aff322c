import { readFile } from 'node:fs/promises';
import { loadBundleModel } from '../../lib/core/bundle/predict';
import { unpackBundle } from '../../lib/core/bundle/unpack';
import { checkSummary, modelPushdownPlan, tableRecords } from '../../lib/core/drift/pushdown-check';
import { pushdownSql, type Dialect } from '../../lib/core/drift/pushdown-sql';
import type { BatchCheck } from '../../lib/core/drift/types';
import { readFileTable, type ReadFileOptions } from '../read-file';

/**
 * `driftwood sql --bundle <zip> --dialect <d> --table <t> [--where <c>] [--prediction <column>]
 * [--target <column>]`:
 * the one query that summarises a batch in the warehouse for the bundle's drift report.
 */
export async function sqlForBundle(
	bundlePath: string,
	options: { dialect: Dialect; table: string; where?: string; prediction?: string; target?: string }
): Promise<string> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const loaded = await loadBundleModel(bundle.manifest, bundle.model);
	try {
		const plan = await modelPushdownPlan(
			loaded,
			options.prediction ?? null,
			undefined,
			options.target ?? null
		);
		const { name, version } = bundle.manifest.model;
		return `${pushdownSql(plan, {
			...options,
			title: `Driftwood drift summary of "${name}" v${version}`
		})};\n`;
	} finally {
		loaded.model.dispose();
	}
}

/** `driftwood drift --bundle <zip> --summary <result.csv|json>`: a batch checked from its summary. */
export async function driftSummary(
	bundlePath: string,
	summaryPath: string,
	options: ReadFileOptions
): Promise<BatchCheck> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const loaded = await loadBundleModel(bundle.manifest, bundle.model);
	try {
		// Bin names and category texts are read as written: no token is missing but an empty cell.
		const { table } = await readFileTable(summaryPath, { ...options, missing: { mode: 'keep' } });
		return await checkSummary(loaded, tableRecords(table));
	} finally {
		loaded.model.dispose();
	}
}
