// What each layer of src/ may import: one table, read by the lint rule (eslint.config.js) and by
// the architecture test (tests/architecture.spec.ts). Allow-lists: anything not listed is refused.
// Tests (*.spec.ts) are outside the rule: they may reach anything they need to check.

/**
 * `layers`: whose code a layer may import; `types`: whose types only (`import type`), for the
 * screens that show records they do not fetch; `packages`: the npm packages (and `node:`) it uses.
 * `pattern`: files matched by name as well as by `paths` (a route's load functions).
 * @typedef {{ name: string, paths: string[], pattern?: RegExp, layers: string[], types?: string[], packages: string[] }} Layer
 */

/** Packages core may use: pure computation that runs unchanged in Node, workers and the page. */
const CORE_PACKAGES = [
	'@tensorflow/tfjs',
	'fflate',
	'valibot',
	'hyparquet',
	'hyparquet-compressors',
	// The Arrow IPC reader.
	'@uwdata/flechette',
	// The ONNX export's protobuf encoder.
	'protobufjs'
];

/** @type {Layer[]} */
export const LAYERS = [
	{ name: 'core', paths: ['src/lib/core/'], layers: ['core'], packages: CORE_PACKAGES },
	{
		name: 'storage',
		paths: ['src/lib/storage/'],
		layers: ['storage', 'core'],
		packages: ['idb', 'fake-indexeddb', 'fflate']
	},
	{
		name: 'workers',
		paths: ['src/lib/workers/'],
		layers: ['workers', 'core'],
		packages: [
			'comlink',
			'@tensorflow/tfjs',
			'@tensorflow/tfjs-backend-wasm',
			'@tensorflow/tfjs-backend-webgpu'
		]
	},
	{
		name: 'browser',
		paths: ['src/lib/browser/'],
		layers: ['browser', 'core'],
		packages: ['svelte']
	},
	{
		// The app's work as plain functions: dependencies (the database, a worker's call) are
		// arguments, so unit tests run them with fake-indexeddb and fake workers.
		name: 'workflows',
		paths: ['src/lib/workflows/'],
		layers: ['workflows', 'core', 'storage'],
		types: ['workers'],
		packages: []
	},
	{
		name: 'state',
		paths: ['src/lib/state/'],
		layers: ['state', 'workflows', 'core', 'storage', 'workers', 'browser'],
		// fake-indexeddb: the in-memory workspace of a private window.
		packages: ['comlink', 'svelte', '$app', 'fake-indexeddb']
	},
	{
		name: 'charts',
		paths: ['src/lib/charts/'],
		layers: ['charts', 'core', 'format'],
		types: ['storage'],
		packages: ['@observablehq/plot']
	},
	{
		name: 'format',
		paths: ['src/lib/format/'],
		layers: ['format', 'core'],
		packages: []
	},
	{
		name: 'components',
		paths: ['src/lib/components/'],
		layers: ['components', 'state', 'core', 'format', 'charts', 'browser'],
		types: ['storage', 'workers'],
		packages: ['svelte', '$app', '@observablehq/plot']
	},
	{
		// A route's load functions fetch what its page shows: they, not the page, call storage.
		name: 'loads',
		paths: [],
		pattern: /^src\/routes\/(.*\/)?\+(page|layout)\.ts$/,
		// A child route may load what its parent loads (the backtest of a dataset: the dataset).
		layers: ['loads', 'core', 'storage', 'state'],
		packages: ['@sveltejs/kit', '$app']
	},
	{
		name: 'routes',
		paths: ['src/routes/'],
		layers: ['routes', 'components', 'state', 'core', 'format', 'charts', 'browser'],
		types: ['storage', 'workers'],
		packages: ['svelte', '$app', '@sveltejs/kit']
	},
	{
		name: 'runtime',
		paths: ['src/runtime/'],
		// charts: `driftwood report` draws the studio's own charts into its HTML file.
		layers: ['runtime', 'core', 'charts'],
		// tsx: the CLI's launcher runs the TypeScript sources in Node. linkedom: the document
		// `driftwood report` draws those charts in, outside a page.
		packages: [...CORE_PACKAGES, '@tensorflow/tfjs-backend-wasm', 'node:', 'tsx', 'linkedom']
	},
	{
		name: 'service-worker',
		paths: ['src/service-worker.ts'],
		layers: [],
		packages: ['$service-worker']
	},
	{ name: 'app', paths: ['src/app.d.ts', 'src/ambient.d.ts'], layers: [], packages: [] }
];

/**
 * The layer a file (a path relative to the repository) belongs to, or null.
 * @param {string} file
 * @returns {Layer | null}
 */
export function layerOf(file) {
	const path = file.replaceAll('\\', '/');
	return (
		LAYERS.find(
			(layer) =>
				layer.pattern?.test(path) ||
				layer.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p))
		) ?? null
	);
}

/**
 * Whether `layer` may import the package `specifier` (a bare name, `node:x`, `$app/x`).
 * @param {Layer} layer
 * @param {string} specifier
 */
export function allowsPackage(layer, specifier) {
	return layer.packages.some(
		(p) => specifier === p || specifier.startsWith(p.endsWith(':') ? p : `${p}/`)
	);
}
