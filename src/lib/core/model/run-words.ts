import { choiceTolerance } from './choose';
import { formatDuration } from './eta';
import { familyEntry } from './families';
import { keptLine, stepName } from './spec';
import type { Candidate, ExperimentSummary } from './types';

/**
 * A run's training in words, for the run page: the curve's caption (steps, the one kept, early
 * stopping, times) — or, for an ensemble, which has no curve of its own, its members' steps.
 */
export function curveWords(result: ExperimentSummary): string {
	const times = `fit ${result.timings.train.toFixed(1)} s, evaluation ${result.timings.evaluate.toFixed(1)} s`;
	if (result.model.kind === 'ensemble')
		return `An ensemble has no curve of its own: each member trained the steps its folds chose (${result.model.members
			.map((m) => {
				const spec = m.spec;
				return `${familyEntry(spec.kind).label}: ${spec.kind === 'gbdt' ? `${spec.maxIterations} iterations` : `${spec.epochs} epochs`}`;
			})
			.join(', ')}) · ${times}`;
	const step = stepName(result.model);
	const early = !result.stoppedEarly
		? ''
		: step === 'epoch'
			? ' · stopped early, best weights restored'
			: ' · stopped early, the trees after the best iteration dropped';
	return `${result.history.length} ${step}s · ${keptLine(result.history, result.bestEpoch, step)}${early} · ${times}`;
}

/**
 * An automatic choice in words, for the run page: how the candidates were scored, the rule that
 * kept one, the tolerance it applied, and when there is an ensemble, its gain and whether it won.
 */
export interface ChoiceWords {
	/** The folds when they scored the candidates; null when one validation slice did. */
	folds: { k: number } | null;
	/** Rows every candidate was scored on (all training + validation rows on folds). */
	scoredRows: number;
	/** How far below the best single model a simpler one may score and still be kept. */
	tolerance: number;
	rule: string;
}

/** A candidate's name on the leaderboard: the family, an ensemble with its members' weights. */
export function candidateLabel(c: Candidate): string {
	if (c.model.kind !== 'ensemble') return familyEntry(c.model.kind).label;
	return `Ensemble (${c.model.members
		.map((m) => `${familyEntry(m.spec.kind).label} ${Math.round(m.weight * 100)} %`)
		.join(', ')})`;
}

/** A leaderboard row's cells in words: the model (★ when chosen), its score and spread, loss, fit time. */
export function candidateCells(c: Candidate): {
	model: string;
	score: string;
	spread: string | null;
	loss: string;
	fit: string;
} {
	return {
		model: `${candidateLabel(c)}${c.chosen ? ' ★ chosen' : ''}${candidateNote(c)}`,
		score: c.validation === null ? '—' : c.validation.toFixed(4),
		spread: c.validation !== null && c.folds ? `± ${c.folds.std.toFixed(4)}` : null,
		loss: c.loss === null ? '—' : c.loss.toFixed(4),
		fit: `${c.seconds.toFixed(1)} s`
	};
}

/** What became of a candidate that did not train in full: Cancel, or the budget. */
export function candidateNote(c: Candidate): string {
	if (c.status === 'stopped') return ' — stopped by Cancel';
	if (c.status === 'not started') return ' — not started';
	if (c.status === 'skipped') return ` — skipped: ${c.reason ?? 'over the time budget'}`;
	if (c.budget)
		return ` — on a sample of ${c.budget.rows.toLocaleString('en-US')} of ${c.budget.of.toLocaleString('en-US')} rows: all would take about ${formatDuration(c.budget.estimate)}, over the budget of ${formatDuration(c.budget.seconds)}`;
	return '';
}

export function choiceWords(
	result: ExperimentSummary,
	splitKind: 'random' | 'stratified' | 'time'
): ChoiceWords {
	const primaryName = result.primaryMetric === 'r2' ? 'R²' : 'accuracy';
	const foldsOf = result.candidates.find((c) => c.folds)?.folds ?? null;
	const scoredRows = foldsOf ? result.rows.train + result.rows.validation : result.rows.validation;
	// The one-SE rule runs over the single models; the ensemble has its own test below.
	const singles = result.candidates.filter((c) => c.model.kind !== 'ensemble');
	const best = Math.max(...singles.map((c) => c.validation ?? -Infinity));
	const tolerance =
		singles.length > 1 && Number.isFinite(best)
			? choiceTolerance(result.primaryMetric, best, scoredRows)
			: 0;
	const kept = `Kept: the simplest (linear, then trees, then MLP) of those within one standard error (${tolerance.toFixed(4)}${foldsOf ? '' : ` on ${scoredRows} validation rows`}) of the best ${foldsOf ? 'mean' : 'validation'} ${primaryName}`;
	const scored = foldsOf
		? `Each scored on ${foldsOf.k} folds of the ${scoredRows} training + validation rows (${splitKind === 'time' ? 'forward-chaining: each fold trained only on rows before it' : 'each fold trained on the others'}): mean ± standard deviation over the folds.`
		: 'Each trained on the same split with its defaults.';
	const gain = result.candidates.find((c) => c.gain)?.gain;
	const ensemble = gain
		? ` The ensemble (Caruana's greedy selection on the out-of-fold predictions, each fold scored with weights chosen on the others) ${result.model.kind === 'ensemble' ? 'replaced it' : 'is not kept'}: its gain over ${familyEntry(gain.over).label}, paired row by row, is ${gain.value >= 0 ? '+' : ''}${gain.value.toFixed(4)} ± ${gain.error.toFixed(4)}, ${result.model.kind === 'ensemble' ? 'above' : 'not above'} one standard error.`
		: '';
	return {
		folds: foldsOf ? { k: foldsOf.k } : null,
		scoredRows,
		tolerance,
		rule: `${scored} ${kept}${foldsOf ? '; then trained on the split' : ' — a difference that small is chance'}.${ensemble} The test rows never decided.`
	};
}

/**
 * A warning when the model scores below the constant baseline on the test rows (its primary
 * metric): it does worse than always answering the training class shares (or mean). Null otherwise.
 */
export function baselineWarning(result: ExperimentSummary): string | null {
	const metric = result.primaryMetric;
	const model = result.test[metric];
	const baseline = result.baseline[metric];
	if (model === null || model === undefined || baseline === null || baseline === undefined)
		return null;
	if (!(model < baseline)) return null;
	return `The model scores below the constant baseline on the test rows (${metric} ${model.toFixed(4)} against ${baseline.toFixed(4)}): always answering ${result.task === 'regression' ? 'the training mean' : 'the commonest training class'} would do better. Do not deploy it as it is: check the target, the features and the recipe, or try another model.`;
}
