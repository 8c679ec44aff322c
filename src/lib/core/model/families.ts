import { DriftwoodError } from '../errors';
import type {
	FamilyEntry,
	FitData,
	FitOutcome,
	ModelDescription,
	SavedModel,
	TrainHooks,
	TrainedModel
} from './family';
import { linearEntry, mlpEntry } from './neural/entry';
import { gbdtEntry } from './trees/entry';
import { makeEnsembleEntry } from './ensemble/entry';
import { assertFiniteOutputs } from './outputs';
import { candidatesOf, type EnsembleSpec, type ModelChoice, type ModelSpec } from './spec';
import type { Task } from './task';

/**
 * The model families Driftwood trains, bundles and serves. A new family is one folder beside
 * `neural/` (its entry and its implementation) and one line here; nothing in evaluation, bundles,
 * the runtime or monitoring changes.
 */
const FAMILIES = {
	linear: linearEntry,
	mlp: mlpEntry,
	gbdt: gbdtEntry,
	// Members are models of the families above, each handled by its own entry.
	ensemble: makeEnsembleEntry({
		entryOf: (name) => familyEntry(name),
		fit: (...args) => fitModel(...args),
		load: (...args) => loadModel(...args)
	})
} satisfies Record<string, FamilyEntry>;

/** The name of a registered family: what `ModelSpec.kind` and a manifest's `model.family` hold. */
export type FamilyName = keyof typeof FAMILIES;
/** Every registered family, in registry order (the manifest schema accepts exactly these). */
export const FAMILY_NAMES = Object.keys(FAMILIES) as [FamilyName, ...FamilyName[]];

/** The registry entry of a family; a name Driftwood does not know is a `family` error. */
export function familyEntry(name: string): FamilyEntry {
	const entry = (FAMILIES as Record<string, FamilyEntry>)[name];
	if (!entry || !Object.hasOwn(FAMILIES, name)) {
		throw new DriftwoodError(
			`Driftwood does not know the model family "${name}" (it knows ${FAMILY_NAMES.join(', ')}). A newer Driftwood may have made this model: update to use it.`,
			'family'
		);
	}
	return entry;
}

/** Every problem with a spec (or each candidate of an automatic choice), in words; empty when it can be trained. */
export function validateModelSpec(spec: ModelChoice | EnsembleSpec): string[] {
	if (spec.kind === 'auto')
		return Number.isInteger(spec.seed)
			? candidatesOf(spec).flatMap((c) => familyEntry(c.kind).validate(c))
			: [`The seed must be a whole number (got ${spec.seed}).`];
	return familyEntry(spec.kind).validate(spec);
}

/** Plain words about a saved model, for the card and the model page. */
export function describeSaved(saved: SavedModel): ModelDescription {
	return familyEntry(saved.family).describe(saved);
}

/**
 * Wraps a family's model so that every prediction passes the finite-output guard (one guard for
 * every family, every caller: studio, predict worker, monitor, runtime, CLI).
 */
function guarded(model: TrainedModel, task: Task): TrainedModel {
	return {
		family: model.family,
		outputs: model.outputs,
		async predict(x) {
			const out = await model.predict(x);
			assertFiniteOutputs(out, model.outputs, task !== 'regression');
			return out;
		},
		...(model.predictChanged
			? {
					async predictChanged(base: Float32Array, x: Float32Array, changed: readonly number[]) {
						const out = await model.predictChanged!(base, x, changed);
						assertFiniteOutputs(out, model.outputs, task !== 'regression');
						return out;
					}
				}
			: {}),
		save: () => model.save(),
		...(model.gainImportance ? { gainImportance: model.gainImportance.bind(model) } : {}),
		...(model.contributions ? { contributions: model.contributions.bind(model) } : {}),
		...(model.rawOutputs ? { rawOutputs: model.rawOutputs.bind(model) } : {}),
		dispose: () => model.dispose()
	};
}

/** Trains the family that `spec.kind` names (its spec checked first). */
export async function fitModel(
	data: FitData,
	spec: ModelSpec,
	task: Task,
	hooks: TrainHooks = {}
): Promise<{ model: TrainedModel; outcome: FitOutcome }> {
	const entry = familyEntry(spec.kind);
	const problems = entry.validate(spec);
	if (problems.length) throw new DriftwoodError(problems.join(' '), 'experiment');
	const implementation = await entry.implementation();
	const { model, outcome } = await implementation.fit(data, spec, task, hooks);
	return { model: guarded(model, task), outcome };
}

/** Builds a saved model of any family (its files verified first), ready to predict. */
export async function loadModel(
	saved: SavedModel,
	task: Task,
	classes: number
): Promise<TrainedModel> {
	const entry = familyEntry(saved.family);
	const problems = entry.verify(saved);
	if (problems.length) throw new DriftwoodError(problems.join(' '), 'bundle');
	const implementation = await entry.implementation();
	return guarded(await implementation.load(saved, task, classes), task);
}
