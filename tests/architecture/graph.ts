import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** One import of a source file: what it names, and the file it resolves to (if it is ours). */
export interface ImportEdge {
	from: string;
	specifier: string;
	/** The imported file (repository-relative), or null for a package. */
	to: string | null;
	typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;
const EXTENSIONS = ['', '.ts', '.js', '.svelte', '.svelte.ts', '/index.ts'];

/** The import statements of a TypeScript / Svelte source (its `<script>` blocks for Svelte). */
export function parseImports(source: string): { specifier: string; typeOnly: boolean }[] {
	const found: { specifier: string; typeOnly: boolean }[] = [];
	for (const m of source.matchAll(IMPORT)) found.push({ specifier: m[3]!, typeOnly: !!m[2] });
	for (const m of source.matchAll(DYNAMIC)) found.push({ specifier: m[1]!, typeOnly: false });
	return found;
}

/** Every source file under `dir` (repository-relative), tests included. */
export function sourceFiles(root: string, dir = 'src'): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const name of readdirSync(join(root, d))) {
			const path = join(d, name);
			if (statSync(join(root, path)).isDirectory()) walk(path);
			else if (/\.(ts|js|svelte)$/.test(name)) out.push(path.replaceAll('\\', '/'));
		}
	};
	walk(dir);
	return out.sort();
}

/** Resolves a specifier of `from` to a repository file, or null for a package. */
export function resolveImport(root: string, from: string, specifier: string): string | null {
	let base: string;
	if (specifier.startsWith('$lib/') || specifier === '$lib')
		base = specifier.replace('$lib', 'src/lib');
	else if (specifier.startsWith('.')) base = normalize(join(dirname(from), specifier));
	else return null;
	for (const ext of EXTENSIONS) {
		const candidate = (base + ext).replaceAll('\\', '/');
		if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile())
			return relative(root, join(root, candidate)).replaceAll('\\', '/');
	}
	return base.replaceAll('\\', '/');
}

/** The import graph of `files`. */
export function importGraph(root: string, files: string[]): ImportEdge[] {
	return files.flatMap((from) =>
		parseImports(readFileSync(join(root, from), 'utf8')).map(({ specifier, typeOnly }) => ({
			from,
			specifier,
			to: resolveImport(root, from, specifier),
			typeOnly
		}))
	);
}

/** The cycles of a directed graph: its strongly connected components with more than one node. */
export function cycles(edges: [string, string][]): string[][] {
	const next = new Map<string, string[]>();
	for (const [a, b] of edges) {
		if (!next.has(a)) next.set(a, []);
		if (!next.has(b)) next.set(b, []);
		next.get(a)!.push(b);
	}
	// Tarjan's algorithm, iterative so that a long chain cannot overflow the stack.
	let index = 0;
	const order = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	for (const start of next.keys()) {
		if (order.has(start)) continue;
		const work: [string, number][] = [[start, 0]];
		while (work.length) {
			const top = work[work.length - 1]!;
			const [node, i] = top;
			if (i === 0) {
				order.set(node, index);
				low.set(node, index++);
				stack.push(node);
				onStack.add(node);
			}
			const targets = next.get(node)!;
			if (i < targets.length) {
				top[1]++;
				const target = targets[i]!;
				if (!order.has(target)) work.push([target, 0]);
				else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, order.get(target)!));
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(node)!));
			if (low.get(node) === order.get(node)) {
				const component: string[] = [];
				let member: string;
				do {
					member = stack.pop()!;
					onStack.delete(member);
					component.push(member);
				} while (member !== node);
				if (component.length > 1 || targets.includes(node)) found.push(component.sort());
			}
		}
	}
	return found;
}

/** The area of a core file: `src/lib/core/<area>/…` (a file directly in core is its own area). */
export function coreArea(file: string): string | null {
	const m = /^src\/lib\/core\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(file);
	return m ? m[1]! : null;
}

/** A layer as tests/architecture/layers.js declares it. */
export interface LayerRule {
	name: string;
	paths: string[];
	layers: string[];
	types?: string[];
	packages: string[];
}

/**
 * The imports the layer table does not allow: a file of one layer importing a file of a layer
 * not on its list, or a package not on its list. Files outside every layer are reported too.
 */
export function layerViolations(
	edges: ImportEdge[],
	layerOf: (file: string) => LayerRule | null,
	allowsPackage: (layer: LayerRule, specifier: string) => boolean
): string[] {
	const out: string[] = [];
	for (const edge of edges) {
		// SvelteKit generates a route's `./$types`: no code of ours.
		if (/(^|\/)\$types$/.test(edge.specifier)) continue;
		const own = layerOf(edge.from);
		if (!own) {
			out.push(`${edge.from}: in no layer of tests/architecture/layers.js`);
			continue;
		}
		if (edge.to === null) {
			if (!allowsPackage(own, edge.specifier))
				out.push(`${edge.from} (${own.name}) imports the package "${edge.specifier}"`);
			continue;
		}
		// Styles and other assets a component imports are not code.
		if (/\.(css|svg|png)$/.test(edge.to)) continue;
		const target = layerOf(edge.to);
		const allowed =
			target !== null &&
			(own.layers.includes(target.name) || (edge.typeOnly && !!own.types?.includes(target.name)));
		if (!allowed)
			out.push(`${edge.from} (${own.name}) imports ${edge.to} (${target?.name ?? 'no layer'})`);
	}
	return out;
}
