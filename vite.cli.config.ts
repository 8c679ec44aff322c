import { defineConfig } from 'vite';

/**
 * Builds the CLI to plain JavaScript: dist/cli/cli.js and its lazily loaded chunks, for Node, with
 * every package left to node_modules. `driftwood` (src/runtime/bin.js) starts from it, so a
 * command pays no TypeScript compilation; bin.js falls back to the TypeScript source when the
 * build is missing or older than the source.
 */
export default defineConfig({
	build: {
		ssr: 'src/runtime/cli.ts',
		outDir: 'dist/cli',
		emptyOutDir: true,
		target: 'node20',
		minify: false,
		rollupOptions: { output: { format: 'es', entryFileNames: 'cli.js' } }
	},
	ssr: { target: 'node' }
});
