import type { Manifest } from '../core/bundle/manifest';
import type { DriftReport, FeatureDrift } from '../core/drift/types';
import type { BatchPerformance } from '../core/drift/monitor';
import type { DriftThresholds } from '../core/drift/thresholds';
import type { RetrainPolicy } from '../core/drift/retrain';
import type { AutopilotPolicy } from '../core/drift/autopilot';
import type { ExperimentConfig, ExperimentSummary } from '../core/model/experiment';
import type { EpochLog, SavedModel } from '../core/model/family';
import type { ReferenceSample } from '../core/model/reservoir';
import type { ColumnProfile, TableProfile } from '../core/profile/types';
import type { ColumnType, Dialect, ParseReport } from '../core/table/types';
import type { PairedComparison } from '../core/evaluate/paired';

/** A named dataset: a line of immutable versions. */
export interface DatasetRecord {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	latestVersion: number;
}

/** One column of a dataset version: its type, as inferred and as chosen. */
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
	/** Saved from an audit of its parent: what was left out, and why (absent otherwise). */
	audit?: AuditLineage;
}

/** A version made by leaving out the rows an audit of its parent flagged. */
export interface AuditLineage {
	/** The audited version's number. */
	of: number;
	target: string;
	/** Rows left out, by the kind of flag that named each first ("label", "duplicate", …). */
	leftOut: number;
	byKind: Record<string, number>;
}

/** A column's values as stored: one buffer. */
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

/** Where a run is: training, or how it ended. */
export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** An experiment run: what was asked, where it ran, and what it found. */
export interface RunRecord {
	id: string;
	/** Short, readable: "mlp 64-32 · seed 42". */
	name: string;
	datasetId: string;
	datasetName: string;
	/** The dataset version trained on (`${datasetId}@${version}`). */
	versionId: string;
	createdAt: number;
	/** Last sign of life while running; a stale one means the tab closed mid-training. */
	heartbeat: number;
	finishedAt: number | null;
	status: RunStatus;
	error: string | null;
	config: ExperimentConfig;
	backend: { name: string; adapter: string | null } | null;
	history: EpochLog[];
	/** Everything measured; null until done. The model and reference are in `runArtifacts`. */
	result: ExperimentSummary | null;
	/** The hyperparameter search this run belongs to, if any. */
	searchId: string | null;
	/** The best trial of its search, chosen by validation score (never by test). */
	searchBest: boolean;
}

/**
 * What a finished run made, kept apart from its record so that listing runs never loads weights
 * or reference rows. Keyed by the run's id; written with the run's final record.
 */
export interface RunArtifactsRecord {
	runId: string;
	model: SavedModel;
	/** Raw values of up to 10,000 training rows (inputs and target): the drift reference. */
	referenceSample: ReferenceSample;
	/** The training rows' own statistics; absent on runs made before they were kept. */
	referenceColumns?: ColumnProfile[];
}

/** The names a model version can be given in the registry. */
export type Alias = 'champion' | 'challenger';

/** One move of an alias; the history is append-only. */
export interface AliasEvent {
	alias: Alias;
	/** The version the alias now points at; null when it was cleared. */
	version: number | null;
	previous: number | null;
	at: number;
	note: string;
}

/** A named model in the registry: its aliases, their history, and its description. */
export interface ModelRecord {
	name: string;
	description: string;
	tags: string[];
	aliases: Record<Alias, number | null>;
	history: AliasEvent[];
	latestVersion: number;
	createdAt: number;
	updatedAt: number;
}

/** An immutable model version: everything a bundle holds. Only its card text can be edited. */
export interface ModelVersionRecord {
	/** `${name}@${version}` */
	id: string;
	name: string;
	version: number;
	/** The run it came from ('' when imported from a bundle made elsewhere). */
	runId: string;
	createdAt: number;
	source: 'studio' | 'import';
	/** The bundle manifest without checksums (they are computed at export). */
	manifest: Omit<Manifest, 'files'>;
	/** The model's files as its family saved them (the bundle's `model/`). */
	model: SavedModel;
	/** The model card (Markdown): README.md of the bundle. */
	card: string;
	/**
	 * What the registering person said the model is for, as typed: the model page reads it from
	 * here, never back out of the rendered card (a column name could forge a section there).
	 */
	intendedUse?: string;
}

/** One live batch checked against a model version's reference. */
export interface MonitorBatchRecord {
	id: string;
	/** `${name}@${version}` of the model version monitored. */
	modelVersionId: string;
	uploadedAt: number;
	fileName: string;
	rowCount: number;
	/** Data drift, schema and quality. */
	report: DriftReport;
	/** The model's outputs on the batch against its outputs on the reference sample. */
	predictionDrift: FeatureDrift | null;
	/** The target's distribution against the training rows' (labelled batches; absent before). */
	targetDrift?: FeatureDrift | null;
	/** Measured when the batch has the target column, else estimated (CBPE); beside the test score. */
	performance: BatchPerformance | null;
	/** The batch had the target column (absent on batches checked before retraining existed). */
	labelled?: boolean;
	/** Its rows are kept in `batchTables` for retraining (labelled batches only). */
	rowsKept?: boolean;
	/**
	 * `summary`: checked from a warehouse's pushdown summary (counts per reference bin), not from
	 * rows — KS and Wasserstein are bounded, performance is not measured. Absent: from rows.
	 */
	source?: 'summary';
}

/** A challenger retrained from a monitor, and how it compares with the champion. */
export interface RetrainRecord {
	id: string;
	/** The monitored version (the champion it was compared with). */
	modelVersionId: string;
	createdAt: number;
	status: 'done' | 'failed' | 'cancelled';
	error: string | null;
	includeTraining: boolean;
	trainBatches: { id: string; fileName: string }[];
	/** `holdout`: the newest share of it compared on, the rest trained on (absent: all compared). */
	evalBatch: { id: string; fileName: string; holdout?: number };
	/** Training rows (original + batches). */
	rows: number;
	/** The dataset version made of them. */
	datasetVersionId: string | null;
	runId: string | null;
	/** `${name}@${version}` of the challenger. */
	challengerVersionId: string | null;
	champion: BatchPerformance | null;
	challenger: BatchPerformance | null;
	/** Challenger − champion on the same rows with its 95 % interval (absent on older records). */
	comparison?: PairedComparison | null;
	promotedAt: number | null;
	/**
	 * Started by the autopilot, not a person: the rule that fired, the policy in words, and what
	 * it decided after the comparison (null until then, or when the retrain failed).
	 */
	autopilot?: { reason: string; policy: string; decision: string | null };
}

/** A monitor's settings: its thresholds and any test chosen per feature. */
export interface MonitorSettingsRecord {
	modelVersionId: string;
	thresholds: DriftThresholds;
	/** When to suggest retraining (absent: the default policy). */
	policy?: RetrainPolicy;
	/** The retraining policy on autopilot (absent: off, as before it existed). */
	autopilot?: AutopilotPolicy;
	updatedAt: number;
}
