import { findColumn, fitRecipe, keepMissing } from '../recipe/fit';
import { oneHotGroups, transformTable } from '../recipe/transform';
import type { FittedRecipe, OneHotGroup } from '../recipe/types';
import type { Table } from '../table/types';
import { scaleOf } from './score';
import { fillPlan, type FillPlan } from './ensemble/fill';
import { recencyWeights } from './recency';
import { DriftwoodError } from '../errors';
import type { FitData } from './family';
import type { PreparedTarget } from './task';
import type { ExperimentConfig } from './types';

/** What a model trains on for one split of the rows: the recipe fitted there, and its matrices. */
export interface PreparedFold {
	recipe: FittedRecipe;
	inputs: number;
	/** Output width: the classes, or 1 for regression. */
	classes: number;
	/** Regression targets are trained scaled: y' = (y − center) / scale (from the training rows). */
	targetScale: { center: number; scale: number } | null;
	x: Float32Array;
	y: Float32Array;
	xVal: Float32Array;
	yVal: Float32Array;
	/** The recipe's one-hot blocks (trees read each as one categorical feature). */
	groups: OneHotGroup[];
	/** How to fill the kept missing values for a model that does not read them. */
	fill: FillPlan;
	/** Recency weights of the training rows (mean 1), when the run asks for them. */
	rowWeights?: Float32Array;
}

/** What a family's `fit` reads from a prepared fold. */
export function fitDataOf(fold: PreparedFold): FitData {
	return {
		x: fold.x,
		y: fold.y,
		xVal: fold.xVal,
		yVal: fold.yVal,
		inputs: fold.inputs,
		classes: fold.classes,
		groups: fold.groups,
		fill: fold.fill,
		...(fold.rowWeights ? { rowWeights: fold.rowWeights } : {})
	};
}

/**
 * Fits the recipe and the target scale on `train` only and builds the training and validation
 * matrices: the one preparation of the experiment's split and of every cross-validation fold, so
 * that no statistic of the held-out rows leaks into what the model sees. For a family that reads
 * missing values itself (`readsMissing`), the recipe hands them on as NaN.
 */
export function prepareFold(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	train: Int32Array,
	validation: Int32Array,
	readsMissing: boolean
): PreparedFold {
	const fitted = fitRecipe({ ...config.recipe, target: config.target }, table, train);
	const recipe = readsMissing ? keepMissing(fitted) : fitted;
	let targetScale: { center: number; scale: number } | null = null;
	let yOf: (rows: Int32Array) => Float32Array;
	if (target.task === 'regression') {
		const { center, scale } = (targetScale = scaleOf(target.values, train));
		yOf = (rows) => Float32Array.from(rows, (r) => (target.values[r]! - center) / scale);
	} else {
		yOf = (rows) => Float32Array.from(rows, (r) => target.classes[r]!);
	}
	return {
		recipe,
		inputs: recipe.features.length,
		classes: target.task === 'regression' ? 1 : target.labels.length,
		targetScale,
		x: transformTable(recipe, table, train),
		y: yOf(train),
		xVal: transformTable(recipe, table, validation),
		yVal: yOf(validation),
		groups: oneHotGroups(recipe),
		fill: fillPlan(fitted),
		...(config.halfLife ? { rowWeights: recencyOf(table, config, train) } : {})
	};
}

/** The recency weights of the training rows, on the split's date column. */
function recencyOf(table: Table, config: ExperimentConfig, train: Int32Array): Float32Array {
	const name = config.split.timeColumn;
	const column = name ? findColumn(table, name) : null;
	if (!column || column.storage !== 'float' || column.type !== 'datetime')
		throw new DriftwoodError(
			'Recency weights count a row by its age: they need a date column (a time split on it).',
			'experiment'
		);
	return recencyWeights(column.values, train, config.halfLife!);
}
