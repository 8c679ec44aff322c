import type { FamilyEntry } from '../family';
import { validateSpec } from '../spec';
import { layersOnnx } from './onnx';
import { describeLayers, LAYERS_FILES, verifyLayers } from './files';

/** The registry entries of the tfjs families; their heavy code (tfjs) loads on first use. */
function layersEntry(name: 'linear' | 'mlp', label: string): FamilyEntry {
	return {
		name,
		label,
		files: LAYERS_FILES,
		readsMissing: false,
		validate: validateSpec,
		verify: verifyLayers,
		describe: describeLayers,
		onnx: layersOnnx,
		implementation: () => import('./family').then((m) => m.layersFamily(name))
	};
}

/** Linear, logistic or softmax regression by task: one dense layer. */
export const linearEntry = layersEntry('linear', 'Linear');
/** A multilayer perceptron: hidden dense layers, dropout, L2. */
export const mlpEntry = layersEntry('mlp', 'MLP');
