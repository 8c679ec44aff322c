import type { TableProfile } from '../profile/types';
import { recurringParts } from './dates';
import type { CategoricalOptions, ColumnStep, NumericOptions, RecipeSpec } from './types';

/**
 * The default numeric step: median imputation and standard scaling (sklearn's usual pipeline);
 * `suggestRecipe` adds a missing flag where more than 5 % of the column is missing.
 */
export const DEFAULT_NUMERIC: NumericOptions = {
	impute: 'median',
	constant: 0,
	indicator: false,
	clip: null,
	scale: 'standard'
};

/**
 * The default categorical step: most frequent imputation, one-hot with a cap and an "other" bucket.
 */
export const DEFAULT_CATEGORICAL: CategoricalOptions = {
	impute: 'most_frequent',
	constant: 'missing',
	encode: 'onehot',
	maxCategories: 20
};

/**
 * How many categories one-hot keeps by default: up to 100 (a 40-level "shop" column capped at 20
 * cost the trees a point of R² against sklearn's uncapped pipelines), fewer on large tables so
 * that a column's one-hot block stays under about 80 MB of float32 (20 at a million rows).
 */
export function oneHotCap(rows: number): number {
	return Math.max(
		DEFAULT_CATEGORICAL.maxCategories,
		Math.min(100, Math.floor(2e7 / Math.max(1, rows)))
	);
}

/** A missing share above this gets a missing-indicator feature. */
const INDICATOR_SHARE = 0.05;
/**
 * Heavy tails (max beyond this many IQRs from the quartiles, or standard deviations where the
 * IQR is 0) get clipped to the training range:
 * a wild value in new data cannot push a linear model or a network beyond what it was fitted on.
 * The training rows themselves are left as they are: clipping them at 1 % / 99 % cost
 * breast_cancer two points of accuracy against sklearn's unclipped pipeline.
 */
export const TRAINING_RANGE = { lower: 0, upper: 1 } as const;
const OUTLIER_IQRS = 5;

/**
 * Suggests a recipe from the profile: every feature gets the step its type calls for, identifiers,
 * free text, constant and empty columns are dropped, each with the reason shown to the user.
 */
export function suggestRecipe(profile: TableProfile, target: string): RecipeSpec {
	const steps: ColumnStep[] = [];
	for (const c of profile.columns) {
		if (c.name === target) continue;
		const missingShare = profile.rowCount ? c.missing / profile.rowCount : 0;
		if (c.count === 0)
			steps.push({ column: c.name, kind: 'drop', reason: 'every value is missing' });
		else if (c.unique <= 1) steps.push({ column: c.name, kind: 'drop', reason: 'a single value' });
		else if (c.type === 'id') steps.push({ column: c.name, kind: 'drop', reason: 'an identifier' });
		else if (c.type === 'text') steps.push({ column: c.name, kind: 'drop', reason: 'free text' });
		else if (c.type === 'numeric') {
			const iqr = (c.p75 ?? 0) - (c.p25 ?? 0);
			// With an IQR of 0 (quartiles 0 / 0 / 0: a column mostly zero, such as a cost) the
			// spread of the values that are not is the yardstick: a maximum of 7 million beside a
			// standard deviation of thousands is a tail to clip.
			const spread = iqr > 0 ? iqr : (c.std ?? 0);
			const heavy =
				spread > 0 &&
				((c.max ?? 0) - (c.p75 ?? 0) > OUTLIER_IQRS * spread ||
					(c.p25 ?? 0) - (c.min ?? 0) > OUTLIER_IQRS * spread);
			steps.push({
				column: c.name,
				kind: 'numeric',
				numeric: {
					...DEFAULT_NUMERIC,
					indicator: missingShare > INDICATOR_SHARE,
					clip: heavy ? { ...TRAINING_RANGE } : null
				}
			});
		} else if (c.type === 'datetime') {
			steps.push({
				column: c.name,
				kind: 'datetime',
				// Only the parts that recur: a raw timestamp or the year would put every future row
				// outside the training range (the editor says so and offers the year as a trend).
				parts: recurringParts(c.calendar),
				numeric: { ...DEFAULT_NUMERIC }
			});
		} else {
			steps.push({
				column: c.name,
				kind: 'categorical',
				categorical: { ...DEFAULT_CATEGORICAL, maxCategories: oneHotCap(profile.rowCount) }
			});
		}
	}
	return { target, steps };
}

/**
 * Whether a recipe written for one table fits another's columns: its target is a column and it has
 * a step for every other column and no step for a column that is gone (a remembered form or an
 * earlier run's settings on another version). Otherwise the form starts from the suggestion.
 */
export function recipeFits(recipe: RecipeSpec, columns: readonly string[]): boolean {
	if (!columns.includes(recipe.target)) return false;
	const others = columns.filter((c) => c !== recipe.target);
	const stepped = new Set(recipe.steps.map((s) => s.column));
	return (
		stepped.size === recipe.steps.length &&
		others.length === stepped.size &&
		others.every((c) => stepped.has(c))
	);
}
