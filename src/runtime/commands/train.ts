import { metricNames } from '../../lib/core/model/results';
import { startBackend } from '../backend';
import { runExperiment, type ExperimentResult } from '../../lib/core/model/experiment';
import {
	DEFAULT_GBDT,
	DEFAULT_LINEAR,
	DEFAULT_MLP,
	type ModelChoice
} from '../../lib/core/model/spec';
import { inferTask, type Task } from '../../lib/core/model/task';
import { profileTable } from '../../lib/core/profile/profile';
import { findColumn } from '../../lib/core/recipe/fit';
import { suggestRecipe } from '../../lib/core/recipe/suggest';
import { basename } from 'node:path';
import { renderModelCard } from '../../lib/core/bundle/card';
import { describeModel, freshModelInput } from '../../lib/core/bundle/describe';
import { packBundle } from '../../lib/core/bundle/pack';
import { describeSaved } from '../../lib/core/model/families';
import { hashTable } from '../../lib/core/hash/table';
import type { TableProfile } from '../../lib/core/profile/types';
import type { Table } from '../../lib/core/table/types';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { textTable } from './profile';

/** The options of `driftwood train`. */
export interface TrainOptions extends ReadFileOptions {
	target: string;
	task: Task | 'auto';
	model: 'auto' | 'linear' | 'mlp' | 'gbdt';
	/** Refit on training + validation rows before the test (default on). */
	refit: boolean;
	seed: number;
	epochs?: number;
	/** Also build a bundle with this model name. */
	bundleName?: string;
}

/** What `driftwood train` made: the result, the backend, the bundle bytes. */
export interface TrainOutput {
	result: ExperimentResult;
	backend: string;
	/** The model bundle, when asked for (`--out`). */
	bundle: Uint8Array | null;
}

/** `driftwood train`: the studio's default recipe and model, trained in Node (WASM, else CPU). */
export async function trainFile(path: string, options: TrainOptions): Promise<TrainOutput> {
	const { table } = await readFileTable(path, options);
	const profile = profileTable(table, options.target);
	const backend = await startBackend();
	const target = findColumn(table, options.target);
	const task = options.task === 'auto' ? inferTask(target) : options.task;
	const model: ModelChoice =
		options.model === 'auto'
			? { kind: 'auto', seed: options.seed }
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
	const result = await runExperiment(table, {
		target: options.target,
		task,
		recipe: suggestRecipe(profile, options.target),
		split: {
			kind: task === 'regression' ? 'random' : 'stratified',
			seed: options.seed,
			validation: 0.15,
			test: 0.2
		},
		model,
		robustness: true,
		importance: true,
		refit: options.refit
	});
	const bundle = options.bundleName
		? await bundleOf(result, profile, table, path, options.bundleName)
		: null;
	return { result, backend, bundle };
}

/** The run as a bundle, as the studio would export its version 1. */
async function bundleOf(
	result: ExperimentResult,
	profile: TableProfile,
	table: Table,
	path: string,
	name: string
): Promise<Uint8Array> {
	const now = new Date().toISOString();
	const manifest = describeModel({
		name,
		version: 1,
		result,
		...freshModelInput(result),
		profile,
		producer: 'driftwood CLI',
		createdAt: now,
		lineage: {
			datasetId: basename(path),
			datasetName: basename(path),
			datasetVersion: 1,
			tableId: await hashTable(table),
			runId: crypto.randomUUID(),
			trainedAt: now
		}
	});
	return packBundle({
		manifest,
		model: result.artifacts.model,
		readme: renderModelCard(manifest, {
			intendedUse: '',
			limitations: '',
			robustness: result.robustness,
			importance: result.importance,
			rows: result.rows,
			refit: result.refit,
			model: describeSaved(result.artifacts.model)
		})
	});
}

/** The run as `driftwood train --json` writes it. */
export function trainJson({ result, backend }: TrainOutput) {
	return {
		task: result.task,
		backend,
		/** The family trained (the winner of an automatic choice). */
		model: result.model.kind,
		/** Every family trained on this split, with its validation score (the leaderboard). */
		candidates: result.candidates.map((c) => ({
			model: c.model.kind,
			validation: c.validation,
			validation_loss: c.loss,
			seconds: c.seconds,
			chosen: c.chosen
		})),
		/** The refit on training + validation rows (rows, epochs or iterations), or null. */
		refit: result.refit,
		target: result.recipe.target,
		labels: result.labels,
		rows: result.rows,
		droppedTarget: result.droppedTarget,
		epochs: result.history.length,
		bestEpoch: result.bestEpoch,
		test: result.test,
		baseline: result.baseline,
		validation: result.validation,
		robustness: result.robustness,
		importance: result.importance
	};
}

/** The run as `driftwood train` prints it. */
export function trainText({ result, backend }: TrainOutput): string {
	const metrics = metricNames(result.test);
	const show = (v: number | null | undefined) =>
		v === null || v === undefined ? '—' : v.toFixed(4);
	return [
		`${result.task} on "${result.recipe.target}" · ${backend} · ${result.rows.train} / ${result.rows.validation} / ${result.rows.test} rows (train / validation / test) · ${result.history.length} ${result.artifacts.model.family === 'gbdt' ? 'iterations' : 'epochs'}, best ${result.bestEpoch}${result.refit ? ` · refitted on ${result.refit.rows} rows` : ''}`,
		'',
		...textTable(
			['metric', 'test', 'baseline'],
			metrics.map((m) => [m, show(result.test[m]), show(result.baseline[m])]),
			1
		),
		''
	].join('\n');
}
