import type { SavedModel } from '../core/model/family';
import { layersFamilyOf, layersModelJson, layersSaved } from '../core/model/neural/files';
import type {
	ModelVersionRecord,
	MonitorBatchRecord,
	RunArtifactsRecord,
	RunRecord
} from './types';

/**
 * Records as older Driftwoods stored them, upgraded to today's shape. The database migration and
 * the import of an older workspace backup both use these, so an old record never reaches the app.
 */

/** A run's result before artifacts were split off (database 6, backup 1). */
interface RunResultV6 {
	artifacts?: {
		modelTopology: object;
		weightSpecs: { name: string; shape: number[]; dtype: string }[];
		weightData: ArrayBuffer;
	};
	referenceSample?: RunArtifactsRecord['referenceSample'];
	referenceColumns?: RunArtifactsRecord['referenceColumns'];
}

/** Is this run record in the old shape (its result holding the model)? */
export function isOldRun(run: RunRecord): boolean {
	return !!run.result && 'artifacts' in run.result;
}

/** A run in the old shape as today's run record and its artifacts record (null when unfinished). */
export function upgradeRun(old: RunRecord): {
	run: RunRecord;
	artifacts: RunArtifactsRecord | null;
} {
	if (!old.result) return { run: old, artifacts: null };
	const { artifacts, referenceSample, referenceColumns, ...rest } = old.result as RunResultV6 &
		NonNullable<RunRecord['result']>;
	// One family per run then: the spec it was given is the model, its only candidate.
	const spec = old.config.model as NonNullable<RunRecord['result']>['model'];
	const summary = {
		...rest,
		model: rest.model ?? spec,
		refit: rest.refit ?? null,
		gainImportance: rest.gainImportance ?? null,
		candidates: rest.candidates ?? [
			{
				model: spec,
				validation: rest.validation?.[rest.primaryMetric] ?? null,
				loss:
					(rest.task === 'regression' ? rest.validation?.rmse : rest.validation?.log_loss) ?? null,
				seconds: rest.timings?.train ?? 0,
				chosen: true
			}
		]
	};
	const run: RunRecord = { ...old, result: summary };
	if (!artifacts || !referenceSample) return { run, artifacts: null };
	const record: RunArtifactsRecord = {
		runId: old.id,
		model: layersSaved(
			old.config.model.kind,
			layersModelJson(artifacts.modelTopology, artifacts.weightSpecs),
			artifacts.weightData
		),
		referenceSample
	};
	if (referenceColumns) record.referenceColumns = referenceColumns;
	return { run, artifacts: record };
}

/** A model version before families (database 6, backup 1): `modelJson` + `weights`. */
interface ModelVersionV6 extends Omit<ModelVersionRecord, 'model'> {
	modelJson: Parameters<typeof layersSaved>[1];
	weights: ArrayBuffer;
}

/** Is this model version in the old shape (`modelJson` + `weights`)? */
export function isOldModelVersion(record: ModelVersionRecord): boolean {
	return !('model' in record) && 'modelJson' in record;
}

/** A model version in the old shape with its files as a saved model and a format-2 manifest. */
export function upgradeModelVersion(record: ModelVersionRecord): ModelVersionRecord {
	const old = record as unknown as ModelVersionV6;
	const { modelJson, weights, ...rest } = old;
	const probe: SavedModel = layersSaved('linear', modelJson, weights);
	const family = layersFamilyOf(probe);
	return {
		...rest,
		manifest: {
			...rest.manifest,
			formatVersion: 2,
			model: { ...rest.manifest.model, family }
		},
		model: { ...probe, family }
	};
}

/** Was this batch stored with its alerts as text (database 6, backup 1)? */
export function isOldBatch(record: MonitorBatchRecord): boolean {
	return 'alerts' in record || 'alerts' in (record.report ?? {});
}

/**
 * A batch without the alert texts it was stored with: alerts are derived from its findings
 * (`batchAlerts`) with the monitor's thresholds, so they always match its verdict.
 */
export function upgradeBatch(record: MonitorBatchRecord): MonitorBatchRecord {
	const { alerts: _alerts, ...rest } = record as MonitorBatchRecord & { alerts?: unknown };
	void _alerts;
	const { alerts: _reportAlerts, ...report } = rest.report as MonitorBatchRecord['report'] & {
		alerts?: unknown;
	};
	void _reportAlerts;
	return { ...rest, report };
}
