import { DriftwoodError } from '../errors';
import { CancelledError } from '../model/family';
import { DEFAULT_GBDT, DEFAULT_MLP, type ModelSpec } from '../model/spec';
import { inferTask, prepareTarget, type Task } from '../model/task';
import type { ExperimentConfig } from '../model/types';
import { prepareFold } from '../model/fold';
import { profileTable } from '../profile/profile';
import { findColumn } from '../recipe/fit';
import { suggestRecipe } from '../recipe/suggest';
import type { RecipeSpec } from '../recipe/types';
import type { Table } from '../table/types';
import { duplicateGroups, type DuplicateGroup } from './duplicates';
import { AuditError } from './errors';
import { findLabelIssues, findResidualIssues } from './labels';
import { leakSuspects, type LeakSuspect } from './leakage';
import { outOfFold, type AuditHooks } from './oof';
import { findOutliers, isolationScores } from './outliers';

export type { AuditHooks } from './oof';

/** What an audit reads: the target, and optionally the recipe, folds and seed. */
export interface AuditConfig {
	target: string;
	task?: Task | 'auto';
	/** The recipe whose matrix the models and the outlier forest read (default: the suggested one). */
	recipe?: RecipeSpec;
	/** Folds of the out-of-fold probabilities (default 5; 4 from LARGE_AUDIT rows with a target). */
	folds?: number;
	seed?: number;
	/**
	 * Rounds of out-of-fold fits for classes (default `auditRounds`): each after the first refits
	 * the models without the previous round's flags and judges the labels again; 1: one round.
	 */
	rounds?: Rounds;
	/**
	 * Classes: average a network's out-of-fold probabilities with the trees' (default: below
	 * `AUDIT_NETWORK_MAX_ROWS` rows with a target). Regression: the trees alone.
	 */
	network?: boolean;
}

/** Everything an audit found, each flag with a score and a reason. Rows are table row indices. */
export interface AuditResult {
	task: Task;
	target: string;
	labels: string[];
	/** Rows audited: those with a target. */
	rows: number;
	folds: number;
	/** Rounds of out-of-fold fits (`AuditConfig.rounds`); numbers: always 1. */
	rounds: Rounds;
	/** The models whose out-of-fold predictions were averaged: `gbdt`, and `mlp` when a network joined. */
	models: ModelSpec['kind'][];
	/** Why the network meant to join the trees was left out (its loss diverged); null otherwise. */
	networkLeftOut: string | null;
	/** Classification: rows whose given label the out-of-fold probabilities doubt, most doubtful first. */
	labelIssues: { row: number; given: string; suggested: string; score: number; reason: string }[];
	/** Regression: rows whose out-of-fold residual is extreme. */
	residualIssues: {
		row: number;
		given: number;
		predicted: number;
		score: number;
		reason: string;
	}[];
	/** Classes with fewer rows than folds: named, their rows not judged (often a typo or a code). */
	rareClasses: { label: string; rows: number[]; reason: string }[];
	/** Classification: `[given][likely true]` in rows (calibrated confident joint). */
	noiseMatrix: number[][] | null;
	outliers: { row: number; score: number; reason: string }[];
	duplicates: DuplicateGroup[];
	leakage: LeakSuspect[];
	/** The recipe the audit's models read: leak suspects dropped (what a fair retraining reads too). */
	recipe: RecipeSpec;
	seconds: number;
}

const DEFAULT_FOLDS = 5;
/**
 * From this many rows with a target, 4 folds: each model still learns from 37 500 rows or more,
 * and a round is 4 fits instead of 5 — on 2 cores two waves instead of three, the third with a core
 * idle. Measured with 3 classes and 20 % of labels flipped (flagged precision / recall): 100 000 ×
 * 50, 5 folds 72–75 s, 0.884 / 0.845 → 4 folds 57 s, 0.887 / 0.848; its first 50 000 rows, 5 folds
 * 0.868 / 0.838 → 4 folds 0.857 / 0.840, a third less time.
 */
const LARGE_AUDIT = 50_000;
const LARGE_AUDIT_FOLDS = 4;

/** The folds an audit of `rows` rows with a target uses: those asked for, else by its size. */
export function auditFolds(rows: number, asked?: number): number {
	return asked ?? (rows >= LARGE_AUDIT ? LARGE_AUDIT_FOLDS : DEFAULT_FOLDS);
}

export type Rounds = 1 | 2 | 3;

/**
 * A class audit fits three rounds while rows × trees per boosting iteration (one for two classes,
 * one per class from three) stay below this, else two. The second round's models learn without
 * the first round's pruned rows — most wrong labels, and on classes that overlap many right ones
 * near a boundary — so they are sure of themselves there; the third learns without the second's
 * flags only (Bayes' rule: fewer right rows among them) and finds the wrong labels the second
 * believed. Measured on sixteen tables with 20 % of labels flipped at known rows (124 to 30,000
 * rows), two rounds → three: recall up on fifteen (a new table 0.916 → 0.954, 30,000 rows 0.863 →
 * 0.890), precision down by 0.003–0.057 on nine, F1 up on fourteen; "train without these rows"
 * recovered at least half of what the noise cost on eight of nine tables (was six), a mean of
 * 0.59 → 0.68. A third round costs half again the trees' time: 100,000 × 50 with two classes
 * 23 → 28–33 s (precision / recall 0.913 / 0.877 → 0.913 / 0.895), with three classes 35 → 51 s, too
 * near the minute such an audit is allowed — so that one keeps two.
 */
export const AUDIT_THREE_ROUNDS_BELOW = 150_000;

/**
 * The rounds a class audit of `rows` rows with a target and `classes` classes fits: those asked
 * for, else by its size (`AUDIT_THREE_ROUNDS_BELOW`). Numbers: one.
 */
export function auditRounds(task: Task, rows: number, classes: number, asked?: Rounds): Rounds {
	if (task === 'regression') return 1;
	if (asked) return asked;
	const treesPerIteration = classes > 2 ? classes : 1;
	return rows * treesPerIteration < AUDIT_THREE_ROUNDS_BELOW ? 3 : 2;
}

/** How a progress line and a reason name each round's fits. */
const ROUND_NAMES = ['out-of-fold predictions', 'second round', 'third round'] as const;

/**
 * Below this many rows with a target, a class audit averages a small network's out-of-fold
 * probabilities (the default MLP, one seed) with the trees'. Models that err differently doubt
 * different rows, so the mean doubts a correct label less often. Measured on twelve tables with
 * 20 % of labels flipped (digits, breast cancer, wine, penguins and four synthetic; uniform and
 * class-conditional): flagged precision rose on all twelve (0.63–0.93 → 0.70–0.99), recall on
 * seven (mean 0.85 either way); the two test fixtures' 0.80 → 0.94 and 0.81 → 0.93 (recall
 * 0.87 → 0.83 and 0.81 → 0.81). Three network seeds measured no better (mean precision 0.92 against 0.91) for
 * twice the network's time. The network costs 1.2–2.4× the audit's time (19 000 × 50 with three
 * classes: 25 → 42 s on 2 cores in two rounds; 22 → 57 s in three); above this size the trees
 * alone keep a 100 000-row audit within a minute.
 */
export const AUDIT_NETWORK_MAX_ROWS = 20_000;

/** The models of an audit in words: "the trees", or "the trees and a network, averaged". */
export function auditModelWords(models: readonly ModelSpec['kind'][]): string {
	return models.includes('mlp') ? 'the trees and a network, averaged' : 'the trees';
}

/** The specs whose out-of-fold predictions an audit averages. */
export function auditModels(
	task: Task,
	rows: number,
	seed: number,
	network?: boolean
): ModelSpec[] {
	const trees: ModelSpec = { ...DEFAULT_GBDT, seed };
	if (task === 'regression' || !(network ?? rows < AUDIT_NETWORK_MAX_ROWS)) return [trees];
	return [trees, { ...DEFAULT_MLP, seed, seeds: 1 }];
}

/**
 * The data audit of a table: label issues by confident learning on out-of-fold probabilities of
 * the trees, averaged with a small network's on smaller tables (extreme out-of-fold residuals of
 * the trees for regression), outliers by an isolation forest on the recipe's matrix, exact and
 * near duplicates (and those whose labels conflict), and columns that give the answer away.
 * Reads the table, changes nothing.
 */
export async function runAudit(
	table: Table,
	config: AuditConfig,
	hooks: AuditHooks = {}
): Promise<AuditResult> {
	const started = performance.now();
	const column = findColumn(table, config.target);
	const task = !config.task || config.task === 'auto' ? inferTask(column) : config.task;
	const target = prepareTarget(column, task);
	const folds = auditFolds(target.rows.length, config.folds);
	let rare: number[] = [];
	if (task !== 'regression') {
		if (target.labels.length < 2)
			throw new AuditError(
				`"${config.target}" has one class ("${target.labels[0] ?? ''}"): there is no label to doubt. Audit a target with two classes or more.`
			);
		const counts = new Int32Array(target.labels.length);
		for (const r of target.rows) counts[target.classes![r]!]!++;
		// A class with fewer rows than folds cannot be judged out of fold: its rows are named (a
		// one-row class is often a typo or a code), and the others are audited without them.
		rare = target.labels.flatMap((_, c) => (counts[c]! < folds ? [c] : []));
		if (target.labels.length - rare.length < 2)
			throw new AuditError(
				`Only ${target.labels.length - rare.length} class of "${config.target}" has at least ${folds} rows (${target.labels.map((l, c) => `"${l}" ${counts[c]}`).join(', ')}): the labels cannot be judged out of fold. Add rows, or audit fewer folds.`
			);
	} else if (target.rows.length < folds * 2)
		throw new AuditError(`${target.rows.length} rows with a target: too few for ${folds} folds.`);
	// Leak suspects first: a column that gives the answer away would teach the models the labels
	// as given, wrong ones included, and hide every label issue. They are left out of the rest.
	hooks.onProgress?.(0, 1, 'leakage');
	const leakage = leakSuspects(
		table.columns,
		target,
		config.target,
		config.seed ?? DEFAULT_GBDT.seed
	);
	const suspects = new Set(leakage.map((l) => l.column));
	const suggested =
		config.recipe ?? suggestRecipe(profileTable(table, config.target), config.target);
	const recipe: RecipeSpec = {
		...suggested,
		steps: suggested.steps.map((step) =>
			suspects.has(step.column) && step.kind !== 'drop'
				? { column: step.column, kind: 'drop', reason: 'a leak suspect: left out of the audit' }
				: step
		)
	};
	const seed = config.seed ?? DEFAULT_GBDT.seed;
	let models = auditModels(task, target.rows.length, seed, config.network);
	const experiment: ExperimentConfig = {
		target: config.target,
		task,
		recipe,
		split: { kind: 'random', seed, validation: 0, test: 0 },
		model: models[0]!,
		robustness: false,
		importance: false
	};
	const stage = (what: string) => (done: number, total: number, detail: string) =>
		hooks.onProgress?.(done, total, `${what}: ${detail}`);

	// The rows whose labels are judged: every row but those of the rare classes.
	const rareSet = new Set(rare);
	const judged = rare.length
		? { ...target, rows: target.rows.filter((r) => !rareSet.has(target.classes![r]!)) }
		: target;
	let networkLeftOut: string | null = null;
	// A network whose loss diverges is left out, with its reason: the trees alone judge then.
	const predict = async (
		what: string,
		excluded: ReadonlySet<number> = new Set(),
		last = false
	): Promise<Float64Array> => {
		try {
			const hooked = { ...hooks, onProgress: stage(what) };
			const spare = last ? meanwhile : undefined;
			return await outOfFold(table, experiment, judged, models, folds, hooked, excluded, spare);
		} catch (error) {
			const diverged = error instanceof DriftwoodError && error.code === 'diverged';
			if (!diverged || models.length < 2) throw error;
			const from = what === ROUND_NAMES[0] ? '' : ` of the ${what}`;
			networkLeftOut = `The network was left out${from}, the trees judged alone: ${error.message}`;
			models = models.filter((m) => m.kind === 'gbdt');
			return predict(what, excluded, last);
		}
	};
	// Outliers and duplicates do not depend on the labels' rounds: this thread finds them while
	// other threads finish the last round's folds (the tail it would otherwise wait out), or after.
	type Others = Pick<AuditResult, 'outliers' | 'duplicates'>;
	let others: Others | null = null;
	const findOthers = (): Others => {
		const matrix = prepareFold(table, experiment, target, target.rows, new Int32Array(0), false);
		const isolation = isolationScores(matrix.x, target.rows.length, matrix.inputs, seed);
		const numbers = recipe.steps
			.filter((s) => s.kind === 'numeric')
			.map((s) => findColumn(table, s.column))
			.flatMap((c) =>
				c.storage === 'float'
					? [{ name: c.name, values: Float64Array.from(target.rows, (r) => c.values[r]!) }]
					: []
			);
		const outliers = findOutliers(numbers, isolation).map((o) => ({
			row: target.rows[o.index]!,
			score: o.score,
			reason: o.reason
		}));
		const features = recipe.steps.filter((s) => s.kind !== 'drop').map((s) => s.column);
		return { outliers, duplicates: duplicateGroups(table, features, config.target, target.rows) };
	};
	const meanwhile = () => {
		others ??= findOthers();
	};
	const classes = task === 'regression' ? 0 : target.labels.length;
	const rounds = auditRounds(task, target.rows.length, classes, config.rounds);
	let oof = await predict(ROUND_NAMES[0], new Set(), rounds === 1);
	// The judged rows' given classes (numbers: none), read by every judgement below.
	const given =
		task === 'regression'
			? new Int32Array(0)
			: Int32Array.from(judged.rows, (r) => target.classes![r]!);
	// Each later round: the models refitted without the rows the round before flagged (they are
	// still predicted), so that wrong labels no longer teach them; the rows are judged again. The
	// first round's flags come from pruning (models that learned the labels as given), later
	// rounds' from Bayes' rule (models that learned without most wrong labels).
	for (let round = 2; round <= rounds; round++) {
		const rule = round === 2 ? 'prune' : 'posterior';
		const previous = findLabelIssues(given, oof, target.labels.length, rule);
		const excluded = new Set(previous.issues.map((i) => judged.rows[i.index]!));
		oof = await predict(ROUND_NAMES[round - 1]!, excluded, round === rounds);
	}
	const result: AuditResult = {
		task,
		target: config.target,
		labels: target.labels,
		rows: target.rows.length,
		folds,
		rounds,
		models: models.map((m) => m.kind),
		networkLeftOut,
		labelIssues: [],
		residualIssues: [],
		rareClasses: [],
		noiseMatrix: null,
		outliers: [],
		duplicates: [],
		leakage: [],
		recipe,
		seconds: 0
	};
	if (task === 'regression') {
		const truth = Float64Array.from(target.rows, (r) => target.values![r]!);
		result.residualIssues = findResidualIssues(truth, oof).map((issue) => ({
			row: target.rows[issue.index]!,
			given: truth[issue.index]!,
			predicted: issue.predicted,
			score: issue.score,
			reason: `${truth[issue.index]} where the other rows predict ${issue.predicted.toPrecision(4)}: ${issue.score.toFixed(1)} robust standard deviations off.`
		}));
	} else {
		// After a later round the models learned without most wrong labels: their probabilities
		// estimate the true class, and each row's label is judged by Bayes' rule.
		const rule = rounds > 1 ? 'posterior' : 'prune';
		const labels = findLabelIssues(given, oof, target.labels.length, rule);
		// A row with no feature at all cannot be judged: every model answers it with the prior.
		const inputs = recipe.steps
			.filter((s) => s.kind !== 'drop')
			.map((s) => findColumn(table, s.column));
		const blank = (row: number) =>
			inputs.every((c) =>
				c.storage === 'float' ? Number.isNaN(c.values[row]!) : c.codes[row]! < 0
			);
		labels.issues = labels.issues.filter((issue) => !blank(judged.rows[issue.index]!));
		result.noiseMatrix = labels.noiseMatrix;
		result.labelIssues = labels.issues.map((issue) => {
			const k = target.labels.length;
			const pGiven = oof[issue.index * k + issue.given]!;
			const pSuggested = oof[issue.index * k + issue.suggested]!;
			return {
				row: judged.rows[issue.index]!,
				given: target.labels[issue.given]!,
				suggested: target.labels[issue.suggested]!,
				score: issue.score,
				reason: labelReason(
					target.labels[issue.given]!,
					target.labels[issue.suggested]!,
					[pGiven, pSuggested],
					labels.noiseMatrix[issue.given]![issue.suggested]!,
					rule === 'posterior' ? issue.score : null
				)
			};
		});
		result.rareClasses = rare.map((c) => {
			const rows = [...target.rows].filter((r) => target.classes![r] === c);
			const one = rows.length === 1;
			return {
				label: target.labels[c]!,
				rows,
				reason: `"${target.labels[c]}" labels ${rows.length} row${one ? '' : 's'}: fewer than the ${folds} folds, so ${one ? 'it is' : 'they are'} not judged. A class this rare is often a typo or a code; check it.`
			};
		});
	}
	if (hooks.isCancelled?.()) throw new CancelledError();

	if (!others) {
		hooks.onProgress?.(0, 1, 'outliers and duplicates');
		await hooks.yieldToEvents?.();
		meanwhile();
	}
	result.outliers = others!.outliers;
	result.duplicates = others!.duplicates;

	result.leakage = leakage;
	result.seconds = (performance.now() - started) / 1000;
	hooks.onProgress?.(1, 1, 'done');
	return result;
}

/**
 * A label flag's reason: the out-of-fold probabilities of its label and the suggested one, how
 * many rows the noise matrix moves between them, and (judged by Bayes' rule) the probability
 * that the label is wrong.
 */
function labelReason(
	given: string,
	suggested: string,
	[pGiven, pSuggested]: [number, number],
	alike: number,
	wrong: number | null
): string {
	const why = `Models that never saw this row give "${given}" ${percentWords(pGiven)} and "${suggested}" ${percentWords(pSuggested)}; about ${Math.round(alike).toLocaleString('en-US')} rows labelled "${given}" look like "${suggested}".`;
	if (wrong === null) return why;
	return `${why.slice(0, -1)}, so "${given}" is wrong here with probability ${percentWords(wrong)}.`;
}

/** A probability in words, never rounded up to certainty: "93 %", "over 99 %", "under 1 %". */
export function percentWords(p: number): string {
	if (p > 0.99) return 'over 99 %';
	if (p < 0.01) return 'under 1 %';
	return `${Math.round(p * 100)} %`;
}
