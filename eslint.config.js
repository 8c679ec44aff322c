import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

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
				projectService: { allowDefaultProject: ['vite.runtime.config.ts'] },
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
		// The one dependency rule: core is pure and runs unchanged in Node, workers and the page.
		files: ['src/lib/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'$lib/*',
								'../../storage/*',
								'../../workers/*',
								'../../state/*',
								'../../components/*',
								'$app/*',
								'svelte',
								'svelte/*',
								'idb',
								'comlink'
							],
							message: 'src/lib/core is pure: it imports nothing above it (DESIGN.md).'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/runtime/**/*.ts', 'src/runtime/**/*.js'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'$lib/*',
								'**/storage/*',
								'**/workers/*',
								'**/state/*',
								'**/components/*',
								'$app/*',
								'svelte',
								'idb',
								'comlink'
							],
							message: 'The runtime and CLI import only core and tfjs (DESIGN.md).'
						}
					]
				}
			]
		}
	}
);
