import type { FamilyName } from '../model/families';
import type { ExperimentResult, ExperimentSummary } from '../model/experiment';
import type { ReferenceSample } from '../model/reservoir';
import type { ColumnProfile, TableProfile } from '../profile/types';
import type { Manifest, SchemaColumnSpec } from './manifest';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './manifest';
import type { TrainingSettings } from './training';

/**
 * What a model version's manifest is written from: the run's result, its family, data and lineage.
 */
export interface ManifestInput {
	name: string;
	version: number;
	result: ExperimentSummary;
	family: FamilyName;
	/** The profile of the dataset version the run trained on (schema hints). */
	profile: TableProfile;
	/** The drift reference: the training rows' statistics, and a sample of their raw values. */
	reference: { rows: number; columns: ColumnProfile[]; sample: ReferenceSample };
	lineage: Manifest['lineage'];
	/** How the run trained, for a replay on new rows (`driftwood retrain`). */
	training?: TrainingSettings | null;
	producer: string;
	createdAt: string;
}

/** The rows the deployed model was fitted on: every row after a final refit, training + validation after a refit, else training. */
export function fittedRows(
	result: Pick<ExperimentSummary, 'refit' | 'finalRefit' | 'rows'>
): number {
	return result.finalRefit?.rows ?? result.refit?.rows ?? result.rows.train;
}

/** The family and drift reference of a result fresh from an experiment (not from storage). */
export function freshModelInput(
	result: ExperimentResult
): Pick<ManifestInput, 'family' | 'reference'> {
	return {
		family: result.artifacts.model.family as FamilyName,
		reference: {
			rows: fittedRows(result),
			columns: result.artifacts.referenceColumns,
			sample: result.artifacts.referenceSample
		}
	};
}

/** The manifest of a model version, without `files` (the packer fills in the checksums). */
export function describeModel(input: ManifestInput): Omit<Manifest, 'files'> {
	const { result, profile } = input;
	const byName = new Map(profile.columns.map((c) => [c.name, c]));
	const schema: SchemaColumnSpec[] = result.recipe.steps.map((step) => {
		const column = byName.get(step.column);
		const spec: SchemaColumnSpec = {
			name: step.column,
			type: column?.type ?? 'numeric',
			required: true
		};
		if (step.kind === 'categorical') spec.categories = [...step.categories];
		else if (
			column &&
			column.min !== null &&
			column.max !== null &&
			Number.isFinite(column.min) &&
			Number.isFinite(column.max)
		) {
			spec.range = [column.min, column.max];
		}
		return spec;
	});
	return {
		format: BUNDLE_FORMAT,
		formatVersion: BUNDLE_FORMAT_VERSION,
		createdAt: input.createdAt,
		producer: input.producer,
		model: {
			name: input.name,
			version: input.version,
			family: input.family,
			task: result.task,
			labels: result.labels,
			target: result.recipe.target
		},
		schema,
		recipe: result.recipe,
		targetScale: result.targetScale,
		metrics: { test: result.test, baseline: result.baseline, validation: result.validation },
		reference: {
			rows: input.reference.rows,
			sample: input.reference.sample,
			calibration: result.calibration,
			columns: input.reference.columns.map((c) => ({
				name: c.name,
				type: c.type,
				count: c.count,
				missing: c.missing,
				mean: finiteOrNull(c.mean),
				std: finiteOrNull(c.std),
				min: finiteOrNull(c.min),
				max: finiteOrNull(c.max),
				quantiles:
					[c.p25, c.p50, c.p75].every((q) => q !== null && Number.isFinite(q)) &&
					c.type !== 'datetime'
						? { p25: c.p25!, p50: c.p50!, p75: c.p75! }
						: null,
				histogram: !c.histogram
					? null
					: c.histogram.kind === 'bins'
						? { edges: c.histogram.edges, counts: c.histogram.counts }
						: {
								edges: [
									...c.histogram.values.map((v) => v - 0.5),
									c.histogram.values[c.histogram.values.length - 1]! + 0.5
								],
								counts: c.histogram.counts
							},
				categories: c.top.length ? c.top.map((t) => ({ value: t.value, count: t.count })) : null
			}))
		},
		// The bounds a model carries: the calibration, its 90 % test coverage, the guarantee's condition.
		conformal: result.conformal
			? {
					calibration: result.conformal.calibration,
					source: result.conformal.source,
					test: result.conformal.test,
					exchangeable: result.conformal.exchangeable
				}
			: null,
		probabilityCalibration: result.probabilityCalibration
			? {
					...result.probabilityCalibration,
					test: {
						raw: finiteOrNull(result.probabilityCalibration.test.raw),
						calibrated: finiteOrNull(result.probabilityCalibration.test.calibrated)
					}
				}
			: null,
		...(input.training ? { training: input.training } : {}),
		lineage: input.lineage
	};
}

function finiteOrNull(v: number | null): number | null {
	return v !== null && Number.isFinite(v) ? v : null;
}
