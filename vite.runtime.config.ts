import { defineConfig, type Plugin } from 'vite';

/**
 * The runtime predicts and never trains: the neural family's tfjs trainer (the only importer of
 * TensorFlow.js) is replaced by a module that refuses, so the runtime carries no TensorFlow.js.
 */
const NEURAL_FAMILY = /src\/lib\/core\/model\/neural\/family\.ts$/;
const withoutTfjs: Plugin = {
	name: 'driftwood-without-tfjs',
	enforce: 'pre',
	resolveId(source, importer) {
		if (source === './tfjs-fit' && importer && NEURAL_FAMILY.test(importer))
			return new URL('./src/runtime/without-tfjs.ts', import.meta.url).pathname;
		return null;
	}
};

/**
 * Builds the standalone runtime: one ES module, dist/driftwood-runtime.js, that loads bundles and
 * predicts in any web page or in Node (networks predict in plain loops: no TensorFlow.js inside). The model families' code,
 * imported lazily in core, is inlined so that the one file is the whole runtime.
 */
export default defineConfig({
	plugins: [withoutTfjs],
	resolve: {
		alias: {
			util: new URL('./src/runtime/node-builtins.ts', import.meta.url).pathname,
			'node-fetch': new URL('./src/runtime/node-builtins.ts', import.meta.url).pathname
		}
	},
	build: {
		outDir: 'dist',
		emptyOutDir: false,
		target: 'es2022',
		lib: { entry: 'src/runtime/index.ts', formats: ['es'], fileName: () => 'driftwood-runtime.js' },
		rollupOptions: {
			external: [/^node:/],
			// One file to copy and serve: the families' lazily imported code is inlined, not chunked.
			output: { inlineDynamicImports: true }
		}
	}
});
