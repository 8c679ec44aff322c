import type { FamilyEntry } from '../family';
import type { Registry } from './registry';
import { validateEnsembleSpec, type FamilySpec } from '../spec';
import { describeEnsemble, ENSEMBLE_FILE, ensembleMemberFiles, readEnsemble } from './files';
import { ensembleOnnx } from './onnx';

/**
 * The registry entry of ensembles, made with the registry's own functions so that this folder
 * needs no import of the registry (no cycle): its members are models of the other families, each
 * read, checked, described, fitted, loaded and exported by its own entry.
 */
export function makeEnsembleEntry(registry: Registry): FamilyEntry {
	const { entryOf } = registry;
	return {
		name: 'ensemble',
		label: 'Ensemble',
		files: [ENSEMBLE_FILE],
		memberFiles: (files) => ensembleMemberFiles(files, entryOf),
		// A member may be a network: a worker starts a compute backend before loading one.
		// Its recipe keeps missing values (the trees' reading); other members see them filled.
		readsMissing: true,
		validate: (spec) =>
			validateEnsembleSpec(spec, (member: FamilySpec) => entryOf(member.kind).validate(member)),
		verify(saved) {
			try {
				readEnsemble(saved, entryOf);
				return [];
			} catch (error) {
				return [error instanceof Error ? error.message : String(error)];
			}
		},
		describe: (saved) => describeEnsemble(saved, entryOf),
		onnx: (saved, g, x, task) => ensembleOnnx(saved, g, x, task, entryOf),
		implementation: () => import('./family').then((m) => m.ensembleFamily(registry))
	};
}
