import { defineConfig } from 'vite';

/**
 * Builds the CLI to plain JavaScript: dist/cli/cli.js and its lazily loaded chunks, for Node, with
 * every package left to node_modules. `driftwood` (src/runtime/bin.js) starts from it, so a
 * command pays no TypeScript compilation; bin.js falls back to the TypeScript source when the
 * build is missing or older than the source.
 */
export default defineConfig({
	build: {
		// The CLI and its fold pool's worker thread (fold-worker.js beside cli.js).
		ssr: true,
		outDir: 'dist/cli',
		emptyOutDir: true,
		target: 'node20',
		minify: false,
		rollupOptions: {
			input: { cli: 'src/runtime/cli.ts', 'fold-worker': 'src/runtime/fold-worker.ts' },
			output: { format: 'es', entryFileNames: '[name].js' }
		}
	},
	ssr: { target: 'node' }
});
