import type { FittedNumeric, FittedRecipe } from '../../recipe/types';

/**
 * How to turn the matrix of a recipe that keeps missing values (the trees' reading: NaN, or a
 * one-hot block with no 1) into the matrix of the same recipe with its fills — what a member that
 * does not read missing values (linear, MLP) was trained on. An ensemble carries one recipe, the
 * keeping one, and fills per member with this plan: the same numbers `transformTable` writes with
 * the filling recipe, to the last float32 bit.
 */
export interface FillPlan {
	/** Per feature: what a NaN becomes (the fill, clipped and scaled as the recipe does). */
	values: number[];
	/** Per one-hot block: where it starts, its width, and the column a missing category fills. */
	blocks: { start: number; width: number; fill: number }[];
}

/** The scaled value `transformTable` writes for a missing number under the filling recipe. */
function filledValue(fitted: FittedNumeric): number {
	let v = fitted.fill;
	if (fitted.clipLower !== null && v < fitted.clipLower) v = fitted.clipLower;
	if (fitted.clipUpper !== null && v > fitted.clipUpper) v = fitted.clipUpper;
	return (v - fitted.center) / fitted.scale;
}

/** The fill plan of a fitted recipe (kept missing or not: only the fills are read). */
export function fillPlan(recipe: FittedRecipe): FillPlan {
	const values: number[] = [];
	const blocks: FillPlan['blocks'] = [];
	const numeric = (fitted: FittedNumeric) => {
		values.push(filledValue(fitted));
		if (fitted.indicator) values.push(0);
	};
	for (const step of recipe.steps) {
		if (step.kind === 'numeric') numeric(step.numeric);
		else if (step.kind === 'datetime') for (const part of step.parts) numeric(part.numeric);
		else {
			const k = step.categories.length;
			const at = step.fill === null ? -1 : step.categories.indexOf(step.fill);
			const fill = at >= 0 ? at : k;
			if (step.encode === 'ordinal') values.push(fill);
			else {
				blocks.push({ start: values.length, width: k + 1, fill });
				for (let c = 0; c <= k; c++) values.push(0);
			}
		}
	}
	if (values.length !== recipe.features.length)
		throw new Error('The fill plan does not line up with the recipe’s features.');
	return { values, blocks };
}

/** A copy of `x` (row-major, `inputs` per row) with every missing value filled by the plan. */
export function fillMissing(x: Float32Array, inputs: number, plan: FillPlan): Float32Array {
	const out = Float32Array.from(x);
	const n = inputs ? x.length / inputs : 0;
	for (let i = 0; i < n; i++) {
		const row = i * inputs;
		for (let j = 0; j < inputs; j++)
			if (out[row + j] !== out[row + j]) out[row + j] = plan.values[j]!;
		for (const b of plan.blocks) {
			let any = false;
			for (let c = 0; c < b.width && !any; c++) any = out[row + b.start + c]! > 0;
			if (!any) out[row + b.start + b.fill] = 1;
		}
	}
	return out;
}
