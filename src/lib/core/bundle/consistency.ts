import type { ModelDescription } from '../model/family';
import { featureColumns } from '../recipe/transform';
import type { Manifest } from './manifest';

/** At most this many categories in one schema column or recipe step. */
export const MAX_CATEGORIES = 100_000;
/** At most this many features in the recipe's matrix. */
export const MAX_FEATURES = 100_000;
/** At most this many class labels. */
export const MAX_LABELS = 10_000;

/**
 * Every invariant that ties a bundle's files together, in words (empty when they hold): the labels
 * are the model's outputs, the recipe makes exactly the matrix the model reads, and every size is
 * bounded. Checksums only say the files are the ones exported; a bundle rebuilt with recomputed
 * checksums can still pair 5 labels with a 3-class model or a recipe with a model of another width,
 * and would predict garbage without a word.
 */
export function consistencyProblems(
	manifest: Pick<Manifest, 'model' | 'recipe' | 'schema'>,
	model: ModelDescription
): string[] {
	const problems: string[] = [];
	const { task, labels } = manifest.model;
	if (labels.length > MAX_LABELS)
		problems.push(`The manifest lists ${labels.length} labels (at most ${MAX_LABELS}).`);
	if (new Set(labels).size !== labels.length) problems.push('The manifest lists a label twice.');
	const expected =
		task === 'regression'
			? { labels: 0, outputs: 1 }
			: task === 'binary'
				? { labels: 2, outputs: 1 }
				: null;
	if (expected) {
		if (labels.length !== expected.labels)
			problems.push(
				`A ${task} model has ${expected.labels === 0 ? 'no labels' : `${expected.labels} labels`}, but the manifest lists ${labels.length}.`
			);
		if (model.outputs !== expected.outputs)
			problems.push(
				`A ${task} model gives ${expected.outputs} output, but this one gives ${model.outputs}.`
			);
	} else if (labels.length < 3 || model.outputs !== labels.length)
		problems.push(
			`The manifest lists ${labels.length} labels but the model gives ${model.outputs} class probabilities.`
		);
	for (const column of manifest.schema)
		if ((column.categories?.length ?? 0) > MAX_CATEGORIES)
			problems.push(
				`The schema lists ${column.categories!.length} categories for "${column.name}" (at most ${MAX_CATEGORIES}).`
			);
	for (const step of manifest.recipe.steps)
		if (step.kind === 'categorical' && step.categories.length > MAX_CATEGORIES)
			problems.push(
				`The recipe keeps ${step.categories.length} categories of "${step.column}" (at most ${MAX_CATEGORIES}).`
			);
	if (problems.length) return problems;
	const width = featureColumns(manifest.recipe).length;
	if (width > MAX_FEATURES)
		problems.push(`The recipe makes ${width} features (at most ${MAX_FEATURES}).`);
	else if (width !== manifest.recipe.features.length)
		problems.push(
			`The recipe's steps make ${width} features but it names ${manifest.recipe.features.length}.`
		);
	else if (width !== model.inputs)
		problems.push(`The recipe makes ${width} features but the model reads ${model.inputs}.`);
	return problems;
}
