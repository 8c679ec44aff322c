import type { LoadedModel } from '../bundle/predict';
import { referenceTable } from '../bundle/reference';
import type { Column, Table } from '../table/types';
import { predictionColumn, referencePredictions } from './monitor';
import {
	PREDICTION_FEATURE,
	pushdownPlan,
	TARGET_FEATURE,
	withoutIgnored,
	type PushdownPlan
} from './pushdown-plan';
import { pushdownSql, type PushdownOptions } from './pushdown-sql';
import { readSummary, summaryCheck } from './pushdown-summary';
import { DriftError } from './report';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { BatchCheck } from './types';

/**
 * What a model's pushdown query counts: its monitored inputs in their reference bins and, when
 * `prediction` names the batch column a scoring job wrote the model's outputs to, the predictions
 * in the bins of the model's outputs on its reference rows.
 */
export async function modelPushdownPlan(
	loaded: LoadedModel,
	prediction: string | null = null,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	target: string | null = null
): Promise<PushdownPlan> {
	const reference = referenceTable(loaded);
	if (!reference)
		throw new DriftError(
			'This model version has no reference sample (it was registered before monitoring existed). Register its run again to monitor it.'
		);
	const { manifest } = loaded;
	const targetColumn = target ? referenceTargetColumn(loaded, reference) : null;
	return pushdownPlan(
		manifest.recipe,
		manifest.schema.map((c) => c.name),
		reference,
		thresholds.ignored,
		prediction ? { column: prediction, reference: await referenceOutputs(loaded) } : null,
		target && targetColumn ? { column: target, reference: targetColumn } : null,
		manifest.model.task === 'regression' ? null : manifest.model.labels
	);
}

/**
 * The model's pushdown query as the CLI prints it and the studio shows it: its plan (the
 * predictions' and the labels' columns when named) written for the engine, titled with the
 * model's name and version.
 */
export async function modelPushdownQuery(
	loaded: LoadedModel,
	options: Omit<PushdownOptions, 'title'> & { prediction: string | null; target: string | null },
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS
): Promise<string> {
	const plan = await modelPushdownPlan(loaded, options.prediction, thresholds, options.target);
	const { name, version } = loaded.manifest.model;
	return `${pushdownSql(plan, { ...options, title: `Driftwood drift summary of "${name}" v${version}` })};\n`;
}

/** The model's outputs on its reference rows, as a column. */
async function referenceOutputs(loaded: LoadedModel): Promise<Column> {
	return predictionColumn((await referencePredictions(loaded)).predictions);
}

/** The target's column in the reference sample (refused when the sample lacks it). */
function referenceTargetColumn(loaded: LoadedModel, reference: Table): Column {
	const name = loaded.manifest.model.target;
	const column = reference.columns.find((c) => c.name === name);
	if (!column)
		throw new DriftError(
			`This model version's reference rows do not hold its target "${name}": its drift cannot be counted.`
		);
	return column;
}

/**
 * A batch checked from its warehouse summary (the pushdown query's result as records): the plan
 * is rebuilt from the bundle, with the predictions when the summary counts them, and the summary
 * is refused unless it is that plan's.
 */
export async function checkSummary(
	loaded: LoadedModel,
	records: Record<string, unknown>[],
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS
): Promise<BatchCheck> {
	const has = (name: string) => records.some((r) => r.feature === name);
	// The columns' names are the query's business: the plan only needs to know the bins.
	const prediction = has(PREDICTION_FEATURE) ? PREDICTION_FEATURE : null;
	const target = has(TARGET_FEATURE) ? TARGET_FEATURE : null;
	// Every input's plan, then the monitored ones': inputs left out of monitoring since the query
	// was written have their rows passed over.
	const all = await modelPushdownPlan(loaded, prediction, { ...thresholds, ignored: [] }, target);
	const plan = withoutIgnored(all, thresholds.ignored ?? []);
	const watched = new Set(plan.features.map((f) => f.name));
	const skipped = new Set(all.features.map((f) => f.name).filter((name) => !watched.has(name)));
	const summary = readSummary(
		plan,
		records.filter((r) => !skipped.has(String(r.feature)))
	);
	const reference = referenceTable(loaded)!;
	return summaryCheck(
		plan,
		loaded.manifest.recipe,
		reference,
		summary,
		loaded.manifest.reference.sample!.rows,
		thresholds,
		plan.prediction ? await referenceOutputs(loaded) : null,
		plan.target ? referenceTargetColumn(loaded, reference) : null,
		loaded.manifest.metrics.test
	);
}

/** A summary file read as a table (CSV, JSON) as the records `checkSummary` reads. */
export function tableRecords(table: Table): Record<string, unknown>[] {
	const out: Record<string, unknown>[] = Array.from({ length: table.rowCount }, () => ({}));
	for (const column of table.columns) {
		if (column.storage === 'float')
			column.values.forEach((v, i) => (out[i]![column.name] = Number.isNaN(v) ? null : v));
		else
			column.codes.forEach((c, i) => (out[i]![column.name] = c < 0 ? null : column.categories[c]!));
	}
	return out;
}
