import { defineConfig, mergeConfig, type Plugin } from 'vite';
import runtime from './vite.runtime.config';

/**
 * The tree-only runtime: dist/driftwood-runtime-trees.js, the same entry as the full runtime but
 * with the neural families' lazily imported code (the only importer of TensorFlow.js) replaced by
 * a module that refuses such bundles by name. A page that serves gradient-boosted trees loads a
 * few hundred kilobytes instead of TensorFlow.js.
 */
const NEURAL_ENTRY = /src\/lib\/core\/model\/neural\/entry\.ts$/;
const withoutNeural: Plugin = {
	name: 'driftwood-without-neural',
	enforce: 'pre',
	resolveId(source, importer) {
		if (source === './family' && importer && NEURAL_ENTRY.test(importer)) {
			return new URL('./src/runtime/without-neural.ts', import.meta.url).pathname;
		}
		return null;
	}
};

export default mergeConfig(
	runtime,
	defineConfig({
		plugins: [withoutNeural],
		build: {
			lib: {
				entry: 'src/runtime/index.ts',
				formats: ['es'],
				fileName: () => 'driftwood-runtime-trees.js'
			}
		}
	})
);
