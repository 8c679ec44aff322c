import { baselineWarning } from '../../lib/core/model/run-words';
import type { HalfLife } from '../../lib/core/model/recency';
import { metricNames } from '../../lib/core/model/results';
import { computeFor } from '../backend';
import { withFoldPool } from '../fold-pool';
import {
	runExperiment,
	type ExperimentConfig,
	type ExperimentResult
} from '../../lib/core/model/experiment';
import { trainingSettings, type TrainingSettings } from '../../lib/core/bundle/training';
import {
	DEFAULT_GBDT,
	DEFAULT_LINEAR,
	DEFAULT_MLP,
	type ModelChoice
} from '../../lib/core/model/spec';
import {
	suggestSplit,
	timeColumnOf,
	type SplitSpec,
	type SuggestedSplit
} from '../../lib/core/model/split';
import { inferTask, type Task } from '../../lib/core/model/task';
import { profileTable } from '../../lib/core/profile/profile';
import { findColumn } from '../../lib/core/recipe/fit';
import { suggestRecipe } from '../../lib/core/recipe/suggest';
import { basename } from 'node:path';
import { runConformalText } from '../../lib/core/conformal/words';
import { calibrationText } from '../../lib/core/calibration/words';
import { renderModelCard } from '../../lib/core/bundle/card';
import { describeModel, freshModelInput } from '../../lib/core/bundle/describe';
import { packBundle } from '../../lib/core/bundle/pack';
import { describeSaved } from '../../lib/core/model/families';
import { hashTable } from '../../lib/core/hash/table';
import type { TableProfile } from '../../lib/core/profile/types';
import type { MissingTokenCount, Table } from '../../lib/core/table/types';
import { missingTokenLines } from '../../lib/core/table/missing';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { appendTables } from '../../lib/core/table/append';
import { enforceSchema } from '../../lib/core/bundle/enforce';
import { textTable } from './profile';

/** The options of `driftwood train`. */
export interface TrainOptions extends ReadFileOptions {
	target: string;
	task: Task | 'auto';
	model: 'auto' | 'linear' | 'mlp' | 'gbdt';
	/** Refit on training + validation rows before the test (default on). */
	refit: boolean;
	/** Refit the deployed model on every row after the test (default on; never with --test). */
	finalRefit?: boolean;
	/** The split's kind; auto = the studio's suggestion (time-ordered when there are dates). */
	split?: 'auto' | SplitSpec['kind'];
	seed: number;
	epochs?: number;
	/** The automatic choice's seconds per candidate on a big table (default 600). */
	budget?: number;
	/** Recency weights on the date column (a time split). */
	halfLife?: HalfLife;
	/** Also build a bundle with this model name. */
	bundleName?: string;
	/**
	 * A held-out test file: the test rows are its rows, the whole training file is split into
	 * train / validation only (and refitted on all of it).
	 */
	testFile?: string;
}

/** What `driftwood train` made: the result, the backend, the bundle bytes. */
export interface TrainOutput {
	result: ExperimentResult;
	backend: string;
	/** The model bundle, when asked for (`--out`). */
	bundle: Uint8Array | null;
	/** The split used and why (time-ordered when the data has dates). */
	split: SuggestedSplit;
	/** How cells such as `None` were read, per column and token (the training file). */
	missingTokens: MissingTokenCount[];
}

/** `driftwood train`: the studio's default recipe and model, trained in Node (WASM, else CPU). */
export async function trainFile(path: string, options: TrainOptions): Promise<TrainOutput> {
	const { table, report } = await readFileTable(path, options);
	const profile = profileTable(table, options.target);
	const target = findColumn(table, options.target);
	const task = options.task === 'auto' ? inferTask(target) : options.task;
	const model: ModelChoice =
		options.model === 'auto'
			? {
					kind: 'auto',
					seed: options.seed,
					...(options.budget !== undefined ? { budgetSeconds: options.budget } : {})
				}
			: options.model === 'gbdt'
				? {
						...DEFAULT_GBDT,
						seed: options.seed,
						maxIterations: options.epochs ?? DEFAULT_GBDT.maxIterations
					}
				: {
						...(options.model === 'linear' ? DEFAULT_LINEAR : DEFAULT_MLP),
						seed: options.seed,
						epochs: options.epochs ?? DEFAULT_MLP.epochs
					};
	const split = chosenSplit(profile, options);
	const combined = options.testFile ? await withTestFile(table, options.testFile, options) : null;
	if (combined) split.spec.heldOutFrom = table.rowCount;
	const config: ExperimentConfig = {
		target: options.target,
		task,
		recipe: suggestRecipe(profile, options.target),
		split: split.spec,
		model,
		robustness: true,
		importance: true,
		refit: options.refit,
		finalRefit: options.finalRefit !== false,
		...(options.halfLife ? { halfLife: options.halfLife } : {})
	};
	const backend = await computeFor(model);
	const result = await withFoldPool(backend, (hooks) =>
		runExperiment(combined ?? table, config, hooks)
	);
	const bundle = options.bundleName
		? await bundleOf(result, profile, table, {
				name: options.bundleName,
				datasetName: basename(path),
				training: trainingSettings(config, result)
			})
		: null;
	return { result, backend, bundle, split, missingTokens: report.missingTokens ?? [] };
}

/**
 * The training table with the test file's rows after it, read as the training file's types (the
 * model's input schema rules: a missing column fails, unreadable cells become missing).
 */
async function withTestFile(table: Table, path: string, options: ReadFileOptions): Promise<Table> {
	const { table: test } = await readFileTable(path, options);
	const schema = table.columns.map((c) => ({ name: c.name, type: c.type, required: true }));
	return appendTables([table, enforceSchema(schema, test).table]);
}

/** The suggested split, or the kind asked for (a time split on the suggested date column). */
function chosenSplit(profile: TableProfile, options: TrainOptions): SuggestedSplit {
	const suggested = suggestSplit(profile, options.target, options.seed);
	const kind = options.split ?? 'auto';
	if (kind === 'auto' || kind === suggested.spec.kind) return held(suggested, options);
	const timeColumn = timeColumnOf(profile, options.target)?.name ?? null;
	return held(
		{
			spec: { ...suggested.spec, kind, timeColumn: kind === 'time' ? timeColumn : null },
			reason: `Split: ${kind === 'time' ? `by time on "${timeColumn}"` : kind} (--split ${kind}).`
		},
		options
	);
}

/** With a test file, the reason says where the test rows come from. */
function held(split: SuggestedSplit, options: TrainOptions): SuggestedSplit {
	if (!options.testFile) return split;
	return {
		spec: { ...split.spec },
		reason: `Test rows: every row of ${basename(options.testFile)}; the training file is split into train / validation (${split.spec.kind}${split.spec.kind === 'time' ? ` on "${split.spec.timeColumn}"` : ''}).`
	};
}

/** What a CLI bundle is named and says about itself. */
export interface BundleNaming {
	name: string;
	/** Default 1: a first model; a retrain writes the next version of its champion. */
	version?: number;
	datasetName: string;
	training: TrainingSettings | null;
	intendedUse?: string;
	producer?: string;
}

/** The run as a bundle, as the studio would export it. */
export async function bundleOf(
	result: ExperimentResult,
	profile: TableProfile,
	table: Table,
	naming: BundleNaming
): Promise<Uint8Array> {
	const now = new Date().toISOString();
	const manifest = describeModel({
		name: naming.name,
		version: naming.version ?? 1,
		result,
		...freshModelInput(result),
		profile,
		producer: naming.producer ?? 'driftwood CLI',
		createdAt: now,
		lineage: {
			datasetId: naming.datasetName,
			datasetName: naming.datasetName,
			datasetVersion: 1,
			tableId: await hashTable(table),
			runId: crypto.randomUUID(),
			trainedAt: now
		},
		training: naming.training
	});
	return packBundle({
		manifest,
		model: result.artifacts.model,
		readme: renderModelCard(manifest, {
			intendedUse: naming.intendedUse ?? '',
			limitations: '',
			robustness: result.robustness,
			importance: result.importance,
			rows: result.rows,
			refit: result.refit,
			finalRefit: result.finalRefit ?? null,
			model: describeSaved(result.artifacts.model)
		})
	});
}

/** The run as `driftwood train --json` writes it. */
export function trainJson({ result, backend, split, missingTokens }: TrainOutput) {
	return {
		task: result.task,
		backend,
		/** How rows were split: random, stratified or time (on `timeColumn`, newest = test). */
		split: { kind: split.spec.kind, timeColumn: split.spec.timeColumn ?? null },
		/** The family trained (the winner of an automatic choice). */
		model: result.model.kind,
		/** Every family trained on this split, with its validation score (the leaderboard). */
		candidates: result.candidates.map((c) => ({
			model: c.model.kind,
			validation: c.validation,
			validation_loss: c.loss,
			seconds: c.seconds,
			chosen: c.chosen,
			/** When folds chose: the number of folds and the standard deviation of the score. */
			folds: c.folds ?? null,
			/** trained, skipped (over the budget), stopped or not started (Cancel). */
			status: c.status ?? 'trained',
			/** Over the budget: the sample it trained on (rows 0: skipped), the estimate, the budget. */
			budget: c.budget ?? null,
			reason: c.reason ?? null,
			/** The ensemble: its members and weights, and its paired gain over the best single model. */
			...(c.model.kind === 'ensemble'
				? {
						members: c.model.members.map((m) => ({ model: m.spec.kind, weight: m.weight })),
						gain: c.gain ?? null
					}
				: {})
		})),
		/** The refit on training + validation rows (rows, epochs or iterations), or null. */
		refit: result.refit,
		/** The kept model trained on a sample of this many rows (the budget), or null. */
		sampled_rows: result.sampledRows ?? null,
		/** The deployed model refitted on every row after the test (rows, steps), or null. */
		final_refit: result.finalRefit ?? null,
		target: result.recipe.target,
		labels: result.labels,
		rows: result.rows,
		/** Rows left out because their target is missing (empty, or a token read as missing). */
		droppedTarget: result.droppedTarget,
		/** How cells such as `None` were read in the training file, per column and token. */
		missingTokens,
		epochs: result.history.length,
		bestEpoch: result.bestEpoch,
		test: result.test,
		baseline: result.baseline,
		validation: result.validation,
		robustness: result.robustness,
		importance: result.importance,
		/** Each input column's mean |contribution| on a sample of the test rows (null without). */
		contributions: result.contributions
			? {
					method: result.contributions.method,
					rows: result.contributions.rows,
					mean_abs: Object.fromEntries(
						result.contributions.columns.map((c) => [c.column, c.meanAbs])
					)
				}
			: null,
		/** Classifiers: the probability map kept (or null) and its held-out and test log losses. */
		probability_calibration: result.probabilityCalibration ?? null,
		/** Conformal bounds: calibration rows, and coverage on the test rows at 90 % (or null). */
		conformal: result.conformal
			? {
					kind: result.conformal.calibration.kind,
					calibration_rows: result.conformal.calibration.rows,
					test: result.conformal.test,
					exchangeable: result.conformal.exchangeable
				}
			: null
	};
}

/**
 * How an automatic choice was made, in one line: on k folds (mean ± standard deviation) or on the
 * one validation slice, and the rule (the simplest within one standard error of the best).
 */
function choiceLine(
	result: TrainOutput['result'],
	show: (v: number | null | undefined) => string
): string {
	const folds = result.candidates.find((c) => c.folds)?.folds;
	const scores = result.candidates
		.map((c) =>
			c.status === 'skipped'
				? `${c.model.kind} skipped (${c.reason})`
				: c.folds
					? `${c.model.kind} ${show(c.folds.mean)} ± ${show(c.folds.std)}`
					: `${c.model.kind} ${show(c.validation)}${c.budget ? ` (on a sample of ${c.budget.rows} of ${c.budget.of} rows: all of them would take about ${Math.round(c.budget.estimate)} s, over the ${c.budget.seconds} s budget)` : ''}`
		)
		.join(', ');
	const on = folds
		? `mean ${result.primaryMetric} on ${folds.k} folds`
		: `validation ${result.primaryMetric}`;
	const ensemble = result.candidates.find((c) => c.gain);
	const gain = ensemble?.gain;
	const gainText = gain
		? `${gain.value >= 0 ? '+' : ''}${gain.value.toFixed(4)} ± ${gain.error.toFixed(4)} over ${gain.over} on the same out-of-fold rows (paired)`
		: '';
	if (result.model.kind === 'ensemble')
		return `Model: ensemble of ${result.model.members.map((m) => `${m.spec.kind} ${Math.round(m.weight * 100)} %`).join(', ')}: it beats the best single model by more than one standard error, ${gainText}. Mean ${result.primaryMetric} on ${folds?.k ?? 0} folds: ${scores}.`;
	return `Model: ${result.model.kind}, the simplest within one standard error of the best ${on}: ${scores}.${gain ? ` The ensemble is not kept: its gain, ${gainText}, is not above one standard error.` : ''}`;
}

/** The run as `driftwood train` prints it. */
export function trainText({ result, backend, split, missingTokens }: TrainOutput): string {
	const metrics = metricNames(result.test);
	const show = (v: number | null | undefined) =>
		v === null || v === undefined ? '—' : v.toFixed(4);
	const target = result.recipe.target;
	const total =
		result.rows.train + result.rows.validation + result.rows.test + result.droppedTarget;
	const tokens = missingTokenLines(missingTokens, total);
	const warning = baselineWarning(result);
	const chosen =
		result.candidates.length > 1 ? choiceLine(result, show) : `Model: ${result.model.kind}.`;
	return [
		...(result.droppedTarget
			? [
					`Left out ${result.droppedTarget} of ${total} rows: their target "${target}" is missing${targetTokens(missingTokens, target)}.`
				]
			: []),
		...(tokens.length
			? [
					'Cells read as "no value" or kept (--na / --keep-na to change):',
					...tokens.map((t) => `  ${t}`)
				]
			: []),
		chosen,
		...(warning ? [`Warning: ${warning}`] : []),
		...(result.sampledRows !== undefined
			? [
					`The model kept trained on a sample of ${result.sampledRows} training rows (the budget) and was not refitted on more.`
				]
			: []),
		...(result.finalRefit
			? [
					`Test metrics: the model fitted without the test rows. The bundle's model was then refitted on all ${result.finalRefit.rows.toLocaleString('en-US')} rows (--no-final-refit keeps the tested one).`
				]
			: []),
		`${result.task} on "${result.recipe.target}" ·${backend === 'loops' ? '' : ` ${backend} ·`} ${result.rows.train.toLocaleString('en-US')} / ${result.rows.validation.toLocaleString('en-US')} / ${result.rows.test.toLocaleString('en-US')} rows (train / validation / test) · ${result.model.kind === 'ensemble' ? `${result.model.members.length} members, each trained the steps its folds chose` : `${result.history.length} ${result.artifacts.model.family === 'gbdt' ? 'iterations' : 'epochs'}, best ${result.bestEpoch}`}${result.refit ? ` · refitted on ${result.refit.rows.toLocaleString('en-US')} rows` : ''}`,
		split.reason,
		'',
		...textTable(
			['metric', 'test', 'baseline'],
			metrics.map((m) => [m, show(result.test[m]), show(result.baseline[m])]),
			1
		),
		'',
		...(result.probabilityCalibration ? [calibrationText(result.probabilityCalibration)] : []),
		...(result.conformal ? [...runConformalText(result.conformal), ''] : [])
	].join('\n');
}

/** The tokens that took target values away, for the line that counts the rows left out. */
function targetTokens(counts: readonly MissingTokenCount[], target: string): string {
	const read = counts.filter((c) => c.column === target && c.missing);
	return read.length ? ` (of them ${read.map((c) => `"${c.token}" × ${c.cells}`).join(', ')})` : '';
}
