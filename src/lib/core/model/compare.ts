import { familyEntry } from './families';
import { LOWER_IS_BETTER, metricNames, type MetricName, type MetricSet } from './results';
import type { GbdtSpec, ModelSpec, NeuralSpec } from './spec';
import { halfLifeText } from './recency';
import type { ExperimentConfig, ExperimentSummary } from './types';

/**
 * Runs side by side as a person compares them: the metrics with the best marked, and the
 * settings in words — only those that apply to each run's model (no activation on a linear
 * model), so that what differs is what was really chosen differently.
 */

/** One metric across runs; `best` lists the runs holding the best value (none on a tie of all). */
export interface MetricComparison {
	name: MetricName;
	values: (number | null)[];
	best: number[];
}

/** Every metric any run has, in first-seen order, with the best run(s) marked. */
export function compareMetrics(sets: (MetricSet | null)[]): MetricComparison[] {
	const names: MetricName[] = [];
	for (const set of sets)
		for (const name of set ? metricNames(set) : []) if (!names.includes(name)) names.push(name);
	return names.map((name) => {
		const values = sets.map((set) => {
			const v = set?.[name];
			return v === undefined || v === null || !Number.isFinite(v) ? null : v;
		});
		const present = values.filter((v): v is number => v !== null);
		let best: number[] = [];
		if (present.length >= 2 && new Set(present).size > 1) {
			const top = LOWER_IS_BETTER.has(name) ? Math.min(...present) : Math.max(...present);
			best = values.flatMap((v, i) => (v === top ? [i] : []));
		}
		return { name, values, best };
	});
}

/** One setting of a run, in words. */
export interface Setting {
	/** Stable across runs, for lining them up ("model.leaves", "recipe.Age"). */
	key: string;
	label: string;
	value: string;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;
const stopping = (patience: number, step: string) =>
	patience > 0 ? `after ${patience} ${step}s without a better validation loss` : 'off';

function neuralSettings(spec: NeuralSpec): Setting[] {
	const out: Setting[] = [];
	if (spec.kind === 'mlp') {
		out.push(
			{ key: 'model.hidden', label: 'Hidden layers', value: spec.hidden.join(' → ') || 'none' },
			{ key: 'model.activation', label: 'Activation', value: spec.activation },
			{ key: 'model.dropout', label: 'Dropout', value: percent(spec.dropout) }
		);
	}
	out.push(
		{ key: 'model.l2', label: 'L2 penalty', value: String(spec.l2) },
		{
			key: 'model.noise',
			label: 'Input noise',
			value: spec.inputNoise ? `${spec.inputNoise} × std` : 'none'
		},
		{ key: 'model.learningRate', label: 'Learning rate', value: String(spec.learningRate) },
		{ key: 'model.batch', label: 'Batch size', value: String(spec.batchSize) },
		{ key: 'model.steps', label: 'Epochs at most', value: String(spec.epochs) },
		{ key: 'model.stopping', label: 'Early stopping', value: stopping(spec.patience, 'epoch') }
	);
	return out;
}

function treeSettings(spec: GbdtSpec): Setting[] {
	return [
		{ key: 'model.steps', label: 'Iterations at most', value: String(spec.maxIterations) },
		{ key: 'model.learningRate', label: 'Learning rate', value: String(spec.learningRate) },
		{ key: 'model.leaves', label: 'Leaves per tree at most', value: String(spec.maxLeaves) },
		{ key: 'model.minLeaf', label: 'Rows per leaf at least', value: String(spec.minSamplesLeaf) },
		{ key: 'model.l2', label: 'L2 penalty', value: String(spec.l2) },
		{ key: 'model.bins', label: 'Bins per feature', value: String(spec.maxBins) },
		{ key: 'model.stopping', label: 'Early stopping', value: stopping(spec.patience, 'iteration') }
	];
}

function modelSettings(spec: ModelSpec): Setting[] {
	if (spec.kind === 'ensemble')
		return [
			{
				key: 'model.members',
				label: 'Members (weight)',
				value: spec.members
					.map((m) => `${familyEntry(m.spec.kind).label} ${Math.round(m.weight * 100)} %`)
					.join(', ')
			},
			{ key: 'model.seed', label: 'Seed', value: String(spec.seed) }
		];
	return [
		...(spec.kind === 'gbdt' ? treeSettings(spec) : neuralSettings(spec)),
		{
			key: 'model.weights',
			label: 'Class weights',
			value: spec.classWeights === 'balanced' ? 'balanced' : 'none'
		},
		{ key: 'model.seed', label: 'Seed', value: String(spec.seed) }
	];
}

function splitWords(config: ExperimentConfig): string {
	const s = config.split;
	const how =
		s.heldOutFrom !== undefined
			? 'a held-out test file'
			: s.kind === 'time'
				? `by time${s.timeColumn ? ` on ${s.timeColumn}` : ''} (newest = test)`
				: s.kind;
	const shares =
		s.heldOutFrom !== undefined
			? `${percent(s.validation)} validation`
			: `${percent(s.validation)} validation, ${percent(s.test)} test`;
	return `${how}, ${shares}${s.kind === 'time' ? '' : `, seed ${s.seed}`}`;
}

/**
 * The recipe's steps in words. For the trees (`reads` all) a missing value is not filled: it
 * reaches them as missing and each split learns its side; an ensemble's trees read it so, its
 * other members see the fill.
 */
function recipeSettings(config: ExperimentConfig, reads: 'all' | 'some' | 'none'): Setting[] {
	// 'some': an ensemble — its trees read missing values, its other members see the fills.
	const readsMissing = reads === 'all';
	const kept = 'missing kept (the trees learn where it goes)';
	const mixed = (fill: string) => `missing kept for the trees, ${fill} for the other members`;
	return config.recipe.steps.map((s) => ({
		key: `recipe.${s.column}`,
		label: `Recipe: ${s.column}`,
		value:
			s.kind === 'drop'
				? 'dropped'
				: s.kind === 'categorical'
					? `${s.categorical.encode === 'onehot' ? `one-hot, top ${s.categorical.maxCategories}` : 'ordinal'}, ${readsMissing ? kept : reads === 'some' ? mixed(s.categorical.impute === 'constant' ? `"${s.categorical.constant}"` : 'the most frequent') : `missing → ${s.categorical.impute === 'constant' ? `"${s.categorical.constant}"` : 'most frequent'}`}`
					: s.kind === 'numeric'
						? [
								readsMissing
									? kept
									: reads === 'some'
										? mixed(
												s.numeric.impute === 'constant'
													? `fill ${s.numeric.constant}`
													: `${s.numeric.impute} fill`
											)
										: s.numeric.impute === 'constant'
											? `fill ${s.numeric.constant}`
											: `${s.numeric.impute} fill`,
								s.numeric.scale === 'none' ? 'unscaled' : `${s.numeric.scale} scale`,
								...(s.numeric.clip ? ['clipped'] : []),
								...(s.numeric.indicator ? ['missing flag'] : [])
							].join(', ')
						: `date parts: ${s.parts.join(', ')}`
	}));
}

/** What an automatic choice was scored on: k folds of the training rows, or the validation rows. */
function chosenOn(result: ExperimentSummary | null): string {
	const k = result?.candidates.find((c) => c.folds)?.folds?.k;
	return k ? `mean score on ${k} folds` : 'validation score';
}

/**
 * A run's settings in words: data, model (as trained: an automatic choice's winner, with its
 * own settings only), split, refit, cross-validation, recipe, where it ran and how long.
 */
export function runSettings(
	config: ExperimentConfig,
	result: ExperimentSummary | null,
	extra: { dataset: string; backend: string | null }
): Setting[] {
	const trained: ModelSpec | null =
		result?.model ?? (config.model.kind === 'auto' ? null : config.model);
	const family = trained ? familyEntry(trained.kind).label : 'automatic choice';
	const out: Setting[] = [
		{ key: 'data.dataset', label: 'Dataset', value: extra.dataset },
		{ key: 'data.target', label: 'Target', value: config.target },
		{ key: 'data.task', label: 'Task', value: result?.task ?? config.task },
		{
			key: 'model.family',
			label: 'Model',
			value:
				config.model.kind === 'auto'
					? `${family} (chosen by ${chosenOn(result)} from linear, trees and MLP)`
					: family
		},
		...(trained ? modelSettings(trained) : []),
		{ key: 'split', label: 'Split', value: splitWords(config) },
		{
			key: 'refit',
			label: 'Refit on training + validation',
			value: config.refit === false ? 'no' : 'yes'
		},
		{
			key: 'cv',
			label: 'Cross-validation',
			value: config.crossValidation ? `${config.crossValidation}-fold` : 'off'
		},
		{
			key: 'recency',
			label: 'Recency weights',
			value: config.halfLife ? `half-life ${halfLifeText(config.halfLife)}` : 'none'
		},
		...recipeSettings(
			config,
			trained?.kind === 'ensemble'
				? 'some'
				: trained && familyEntry(trained.kind).readsMissing
					? 'all'
					: 'none'
		),
		{ key: 'backend', label: 'Computed on', value: extra.backend ?? '—' }
	];
	if (result) {
		const step = result.model.kind === 'gbdt' ? 'iterations' : 'epochs';
		out.push({
			key: 'trained',
			label: 'Trained',
			value: `${result.history.length} ${step} (best ${result.bestEpoch})${result.refit ? `, refitted on ${result.refit.rows.toLocaleString('en-US')} rows` : ''}`
		});
	}
	return out;
}

/** One setting across runs; `differs` when any two runs disagree (a setting a run lacks is "—"). */
export interface SettingComparison {
	key: string;
	label: string;
	values: string[];
	differs: boolean;
}

/**
 * Lines runs' settings up by key. A key only a later run has goes right after the key before it
 * in that run (an MLP's hidden layers beside the other model settings, not after the recipe).
 */
export function compareSettings(runs: Setting[][]): SettingComparison[] {
	const order: Setting[] = [];
	for (const run of runs)
		run.forEach((s, j) => {
			if (order.some((o) => o.key === s.key)) return;
			const after = j > 0 ? order.findIndex((o) => o.key === run[j - 1]!.key) : -1;
			order.splice(after + 1, 0, s);
		});
	return order.map(({ key, label }) => {
		const values = runs.map((run) => run.find((s) => s.key === key)?.value ?? '—');
		return { key, label, values, differs: values.some((v) => v !== values[0]) };
	});
}
