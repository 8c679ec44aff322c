import type { Table } from '../table/types';
import { stdOf } from '../stats/summary';
import { pickSimplest } from './choose';
import { scoreFold } from './cross-validate';
import { familyEntry } from './families';
import { candidatesOf, type ModelChoice, type ModelSpec } from './spec';
import { kFolds, type Split } from './split';
import { primaryMetric, type PreparedTarget } from './task';
import type { Candidate, ExperimentConfig, ExperimentHooks } from './types';

/**
 * Below this many training + validation rows an automatic choice is made on k folds, not on one
 * validation slice: on a few hundred rows one slice is chance (a 93-row table chose an MLP on 10
 * rows and lost 15 points). Above it the slice holds thousands of rows and folds cost k fits.
 */
export const FOLD_CHOICE_MAX_ROWS = 20_000;
/** Folds of the choice (fewer when a class has fewer rows). */
export const CHOICE_FOLDS = 5;

/** What the folds chose: the spec, and every candidate's mean score over the folds. */
export interface FoldChoice {
	spec: ModelSpec;
	candidates: Candidate[];
}

/**
 * Scores every candidate of an automatic choice on k folds of the training + validation rows
 * (stratified for classes; forward-chaining on a time split: each fold trains on what came
 * before it, never on the future) and keeps, by the mean score, the simplest within one standard
 * error of the best (`pickSimplest`, on all the rows the folds scored). Null when the choice is
 * one spec or the rows are many: the holdout decides then.
 */
export async function chooseByFolds(
	table: Table,
	config: ExperimentConfig,
	choice: ModelChoice,
	target: PreparedTarget,
	split: Split,
	times: Float64Array | undefined,
	hooks: ExperimentHooks
): Promise<FoldChoice | null> {
	const specs = candidatesOf(choice);
	const rows = Int32Array.from([...split.train, ...split.validation]);
	if (specs.length < 2 || rows.length > FOLD_CHOICE_MAX_ROWS || config.choice === 'holdout')
		return null;
	const folds = choiceFolds(rows, target, times, config.split.seed);
	if (!folds) return null;
	const primary = primaryMetric(target.task);
	const candidates: Candidate[] = [];
	for (let s = 0; s < specs.length; s++) {
		const spec = specs[s]!;
		const started = performance.now();
		const scores: number[] = [];
		const losses: number[] = [];
		for (let f = 0; f < folds.length; f++) {
			hooks.onStage?.(
				'training',
				`choosing on ${folds.length} folds: ${familyEntry(spec.kind).label}, fold ${f + 1}`,
				{ index: s * folds.length + f + 1, total: specs.length * folds.length }
			);
			const m = await scoreFold(table, config, spec, target, folds[f]!, hooks);
			scores.push(m[primary]!);
			losses.push((target.task === 'regression' ? m.rmse : m.log_loss) ?? NaN);
		}
		const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
		candidates.push({
			model: spec,
			validation: mean,
			loss: losses.reduce((a, b) => a + b, 0) / losses.length,
			seconds: (performance.now() - started) / 1000,
			chosen: false,
			folds: { k: folds.length, mean, std: scores.length > 1 ? stdOf(scores, 1) : 0 }
		});
	}
	const scored = folds.reduce((n, f) => n + f.validation.length, 0);
	const chosen = pickSimplest(candidates, primary, scored);
	candidates[chosen]!.chosen = true;
	return { spec: candidates[chosen]!.model, candidates };
}

/**
 * k folds of `rows`: forward-chaining by time when `times` are given (k + 1 blocks in time order;
 * fold i trains on blocks 1…i and is scored on block i + 1), else stratified for classes with k
 * lowered to the smallest class's row count (at least 2). Null when there are too few rows.
 */
export function choiceFolds(
	rows: Int32Array,
	target: PreparedTarget,
	times: Float64Array | undefined,
	seed: number
): { train: Int32Array; validation: Int32Array }[] | null {
	if (times) {
		const ordered = Int32Array.from(rows).sort((a, b) => times[a]! - times[b]! || a - b);
		const block = Math.floor(ordered.length / (CHOICE_FOLDS + 1));
		if (block < 2) return null;
		return Array.from({ length: CHOICE_FOLDS }, (_, i) => ({
			train: ordered.slice(0, (i + 1) * block),
			validation: ordered.slice(
				(i + 1) * block,
				i === CHOICE_FOLDS - 1 ? ordered.length : (i + 2) * block
			)
		}));
	}
	let k = CHOICE_FOLDS;
	if (target.classes) {
		const counts = new Map<number, number>();
		for (const r of rows) counts.set(target.classes[r]!, (counts.get(target.classes[r]!) ?? 0) + 1);
		k = Math.min(k, ...counts.values());
	}
	if (k < 2 || rows.length < 2 * k) return null;
	return kFolds(rows, k, seed, target.classes ?? undefined);
}
