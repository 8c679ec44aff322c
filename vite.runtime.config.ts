import { defineConfig } from 'vite';

/**
 * Builds the standalone runtime: one ES module, dist/driftwood-runtime.js, with TensorFlow.js
 * inside, that loads bundles and predicts in any web page or in Node.
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
		rollupOptions: { external: [/^node:/] }
	}
});
