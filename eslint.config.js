import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import { layersPlugin } from './tests/architecture/eslint-layers.js';

export default ts.config(
	{
		ignores: ['build/', 'dist/', '.svelte-kit/', 'node_modules/', 'test-results/', 'static/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: {
					allowDefaultProject: [
						'vite.runtime.config.ts',
						'vite.runtime-trees.config.ts',
						'vite.cli.config.ts'
					]
				},
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'svelte/no-at-html-tags': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
		}
	},
	{
		// SvelteKit keeps the service worker out of the app's tsconfig (it needs the webworker lib).
		files: ['src/service-worker.ts'],
		languageOptions: { parserOptions: { projectService: false } },
		...ts.configs.disableTypeChecked
	},
	{
		// The layer rule, as allow-lists generated from one table (tests/architecture/layers.js).
		files: ['src/**/*.ts', 'src/**/*.js', 'src/**/*.svelte'],
		ignores: ['**/*.spec.ts'],
		plugins: { layers: layersPlugin },
		rules: { 'layers/allowed-imports': 'error' }
	}
);
