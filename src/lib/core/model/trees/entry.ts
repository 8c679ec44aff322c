import type { FamilyEntry } from '../family';
import { validateGbdtSpec } from '../spec';
import { treesOnnx } from './onnx';
import { describeTrees, TREE_FILES, verifyTrees } from './files';

/** Gradient-boosted trees on histograms (scikit-learn's HistGradientBoosting*). */
export const gbdtEntry: FamilyEntry = {
	name: 'gbdt',
	label: 'Gradient-boosted trees',
	files: TREE_FILES,
	readsMissing: true,
	validate: validateGbdtSpec,
	verify: verifyTrees,
	describe: describeTrees,
	onnx: treesOnnx,
	implementation: () => import('./family').then((m) => m.treesFamily)
};
