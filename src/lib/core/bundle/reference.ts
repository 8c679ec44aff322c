import type { Table } from '../table/types';
import { sampleTable } from '../model/reservoir';
import type { LoadedModel } from './predict';

const tables = new WeakMap<LoadedModel, Table>();

/**
 * A loaded model's reference sample (up to 10,000 of its training rows) as a table, made once per
 * loaded model: what monitoring compares batches with and what a network is explained against.
 * The schema's types restore what JSON lost: which numbers are instants. Null without a sample
 * (versions registered before monitoring existed).
 */
export function referenceTable(loaded: LoadedModel): Table | null {
	const sample = loaded.manifest.reference.sample;
	if (!sample) return null;
	let table = tables.get(loaded);
	if (!table) {
		const types = new Map(loaded.manifest.schema.map((c) => [c.name, c.type]));
		table = sampleTable(sample, types);
		tables.set(loaded, table);
	}
	return table;
}
