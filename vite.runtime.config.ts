import { defineConfig } from 'vite';

/**
 * Builds the standalone runtime: one ES module, dist/driftwood-runtime.js, with TensorFlow.js
 * inside, that loads bundles and predicts in any web page or in Node. The model families' code,
 * imported lazily in core, is inlined so that the one file is the whole runtime.
 */
export default defineConfig({
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
