import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
	coreArea,
	cycles,
	importGraph,
	layerViolations,
	sourceFiles,
	type ImportEdge,
	type LayerRule
} from './architecture/graph';
import { allowsPackage, layerOf } from './architecture/layers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Specs may reach anything they check; the rule is about the code they test.
const files = sourceFiles(ROOT).filter((f) => !/\.spec\.ts$/.test(f));
const edges = importGraph(ROOT, files);
const ours = (e: ImportEdge): e is ImportEdge & { to: string } => e.to !== null;

const layerRule = (file: string) => layerOf(file) as LayerRule | null;
const packageRule = (layer: LayerRule, specifier: string) => allowsPackage(layer, specifier);

describe('the architecture of src/', () => {
	it('has no cycle between files (type imports included)', () => {
		expect(cycles(edges.filter(ours).map((e) => [e.from, e.to]))).toEqual([]);
	});

	it('has no cycle between the areas of core', () => {
		const areas = edges
			.filter(ours)
			.map((e) => [coreArea(e.from), coreArea(e.to)] as const)
			.filter((p): p is [string, string] => p[0] !== null && p[1] !== null && p[0] !== p[1]);
		expect(cycles(areas)).toEqual([]);
	});

	it('imports only what the layer table allows', () => {
		expect(layerViolations(edges, layerRule, packageRule)).toEqual([]);
	});
});

describe('the checks themselves', () => {
	it('find a cycle and a forbidden import when fed one', () => {
		expect(
			cycles([
				['a', 'b'],
				['b', 'c'],
				['c', 'a'],
				['c', 'd']
			])
		).toEqual([['a', 'b', 'c']]);
		expect(cycles([['a', 'a']])).toEqual([['a']]);
		expect(
			cycles([
				['a', 'b'],
				['b', 'c']
			])
		).toEqual([]);
		const fed: ImportEdge[] = [
			{
				from: 'src/lib/core/model/train.ts',
				specifier: '../../storage/db',
				to: 'src/lib/storage/db.ts',
				typeOnly: false
			},
			{ from: 'src/lib/core/table/read.ts', specifier: 'node:fs', to: null, typeOnly: false },
			{
				from: 'src/lib/state/x.svelte.ts',
				specifier: '../storage/db',
				to: 'src/lib/storage/db.ts',
				typeOnly: false
			}
		];
		expect(layerViolations(fed, layerRule, packageRule)).toEqual([
			'src/lib/core/model/train.ts (core) imports src/lib/storage/db.ts (storage)',
			'src/lib/core/table/read.ts (core) imports the package "node:fs"'
		]);
		expect(coreArea('src/lib/core/errors.ts')).toBe('errors');
		expect(coreArea('src/lib/core/drift/report.ts')).toBe('drift');
	});
});
