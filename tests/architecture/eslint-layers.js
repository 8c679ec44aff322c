// The lint side of tests/architecture/layers.js: one rule that checks every import of a file in
// src/ against its layer's allow-list, as the editor shows it. The architecture test checks the
// same table over the whole tree, and cycles besides.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { allowsPackage, layerOf } from './layers.js';

const EXTENSIONS = ['', '.ts', '.js', '.svelte', '.svelte.ts', '/index.ts'];

/**
 * The repository-relative file a specifier names, or null for a package.
 * @param {string} root
 * @param {string} from
 * @param {string} specifier
 */
function resolveFile(root, from, specifier) {
	let base;
	if (specifier === '$lib' || specifier.startsWith('$lib/'))
		base = join(root, specifier.replace('$lib', 'src/lib'));
	else if (specifier.startsWith('.')) base = join(root, dirname(from), specifier);
	else return null;
	const found = EXTENSIONS.map((ext) => base + ext).find(
		(p) => existsSync(p) && statSync(p).isFile()
	);
	return relative(root, found ?? base).replaceAll('\\', '/');
}

/** @type {import('eslint').Rule.RuleModule} */
const allowedImports = {
	meta: {
		type: 'problem',
		docs: {
			description: 'Each layer of src/ imports only what tests/architecture/layers.js allows.'
		},
		schema: []
	},
	create(context) {
		const root = context.cwd;
		const file = relative(root, context.filename).replaceAll('\\', '/');
		if (!file.startsWith('src/') || /\.spec\.ts$/.test(file)) return {};
		const own = layerOf(file);
		/** @param {any} node @param {string} specifier @param {boolean} typeOnly */
		const check = (node, specifier, typeOnly) => {
			if (!own) {
				context.report({
					node,
					message: `${file} is in no layer of tests/architecture/layers.js.`
				});
				return;
			}
			if (/(^|\/)\$types$/.test(specifier)) return;
			const target = resolveFile(root, file, specifier);
			if (target === null) {
				if (!allowsPackage(own, specifier))
					context.report({
						node,
						message: `The ${own.name} layer may not import the package "${specifier}" (tests/architecture/layers.js).`
					});
				return;
			}
			if (/\.(css|svg|png)$/.test(target)) return;
			const layer = layerOf(target);
			const allowed =
				layer !== null &&
				(own.layers.includes(layer.name) || (typeOnly && !!own.types?.includes(layer.name)));
			if (!allowed)
				context.report({
					node,
					message: `The ${own.name} layer may not import ${layer ? `the ${layer.name} layer` : target}${!typeOnly && layer && own.types?.includes(layer.name) ? ' (only its types, with `import type`)' : ''} (tests/architecture/layers.js).`
				});
		};
		return {
			ImportDeclaration(node) {
				const kinds = node.specifiers.map((s) => /** @type {any} */ (s).importKind);
				const typeOnly =
					/** @type {any} */ (node).importKind === 'type' ||
					(kinds.length > 0 && kinds.every((k) => k === 'type'));
				check(node, String(node.source.value), typeOnly);
			},
			ExportNamedDeclaration(node) {
				if (node.source)
					check(node, String(node.source.value), /** @type {any} */ (node).exportKind === 'type');
			},
			ExportAllDeclaration(node) {
				check(node, String(node.source.value), /** @type {any} */ (node).exportKind === 'type');
			},
			ImportExpression(node) {
				if (node.source.type === 'Literal') check(node, String(node.source.value), false);
			}
		};
	}
};

export const layersPlugin = { rules: { 'allowed-imports': allowedImports } };
