import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { modelMissingPolicy, enforceSchema } from '../../lib/core/bundle/enforce';
import type { Manifest } from '../../lib/core/bundle/manifest';
import {
	replayColumns,
	replayConfig,
	trainingOf,
	windowed,
	windowText,
	type RetrainWindow
} from '../../lib/core/bundle/replay';
import { trainingSettings } from '../../lib/core/bundle/training';
import { unpackBundle } from '../../lib/core/bundle/unpack';
import { DriftwoodError } from '../../lib/core/errors';
import { runExperiment, type ExperimentResult } from '../../lib/core/model/experiment';
import { prepareTarget, type PreparedTarget } from '../../lib/core/model/task';
import { findColumn } from '../../lib/core/recipe/fit';
import { halfLifeText, type HalfLife } from '../../lib/core/model/recency';
import { baselineWarning } from '../../lib/core/model/run-words';
import { profileTable } from '../../lib/core/profile/profile';
import { appendTables } from '../../lib/core/table/append';
import type { Table } from '../../lib/core/table/types';
import { computeFor } from '../backend';
import { withFoldPool } from '../fold-pool';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { bundleOf } from './train';

/** The options of `driftwood retrain`. */
export interface RetrainOptions extends ReadFileOptions {
	/** Keep only the newest rows (a number of rows, or a span of time on the date column). */
	window?: RetrainWindow;
	/** Recency weights instead of the bundle's (null: none, undefined: the bundle's). */
	halfLife?: HalfLife | null;
	/** A new seed for the split and the fit (default: the bundle's). */
	seed?: number;
}

/** What `driftwood retrain` made: the champion it replayed, the run, the challenger's bundle. */
export interface RetrainOutput {
	champion: { name: string; version: number; family: string; test: number | null };
	files: { file: string; rows: number; problems: number }[];
	rows: number;
	window: { text: string; kept: number; of: number; undated: number } | null;
	halfLife: HalfLife | null;
	result: ExperimentResult;
	bundle: Uint8Array;
	version: number;
}

/**
 * `driftwood retrain --bundle champion.zip new.csv… --out challenger.zip`: the champion's recipe
 * and model spec (its training settings, recorded in the bundle) replayed on the labelled files —
 * the same split, refits and recency weights, a new drift reference and calibration — as the
 * champion's next version. Every file must hold every column the champion trained on.
 */
export async function retrainFiles(
	bundlePath: string,
	paths: string[],
	options: RetrainOptions
): Promise<RetrainOutput> {
	const { manifest } = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const settings = trainingOf(manifest);
	const columns = replayColumns(manifest, settings);
	const missing = options.missing ?? modelMissingPolicy(manifest);
	const parts: Table[] = [];
	const files: RetrainOutput['files'] = [];
	for (const path of paths) {
		const { table } = await readFileTable(path, { ...options, missing });
		// Checked before anything trains: a file that lacks a column the model used, by name.
		const lacking = columns.filter((c) => !table.columns.some((t) => t.name === c.name));
		if (lacking.length)
			throw new DriftwoodError(
				`"${basename(path)}" lacks ${lacking.length === 1 ? 'the column' : 'the columns'} ${lacking.map((c) => `"${c.name}"`).join(', ')} that ${manifest.model.name} v${manifest.model.version} was trained on: a retrain needs every column its recipe reads, the target${settings.split.timeColumn ? ' and the date column' : ''}. Add ${lacking.length === 1 ? 'it' : 'them'} with the same header and try again.`,
				'schema'
			);
		const enforced = enforceSchema(columns, table);
		parts.push(enforced.table);
		files.push({ file: basename(path), rows: table.rowCount, problems: enforced.problemCount });
	}
	const all = appendTables(parts);
	const time = settings.split.timeColumn;
	const kept = windowed(all, time, options.window ?? null);
	if (kept.kept < 10)
		throw new DriftwoodError(
			`Only ${kept.kept} rows are left${options.window ? ` in ${windowText(options.window)}` : ''}: too few to train on. Widen the window or add files.`,
			'experiment'
		);
	// Before anything trains: the challenger must predict the champion's classes.
	checkSameTask(
		manifest,
		prepareTarget(findColumn(kept.table, manifest.model.target), settings.task)
	);
	const config = replayConfig(settings, manifest.model.target, options);
	const backend = await computeFor(config.model);
	const result = await withFoldPool(backend, (hooks) => runExperiment(kept.table, config, hooks));
	const version = manifest.model.version + 1;
	const fileNames = files.map((f) => f.file).join(' + ');
	const windowWords = options.window ? `, ${windowText(options.window)}` : '';
	const bundle = await bundleOf(
		result,
		profileTable(kept.table, manifest.model.target),
		kept.table,
		{
			name: manifest.model.name,
			version,
			datasetName: fileNames,
			training: trainingSettings(config, result),
			producer: 'driftwood CLI (retrain)',
			intendedUse: `Challenger of ${manifest.model.name} v${manifest.model.version}: its recipe and model settings replayed by "driftwood retrain" on ${fileNames}${windowWords}.`
		}
	);
	return {
		champion: {
			name: manifest.model.name,
			version: manifest.model.version,
			family: manifest.model.family,
			test: manifest.metrics.test[result.primaryMetric] ?? null
		},
		files,
		rows: all.rowCount,
		window: options.window
			? {
					text: windowText(options.window),
					kept: kept.kept,
					of: all.rowCount,
					undated: kept.undated
				}
			: null,
		halfLife: config.halfLife ?? null,
		result,
		bundle,
		version
	};
}

/** A challenger must predict what its champion predicts: the same classes. */
function checkSameTask(manifest: Manifest, result: PreparedTarget): void {
	const { task, labels } = manifest.model;
	const found: string[] = result.labels;
	if (task !== 'regression' && labels.join('\u0000') !== found.join('\u0000')) {
		const gone = labels.filter((l) => !found.includes(l));
		const added = found.filter((l) => !labels.includes(l));
		throw new DriftwoodError(
			`The new rows' classes differ from the champion's (${[
				...(gone.length ? [`absent: ${gone.join(', ')}`] : []),
				...(added.length ? [`new: ${added.join(', ')}`] : [])
			].join(
				'; '
			)}): the two models could not be scored on the same rows. Retrain on rows of every class, or train a new model.`,
			'schema'
		);
	}
}

/** The retrain as `--json` prints it. */
export function retrainJson(output: RetrainOutput) {
	const { result } = output;
	return {
		champion: output.champion,
		challenger: {
			name: output.champion.name,
			version: output.version,
			family: result.model.kind,
			test: result.test[result.primaryMetric] ?? null,
			baseline: result.baseline[result.primaryMetric] ?? null
		},
		metric: result.primaryMetric,
		files: output.files,
		rows: output.rows,
		window: output.window,
		half_life: output.halfLife,
		trained: {
			train: result.rows.train,
			validation: result.rows.validation,
			test: result.rows.test,
			/** The deployed model refitted on every row after the test (rows, steps), or null. */
			final_refit: result.finalRefit ?? null
		}
	};
}

/** The retrain as the CLI prints it. */
export function retrainText(output: RetrainOutput): string {
	const { result, champion } = output;
	const metric = result.primaryMetric;
	const show = (v: number | null | undefined) =>
		v === null || v === undefined ? '—' : v.toFixed(4);
	const problems = output.files.reduce((n, f) => n + f.problems, 0);
	const warning = baselineWarning(result);
	return [
		`Replayed ${champion.name} v${champion.version}'s recipe and ${result.model.kind} settings on ${output.files.map((f) => `${f.file} (${f.rows} rows)`).join(' + ')}.`,
		...(output.window
			? [
					`Window: ${output.window.text}: ${output.window.kept} of ${output.window.of} rows${output.window.undated ? ` (${output.window.undated} rows without a date left out)` : ''}.`
				]
			: []),
		...(output.halfLife ? [`Recency weights: half-life ${halfLifeText(output.halfLife)}.`] : []),
		...(problems ? [`${problems} cells did not read as their column's type and are missing.`] : []),
		`Challenger v${output.version}: test ${metric} ${show(result.test[metric])} on ${result.rows.test} rows (baseline ${show(result.baseline[metric])}); the champion's own test ${metric} was ${show(champion.test)} on its data — compare both on the same rows with "driftwood compare".`,
		...(warning ? [`Warning: ${warning}`] : []),
		...(result.finalRefit
			? [
					`Deployed model refitted on all ${result.finalRefit.rows.toLocaleString('en-US')} rows after the test rows scored it.`
				]
			: []),
		''
	].join('\n');
}
