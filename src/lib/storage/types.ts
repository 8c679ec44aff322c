import type { TableProfile } from '../core/profile/types';
import type { ColumnType, Dialect, ParseReport } from '../core/table/types';

/** A named dataset: a line of immutable versions. */
export interface DatasetRecord {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	latestVersion: number;
}

export interface VersionColumn {
	name: string;
	type: ColumnType;
	/** What inference said, kept so the UI can show that the user overrode it. */
	inferredType: ColumnType;
	storage: 'float' | 'coded';
}

/** One immutable version of a dataset. Its content lives in `tables` under `tableId`. */
export interface VersionRecord {
	/** `${datasetId}@${version}` */
	id: string;
	datasetId: string;
	version: number;
	/** SHA-256 of the table's canonical encoding: the content's id. */
	tableId: string;
	createdAt: number;
	source: { fileName: string; bytes: number };
	dialect: Dialect;
	report: ParseReport;
	rowCount: number;
	columns: VersionColumn[];
	target: string | null;
	profile: TableProfile;
	/** The version this one was derived from (a type change), if any. */
	parent: string | null;
	note: string;
}

export interface StoredColumn {
	name: string;
	type: ColumnType;
	storage: 'float' | 'coded';
	/** Float64Array bytes (float) or Int32Array bytes (coded): ArrayBuffer, never Blob. */
	buffer: ArrayBuffer;
	categories: string[] | null;
}

/** A table's content, stored once however many versions share it. */
export interface StoredTable {
	id: string;
	rowCount: number;
	columns: StoredColumn[];
}
