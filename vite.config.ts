import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Copies tfjs' WebAssembly files into static/tfjs-wasm/ and the runtime into static/ (both
 * git-ignored) before dev and build, so they are served from our origin and precached by the
 * service worker (SvelteKit's `build` list omits assets that workers import, so a `.wasm` pulled
 * in by a worker would not work offline).
 */
function tfjsWasm(): Plugin {
	return {
		name: 'driftwood-tfjs-wasm',
		buildStart() {
			const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist/';
			mkdirSync('static/tfjs-wasm', { recursive: true });
			for (const file of readdirSync(from)) {
				if (file.endsWith('.wasm') && !file.includes('threaded'))
					copyFileSync(from + file, `static/tfjs-wasm/${file}`);
			}
			// The runtimes (built first by `npm run build`) are served for download too.
			for (const file of ['driftwood-runtime.js', 'driftwood-runtime-trees.js']) {
				if (existsSync(`dist/${file}`)) copyFileSync(`dist/${file}`, `static/${file}`);
			}
		}
	};
}

export default defineConfig({
	plugins: [tfjsWasm(), sveltekit()],
	worker: { format: 'es' },
	preview: { port: 4173, strictPort: true },
	test: {
		include: ['src/**/*.spec.ts', 'tests/*.spec.ts'],
		environment: 'node',
		globalSetup: ['tests/temp-root.ts'],
		testTimeout: 60_000,
		expect: { requireAssertions: true },
		// The CLI's commands train on this thread in tests (vitest already runs files side by
		// side); src/runtime/fold-pool.spec.ts starts its worker threads itself.
		env: { DRIFTWOOD_THREADS: '1' }
	}
});
