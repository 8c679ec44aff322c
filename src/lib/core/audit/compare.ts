import { applyProbabilityMap } from '../calibration/probabilities';
import { comparePaired, type PairedComparison } from '../evaluate/paired';
import { runExperiment } from '../model/experiment';
import { loadModel } from '../model/families';
import type { ExperimentResult, ExperimentConfig, ExperimentHooks } from '../model/types';
import { splitRows } from '../model/split';
import { inferTask, prepareTarget } from '../model/task';
import { findColumn } from '../recipe/fit';
import { transformTable } from '../recipe/transform';
import { rowArgmax } from '../stats/rows';
import { columnValueText } from '../table/access';
import { takeRows } from '../table/rows';
import type { Table } from '../table/types';
import { AuditError } from './errors';

/** The original rows and the audited ones, each trained the same way and scored on the same test rows. */
export interface CleanedComparison {
	metric: 'accuracy' | 'r2';
	/** The test rows both were scored on: the original split's, none of them left out. */
	testRows: number;
	original: { value: number; trainedOn: number; model: string };
	cleaned: { value: number; trainedOn: number; model: string };
	/** Cleaned − original on the same rows, paired, with its 95 % interval. */
	comparison: PairedComparison | null;
}

/**
 * The fair test of an audit: the table's split as the run would make it; its test rows kept out
 * and untouched (a flagged test row stays, with its label as given); the original training rows
 * and the same rows without the flagged ones (`drop`, table rows) each trained with one spec — the
 * original's choice, so that a choice made on cleaned rows cannot flatter itself — without a final
 * refit, and both scored row by row on the same test rows.
 */
export async function compareCleaned(
	table: Table,
	config: ExperimentConfig,
	drop: ReadonlySet<number>,
	hooks: ExperimentHooks = {}
): Promise<CleanedComparison> {
	const column = findColumn(table, config.target);
	const task = config.task === 'auto' ? inferTask(column) : config.task;
	const target = prepareTarget(column, task);
	const times =
		config.split.kind === 'time' && config.split.timeColumn
			? (() => {
					const c = findColumn(table, config.split.timeColumn!);
					return c.storage === 'float' ? c.values : undefined;
				})()
			: undefined;
	const split = splitRows(target.rows, config.split, target.classes ?? undefined, times);
	const test = split.test;
	const fit = Int32Array.from([...split.train, ...split.validation]).sort();
	const kept = fit.filter((r) => !drop.has(r));
	if (kept.length === fit.length)
		throw new AuditError('No flagged row is among the training rows: the two would be the same.');
	const names = table.columns.map((c) => c.name);
	const trainOn = async (rows: Int32Array, model: ExperimentConfig['model']) => {
		const ordered = takeRows(table, Int32Array.from([...rows, ...test]), names);
		const result = await runExperiment(
			ordered,
			{
				...config,
				task,
				model,
				split: { ...config.split, heldOutFrom: rows.length },
				robustness: false,
				importance: false,
				// The test rows must stay unseen by the model that is scored on them.
				finalRefit: false
			},
			hooks
		);
		const testRows = Int32Array.from({ length: test.length }, (_, i) => rows.length + i);
		return { result, ordered, testRows };
	};
	const original = await trainOn(fit, config.model);
	// The original's choice for both: a choice made on the cleaned rows would be judged on them.
	const cleaned = await trainOn(kept, original.result.model);
	const a = await outcomes(original.result, original.ordered, original.testRows, config.target);
	const b = await outcomes(cleaned.result, cleaned.ordered, cleaned.testRows, config.target);
	const metric = task === 'regression' ? 'r2' : 'accuracy';
	const before = original.result.test[metric] ?? NaN;
	const after = cleaned.result.test[metric] ?? NaN;
	const comparison = comparePaired(metric, a.outcomes, b.outcomes, a.truth);
	// The paired difference is a mean over the same rows, so it is the two test scores'
	// difference exactly — unless it scored other predictions than the runs did (it once read the
	// probabilities before their calibration: on binary labels a table gain of +0.02 came out as
	// −0.003). Refused rather than shown.
	if (comparison && Math.abs(comparison.difference - (after - before)) > 1e-9)
		throw new AuditError(
			`The fair test's paired difference (${comparison.difference}) is not the difference of the two test scores (${after - before}): it scored other predictions than the runs did, so it is not shown. This is a defect in Driftwood; please report it.`
		);
	return {
		metric,
		testRows: test.length,
		original: { value: before, trainedOn: fit.length, model: original.result.model.kind },
		cleaned: { value: after, trainedOn: kept.length, model: cleaned.result.model.kind },
		comparison
	};
}

/** Each test row's outcome: 1 / 0 right for classes, the squared error for numbers. */
async function outcomes(
	result: ExperimentResult,
	table: Table,
	rows: Int32Array,
	targetName: string
): Promise<{ outcomes: Float64Array; truth: Float64Array | null }> {
	const k = result.task === 'regression' ? 1 : result.labels.length;
	const model = await loadModel(result.artifacts.model, result.task, k);
	try {
		const raw = await model.predict(transformTable(result.recipe, table, rows));
		// As the run scored it and its bundle answers: through the probability map it calibrated
		// (when it kept one) — the raw probabilities can call another class.
		const map = result.probabilityCalibration?.map;
		const predicted = map ? applyProbabilityMap(map, raw, k) : raw;
		const column = findColumn(table, targetName);
		if (result.task === 'regression') {
			const scale = result.targetScale!;
			const truth = Float64Array.from(rows, (r) =>
				column.storage === 'float' ? column.values[r]! : NaN
			);
			const errors = truth.map((y, i) => (predicted[i]! * scale.scale + scale.center - y) ** 2);
			return { outcomes: errors, truth };
		}
		// Compared by label, not index: the two runs may know their classes in another order.
		return {
			outcomes: Float64Array.from(rows, (r, i) =>
				result.labels[rowArgmax(predicted, i, k)] === columnValueText(column, r) ? 1 : 0
			),
			truth: null
		};
	} finally {
		model.dispose();
	}
}
