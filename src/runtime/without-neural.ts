/**
 * Stands in for the neural families in the tree-only runtime (dist/driftwood-runtime-trees.js):
 * a bundle of a linear model or an MLP is refused by name instead of pulling in TensorFlow.js.
 */
import { DriftwoodError } from '../lib/core/errors';
import type { FamilyImplementation } from '../lib/core/model/family';

/** Refuses: this build carries no TensorFlow.js. */
export function layersFamily(family: string): FamilyImplementation {
	throw new DriftwoodError(
		`This bundle holds a ${family === 'mlp' ? 'neural network (MLP)' : 'linear model'}, and this is the tree-only runtime (driftwood-runtime-trees.js, without TensorFlow.js): load it with driftwood-runtime.js instead.`,
		'family'
	);
}
