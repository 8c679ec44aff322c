import { modelIdentity } from '../core/bundle/bytes';
import { exportOnnx } from '../core/bundle/onnx';
import { packBundle, type BundleParts } from '../core/bundle/pack';
import {
	BundleError,
	MAX_BUNDLE_BYTES,
	unpackBundle,
	type UnpackedBundle
} from '../core/bundle/unpack';
import { retrainingTable, type TrainingColumn } from '../core/drift/retrain';
import { hashTable } from '../core/hash/table';
import { profileTable } from '../core/profile/profile';
import { takeRows } from '../core/table/rows';
import type { TableProfile } from '../core/profile/types';
import { tableBuffers } from '../core/table/access';
import { convertColumn } from '../core/table/convert';
import { SNIFF_BYTES, sniffDialect } from '../core/table/dialect';
import type { ReadProgress } from '../core/table/read';
import { blobSource, readSource } from '../core/table/source';
import {
	InputError,
	type ColumnType,
	type Dialect,
	type Encoding,
	type ParseReport,
	type Table
} from '../core/table/types';

/** A table with everything the page shows about it; its buffers travel by transfer. */
export interface AnalyzedTable {
	table: Table;
	tableId: string;
	profile: TableProfile;
}

export interface ImportResult extends AnalyzedTable {
	report: ParseReport;
	inferredTypes: ColumnType[];
}

export interface Retype {
	column: string;
	type: ColumnType;
}

/** What a type change cost, per column, for the page to report. */
export interface RetypeResult extends AnalyzedTable {
	lost: { column: string; count: number }[];
}

const PROGRESS_INTERVAL_MS = 80;

/** The data worker's functions, plain so that tests can call them without a worker. */
export const dataApi = {
	/**
	 * Guesses the dialect from the first 64 KB of the file; `encoding` when the user chose one
	 * (a UTF-16 file without a BOM), so that delimiter and header are found in the right text.
	 */
	async sniff(file: Blob & { name?: string }, encoding?: Encoding): Promise<Dialect> {
		const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
		return sniffDialect(head, file.name ?? '', encoding);
	},

	/** Streams the file into a typed table, infers types, profiles and hashes it. */
	async importFile(
		file: Blob,
		dialect: Dialect,
		target: string | null,
		onProgress: (progress: ReadProgress) => void
	): Promise<ImportResult> {
		let last = 0;
		const sample = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
		const { table, report } = await readSource(blobSource(file), dialect, {
			sample,
			onProgress(progress) {
				const now = Date.now();
				if (now - last >= PROGRESS_INTERVAL_MS) {
					last = now;
					onProgress(progress);
				}
			}
		});
		onProgress({ bytes: file.size, totalBytes: file.size, rows: table.rowCount });
		if (table.columns.length === 0) throw new InputError('The file has no columns.', 'no-columns');
		const chosen = target && table.columns.some((c) => c.name === target) ? target : null;
		return {
			...(await analyze(table, chosen)),
			report,
			inferredTypes: table.columns.map((c) => c.type)
		};
	},

	/** Applies type overrides (the user's), then profiles and hashes the result. */
	async retype(table: Table, changes: Retype[], target: string | null): Promise<RetypeResult> {
		const lost: { column: string; count: number }[] = [];
		const columns = table.columns.map((column) => {
			const change = changes.find((c) => c.column === column.name);
			if (!change) return column;
			const result = convertColumn(column, change.type);
			if (!result.ok) throw new InputError(result.message, 'no-columns');
			if (result.lost > 0) lost.push({ column: column.name, count: result.lost });
			return result.column;
		});
		return { ...(await analyze({ rowCount: table.rowCount, columns }, target)), lost };
	},

	/**
	 * A challenger's training data: the training rows and the picked batches fitted to the training
	 * columns and appended (core/drift/retrain), then profiled and hashed like any version.
	 */
	async retrainingData(
		columns: TrainingColumn[],
		required: string[],
		base: Table | null,
		batches: { name: string; table: Table }[],
		target: string | null
	): Promise<AnalyzedTable & { problemCount: number }> {
		const { table, problemCount } = retrainingTable(columns, required, base, batches);
		return { ...(await analyze(table, target)), problemCount };
	},

	/** A model version as one ONNX file with its preprocessing, off the page's thread. */
	async exportOnnx(parts: BundleParts): Promise<Uint8Array> {
		return exportOnnx(parts.manifest, parts.model);
	},

	/** Packs a model version as a bundle (zip + checksums), off the page's thread. */
	async packBundle(parts: BundleParts): Promise<Uint8Array> {
		return packBundle(parts);
	},

	/**
	 * Opens a bundle file with every check (unpackBundle), off the page's thread, and names the
	 * model it holds (`modelIdentity`) so the page can tell a bundle it already has.
	 */
	async openBundle(file: Blob): Promise<UnpackedBundle & { identity: string }> {
		// A zip no larger than what it may expand to: refused by its size before it is read at all
		// (a 250 MB file otherwise failed in the browser's read with a bare "AbortError").
		if (file.size > MAX_BUNDLE_BYTES)
			throw new BundleError(
				`This file is ${Math.round(file.size / 1048576)} MB; a Driftwood bundle is at most ${MAX_BUNDLE_BYTES / 1048576} MB. Is it the right file?`
			);
		const bundle = await unpackBundle(new Uint8Array(await file.arrayBuffer()));
		return { ...bundle, identity: await modelIdentity(bundle.model) };
	},

	/** The table without some rows (an audit's flags), profiled and hashed like any version. */
	async withoutRows(table: Table, drop: Int32Array, target: string | null): Promise<AnalyzedTable> {
		const dropped = new Set(drop);
		const kept = Int32Array.from({ length: table.rowCount }, (_, i) => i).filter(
			(r) => !dropped.has(r)
		);
		return analyze(
			takeRows(
				table,
				kept,
				table.columns.map((c) => c.name)
			),
			target
		);
	},

	/** Profiles again for another target; the content id does not change. */
	async analyze(table: Table, target: string | null): Promise<AnalyzedTable> {
		return analyze(table, target);
	}
};

async function analyze(table: Table, target: string | null): Promise<AnalyzedTable> {
	const profile = profileTable(table, target);
	const tableId = await hashTable(table);
	return { table, tableId, profile };
}

export type DataApi = typeof dataApi;

/** The buffers of a result, for comlink's `transfer`. */
export function resultBuffers(result: AnalyzedTable): ArrayBuffer[] {
	return tableBuffers(result.table);
}
