// The penguins sample set up for an automatic choice on folds (Species, a stratified split):
// what the choice's tests and the fold pool's test train on.
import { readFileSync } from 'node:fs';
import { profileTable } from '../../src/lib/core/profile/profile';
import { suggestRecipe } from '../../src/lib/core/recipe/suggest';
import { sniffDialect } from '../../src/lib/core/table/dialect';
import { chunksOf, readTable } from '../../src/lib/core/table/read';
import { splitRows } from '../../src/lib/core/model/split';
import { prepareTarget } from '../../src/lib/core/model/task';
import type { ExperimentConfig } from '../../src/lib/core/model/types';

export async function penguinsChoice(splitSeed: number, modelSeed: number) {
	const bytes = new Uint8Array(
		readFileSync(new URL('../../static/samples/penguins.csv', import.meta.url))
	);
	const { table } = await readTable(chunksOf(bytes), {
		dialect: sniffDialect(bytes, 'p.csv'),
		totalBytes: bytes.length
	});
	const config: ExperimentConfig = {
		target: 'Species',
		task: 'auto',
		recipe: suggestRecipe(profileTable(table, 'Species'), 'Species'),
		split: { kind: 'stratified', seed: splitSeed, validation: 0.15, test: 0.2 },
		model: { kind: 'auto', seed: modelSeed },
		robustness: false,
		importance: false
	};
	const target = prepareTarget(
		table.columns.find((c) => c.name === 'Species')!,
		'multiclass'
	);
	const split = splitRows(target.rows, config.split, target.classes ?? undefined);
	return { table, config, target, split };
}
