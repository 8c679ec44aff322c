import { modelIdentity } from '../core/bundle/bytes';
import { renderModelCard } from '../core/bundle/card';
import { trainingSettings } from '../core/bundle/training';
import { auditLineageText } from '../core/audit/flags';
import { describeModel, fittedRows, type ManifestInput } from '../core/bundle/describe';
import { bundleFileName } from '../core/bundle/file-names';
import type { BundleParts } from '../core/bundle/pack';
import type { UnpackedBundle } from '../core/bundle/unpack';
import { DriftwoodError } from '../core/errors';
import { describeSaved, type FamilyName } from '../core/model/families';
import type { Database } from '../storage/db';
import { listModelVersions, registerVersion } from '../storage/models';
import { getRunArtifacts } from '../storage/runs';
import type {
	ModelVersionRecord,
	RunArtifactsRecord,
	RunRecord,
	VersionRecord
} from '../storage/types';

/** Who made a manifest, as its `producer` says. */
export const PRODUCER = 'Driftwood studio';

/** What registering a run needs: the run, the model name and the card's notes. */
export interface RegisterInput {
	run: RunRecord;
	name: string;
	intendedUse: string;
	limitations: string;
	/** When the manifest is written (tests pass a fixed one). */
	now?: Date;
}

/**
 * The drift reference of a run: its training rows' statistics and raw sample. Runs made before
 * the training rows' statistics were kept fall back to the dataset version's (all its rows).
 */
export function referenceOf(
	artifacts: RunArtifactsRecord,
	run: RunRecord,
	version: VersionRecord
): ManifestInput['reference'] {
	const result = run.result!;
	if (artifacts.referenceColumns)
		return {
			rows: fittedRows(result),
			columns: artifacts.referenceColumns,
			sample: artifacts.referenceSample
		};
	const kept = new Set([...result.recipe.steps.map((s) => s.column), result.recipe.target]);
	return {
		rows: version.profile.rowCount,
		columns: version.profile.columns.filter((c) => kept.has(c.name)),
		sample: artifacts.referenceSample
	};
}

/**
 * What a finished run's manifest and card are made of: its manifest for a version number, and
 * its card for that manifest. Throws, with the reason, when the run cannot be described.
 */
async function runDescription(db: Database, input: RegisterInput) {
	const { run } = input;
	const result = run.result;
	if (run.status !== 'done' || !result)
		throw new DriftwoodError('Only a finished run can be registered.', 'experiment');
	const [datasetVersion, artifacts] = await Promise.all([
		db.get('versions', run.versionId),
		getRunArtifacts(db, run.id)
	]);
	if (!datasetVersion)
		throw new DriftwoodError(
			'The dataset version this run trained on was deleted: its profile is needed for the model card and drift reference.',
			'experiment'
		);
	if (!artifacts)
		throw new DriftwoodError(
			"This run's model is missing from storage (it was made by a Driftwood that did not keep it): train it again to register it.",
			'experiment'
		);
	const now = input.now ?? new Date();
	const manifestFor = (version: number) =>
		describeModel({
			name: input.name,
			version,
			result,
			family: artifacts.model.family as FamilyName,
			profile: datasetVersion.profile,
			reference: referenceOf(artifacts, run, datasetVersion),
			producer: PRODUCER,
			createdAt: now.toISOString(),
			lineage: {
				datasetId: run.datasetId,
				datasetName: run.datasetName,
				datasetVersion: datasetVersion.version,
				tableId: datasetVersion.tableId,
				runId: run.id,
				trainedAt: new Date(run.finishedAt ?? run.createdAt).toISOString()
			},
			training: trainingSettings(run.config, result)
		});
	const cardFor = (version: number, title?: string) =>
		renderModelCard(manifestFor(version), {
			intendedUse: input.intendedUse,
			limitations: input.limitations,
			robustness: result.robustness,
			importance: result.importance,
			rows: result.rows,
			refit: result.refit,
			finalRefit: result.finalRefit ?? null,
			model: describeSaved(artifacts.model),
			audit: datasetVersion.audit ? auditLineageText(datasetVersion.audit) : null,
			...(title !== undefined ? { title } : {})
		});
	return { manifestFor, cardFor, model: artifacts.model };
}

/**
 * Registers a finished run as the next version of `name`: its manifest (schema, recipe, metrics,
 * drift reference, lineage), its model card and its model files, in one transaction.
 */
export async function registerRun(db: Database, input: RegisterInput): Promise<ModelVersionRecord> {
	const { manifestFor, cardFor, model } = await runDescription(db, input);
	return registerVersion(db, {
		name: input.name,
		runId: input.run.id,
		source: 'studio',
		manifest: manifestFor(1),
		model,
		intendedUse: input.intendedUse,
		card: (version) => cardFor(version)
	});
}

/**
 * A finished run's card before it is registered (for its report): the card registering it would
 * write, titled by the run, its intended use and limitations not written yet.
 */
export async function runCard(db: Database, run: RunRecord): Promise<string> {
	const { cardFor } = await runDescription(db, {
		run,
		name: run.datasetName,
		intendedUse: '',
		limitations: ''
	});
	return cardFor(1, `Run ${run.name} on ${run.datasetName}`);
}

/** The parts of a version's bundle, for the packer (which runs in a data worker). */
export function bundlePartsOf(version: ModelVersionRecord): {
	fileName: string;
	parts: BundleParts;
} {
	return {
		fileName: bundleFileName(version.name, version.version),
		parts: { manifest: version.manifest, model: version.model, readme: version.card }
	};
}

/**
 * Adds an opened bundle (every check already passed: unpackBundle) as the next version of its
 * model. A bundle whose model files are already a version here adds nothing: that version is
 * returned as `duplicate`.
 */
export async function importOpenedBundle(
	db: Database,
	bundle: UnpackedBundle & { identity: string }
): Promise<{ version: ModelVersionRecord; duplicate: boolean }> {
	for (const existing of await listModelVersions(db)) {
		if ((await modelIdentity(existing.model)) === bundle.identity)
			return { version: existing, duplicate: true };
	}
	const { files: _checksums, ...manifest } = bundle.manifest;
	void _checksums;
	const version = await registerVersion(db, {
		name: manifest.model.name,
		runId: '',
		source: 'import',
		manifest,
		model: bundle.model,
		card: () => bundle.readme
	});
	return { version, duplicate: false };
}
