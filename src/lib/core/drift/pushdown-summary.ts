import { countDistinctSorted, sortFloat64 } from '../stats/sort';
import { stdOf } from '../stats/summary';
import type { Column, Table } from '../table/types';
import { binKeys, binLabels, MISSING_KEY, nonEmptyBins, numericCounts } from './bins';
import { orderBounds, type Block } from './bounds';
import {
	band,
	categoricalTest,
	chosenTest,
	countedCategories,
	emptySide,
	numericTest,
	presentValues,
	scoreOf,
	sized,
	textCounts,
	type FeatureBase
} from './feature';
import { ksPValue } from './ks';
import {
	OUTCOME_FEATURE,
	plannedFeatures,
	TRUTH_FEATURE,
	summaryBins,
	summaryKeys,
	type PushdownFeature,
	type PushdownPlan
} from './pushdown-plan';
import { assembleReport, DriftError } from './report';
import { psi } from './stats';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { BatchCheck, FeatureDrift } from './types';
import { withDateParts } from './inputs';
import type { BatchSummary, SummaryCell } from './pushdown-types';
import type { FittedRecipe } from '../recipe/types';
import type { MetricSet } from '../model/results';
import { summaryScore } from './pushdown-score';
import { MIN_BATCH_ROWS } from './alerts';

const STD_FLOOR = 0.001;
const RERUN = 'run `driftwood sql --bundle` with this bundle and give its result';

/**
 * Reads a pushdown query's result (rows of feature, bin, n, min_value, max_value, sum_value,
 * sum_squares, unseen_values — from CSV or JSON, counts as numbers or text) against the plan it
 * must come from. Refused, by name, when a feature or bin is not the plan's (the query of another
 * model, or of this model's older version), when a monitored feature is absent, when counts are
 * not whole numbers, or when the features do not count the same rows.
 */
export function readSummary(plan: PushdownPlan, records: Record<string, unknown>[]): BatchSummary {
	if (records.length === 0)
		throw new DriftError(
			'The summary has no rows: the query counted an empty batch (does --where select any row?). There is nothing to compare.'
		);
	for (const column of ['feature', 'bin', 'n'])
		if (!(column in records[0]!))
			throw new DriftError(
				`The summary has no "${column}" column: it is not the result of a Driftwood pushdown query (${RERUN}).`
			);
	const planned = new Map(plannedFeatures(plan).map((f) => [f.name, allowedKeys(f)]));
	for (const [name, keys] of outcomeKeys(plan)) planned.set(name, keys);
	const features = new Map<string, Map<string, SummaryCell>>();
	for (const record of records) {
		const name = String(record.feature ?? '');
		const allowed = planned.get(name);
		if (!allowed)
			throw new DriftError(
				`The summary counts "${name}", which this model does not monitor: it was made by the query of another model (${RERUN}).`
			);
		const key = String(record.bin ?? '');
		if (!allowed.has(key))
			throw new DriftError(
				`The summary's bins of "${name}" are not this model's (bin "${key}"): it was made by the query of another model or version (${RERUN}).`
			);
		const n = count(record.n, name, key);
		let cells = features.get(name);
		if (!cells) features.set(name, (cells = new Map()));
		if (cells.has(key)) throw new DriftError(`The summary counts bin "${key}" of "${name}" twice.`);
		cells.set(key, {
			n,
			min: number(record.min_value),
			max: number(record.max_value),
			sum: number(record.sum_value),
			sumSquares: number(record.sum_squares),
			unseenValues: number(record.unseen_values) ?? 0
		});
	}
	const absent = [...plan.features.map((f) => f.name), ...outcomeKeys(plan).keys()]
		.filter((name) => !features.has(name))
		.map((name) => `"${name}"`);
	if (absent.length)
		throw new DriftError(
			`The summary does not count ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}, which this model monitors (${RERUN}).`
		);
	const totals = Array.from(features, ([name, cells]) => {
		let total = 0;
		for (const cell of cells.values()) total += cell.n;
		return { name, total };
	});
	const rows = totals[0]!.total;
	const odd = totals.find((t) => t.total !== rows);
	if (odd)
		throw new DriftError(
			`The summary's features count different rows ("${totals[0]!.name}" ${rows}, "${odd.name}" ${odd.total}): it is not the result of one query.`
		);
	if (rows === 0) throw new DriftError('The summary counts 0 rows: there is nothing to compare.');
	return { rows, features };
}

/** The bin keys a feature's summary may hold. */
function allowedKeys(feature: PushdownFeature): Set<string> {
	return new Set([...summaryKeys(feature), MISSING_KEY]);
}

/** The score's rows a summary holds, by name, with the bins each may have. */
function outcomeKeys(plan: PushdownPlan): Map<string, Set<string>> {
	const outcome = plan.outcome;
	if (!outcome) return new Map();
	if (outcome.kind === 'values')
		return new Map([
			[OUTCOME_FEATURE, new Set(['error', MISSING_KEY])],
			[TRUTH_FEATURE, new Set(['value', MISSING_KEY])]
		]);
	const codes = [...outcome.labels.map((_, i) => String(i)), 'unknown'];
	return new Map([
		[
			OUTCOME_FEATURE,
			new Set([MISSING_KEY, ...codes.flatMap((t) => codes.map((p) => `pair ${t} ${p}`))])
		]
	]);
}

/** A feature's counts in the bins the statistics use (`binKeys` order), summed from its cells. */
function binCounts(feature: PushdownFeature, cells: Map<string, SummaryCell>): number[] {
	const into = summaryBins(feature);
	const counts = new Array<number>(binKeys(feature.spec).length).fill(0);
	summaryKeys(feature).forEach((key, i) => (counts[into[i]!]! += cells.get(key)?.n ?? 0));
	return counts;
}

function count(value: unknown, feature: string, bin: string): number {
	const n = typeof value === 'bigint' ? Number(value) : Number(value);
	if (!Number.isInteger(n) || n < 0)
		throw new DriftError(
			`The summary's count of bin "${bin}" of "${feature}" is ${JSON.stringify(String(value))}, not a number of rows.`
		);
	return n;
}

function number(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const n = typeof value === 'bigint' ? Number(value) : Number(value);
	return Number.isFinite(n) ? n : null;
}

/**
 * A batch checked from its warehouse summary as `checkBatch` checks its rows: data drift on every
 * monitored feature (counts-based statistics exactly as from the rows; KS and Wasserstein bounded,
 * flagged only when the whole bound crosses), prediction drift when the plan names the
 * predictions' column, target drift when it names the target's, and the measured score when it
 * names both (`summaryScore`).
 */
export function summaryCheck(
	plan: PushdownPlan,
	recipe: Pick<FittedRecipe, 'steps'>,
	reference: Table,
	summary: BatchSummary,
	referenceRows: number,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	referencePredictions: Column | null = null,
	referenceTarget: Column | null = null,
	/** The model's test metrics at training: a score from the summary is compared with them. */
	test: MetricSet = {}
): BatchCheck {
	const withParts = withDateParts(reference, recipe);
	const byName = new Map(withParts.columns.map((c) => [c.name, c]));
	const features = plan.features.map((f) => {
		const drift = summaryFeature(f, byName.get(f.name)!, summary, thresholds, referenceRows);
		return f.calendar ? { ...drift, drifted: false, calendar: true as const } : drift;
	});
	const report = assembleReport(
		features,
		{ missingColumns: [], extraColumns: [], typeChanges: [] },
		thresholds,
		referenceRows,
		summary.rows
	);
	const predictionDrift =
		plan.prediction && referencePredictions && summary.features.has(plan.prediction.name)
			? summaryFeature(plan.prediction, referencePredictions, summary, thresholds, referenceRows)
			: null;
	const targetDrift =
		plan.target && referenceTarget && summary.features.has(plan.target.name)
			? summaryFeature(plan.target, referenceTarget, summary, thresholds, referenceRows)
			: null;
	let performance = plan.outcome ? summaryScore(plan.outcome, summary, test) : null;
	// A score on a handful of rows is chance: say so beside it, as from rows.
	if (performance && performance.rows < MIN_BATCH_ROWS)
		performance = {
			...performance,
			reliable: false,
			reasons: [
				`only ${performance.rows} row${performance.rows === 1 ? '' : 's'} (at least ${MIN_BATCH_ROWS} are needed)`
			]
		};
	return { report, predictionDrift, performance, ...(plan.target ? { targetDrift } : {}) };
}

/** One feature from its cells: the raw path's statistics on the same counts. */
function summaryFeature(
	feature: PushdownFeature,
	ref: Column,
	summary: BatchSummary,
	thresholds: DriftThresholds,
	referenceRows: number
): FeatureDrift {
	const cells = summary.features.get(feature.name)!;
	const rows = (key: string) => cells.get(key)?.n ?? 0;
	const total = summary.rows;
	const missing = rows(MISSING_KEY);
	const spec = feature.spec;
	if (spec.kind === 'categories') {
		const refCounts = ref.storage === 'coded' ? textCounts(ref) : { counts: new Map(), missing: 0 };
		const refN = ref.storage === 'coded' ? ref.codes.length : ref.values.length;
		const unseenRows = rows('unseen');
		const unseenCount = cells.get('unseen')?.unseenValues ?? 0;
		const base: FeatureBase = {
			name: feature.name,
			referenceMissing: refN ? refCounts.missing / refN : 0,
			currentMissing: missing / total,
			unseen: [],
			unseenShare: unseenRows / total,
			...(unseenRows ? { unseenCount } : {}),
			medians: null
		};
		const bins = nonEmptyBins(
			binLabels(spec, unseenCount),
			[...spec.categories.map((c) => refCounts.counts.get(c) ?? 0), 0],
			binCounts(feature, cells)
		);
		return countedCategories(feature.name, base, bins, thresholds, referenceRows);
	}
	if (ref.storage !== 'float')
		throw new DriftError(`"${feature.name}" is not numeric in the reference.`);
	const a = sortFloat64(presentValues(ref.values));
	const present = total - missing;
	const base: FeatureBase = {
		name: feature.name,
		referenceMissing: ref.values.length ? 1 - a.length / ref.values.length : 0,
		// The raw path's formula, so that the two paths give the same double.
		currentMissing: 1 - present / total,
		unseen: [],
		medians: null
	};
	if (a.length === 0 || present === 0) return emptySide(base, a.length === 0);
	const outside = rows('below') + rows('above');
	const bins = nonEmptyBins(binLabels(spec), numericCounts(spec, a), binCounts(feature, cells));
	const psiValue = psi(bins.reference, bins.current);
	const forced = chosenTest(thresholds, feature.name);
	const test = numericTest(forced, countDistinctSorted(a), referenceRows);
	const common = {
		...base,
		psi: psiValue,
		psiBand: band(psiValue),
		outOfRange: outside / present,
		bins
	};
	if (test !== 'ks' && test !== 'wasserstein') {
		const r = categoricalTest(bins.reference, bins.current, referenceRows, thresholds, forced);
		return { ...common, ...r, score: scoreOf(r.test, r.statistic, r.pValue) };
	}
	const { blocks, mean } = blocksOf(cells);
	const bounds = orderBounds(a, blocks, mean);
	const pOf = (d: number) => ksPValue(d, a.length, present).pValue;
	// The largest p (the least D) decides: a feature is flagged only when its whole bound is past.
	const pBound: [number, number] = [pOf(bounds.ks.upper), pOf(bounds.ks.lower)];
	if (test === 'ks') {
		const pValue = pBound[1];
		return {
			...common,
			test,
			statistic: bounds.ks.lower,
			pValue,
			drifted: pValue < thresholds.pValue,
			score: scoreOf(test, bounds.ks.lower, pValue),
			bound: { statistic: [bounds.ks.lower, bounds.ks.upper], pValue: pBound }
		};
	}
	const std = Math.max(stdOf(a, 0), STD_FLOOR);
	const statistic: [number, number] = [
		bounds.wasserstein.lower / std,
		bounds.wasserstein.upper / std
	];
	let drifted = statistic[0] >= thresholds.distance;
	let pValue: number | null = null;
	let pSource: FeatureDrift['pSource'];
	if (sized(thresholds) && drifted) {
		pValue = pBound[1];
		pSource = 'ks';
		drifted = pValue < thresholds.pValue;
	}
	return {
		...common,
		test,
		statistic: statistic[0],
		pValue,
		...(pSource ? { pSource } : {}),
		drifted,
		score: scoreOf(test, statistic[0], pValue),
		bound: { statistic, pValue: pValue === null ? null : pBound }
	};
}

/** The batch's values as blocks (each bin's rows between its min and max) and their mean. */
function blocksOf(cells: Map<string, SummaryCell>): { blocks: Block[]; mean: number | null } {
	const blocks: Block[] = [];
	let sum = 0;
	let rows = 0;
	let sums = true;
	for (const [key, cell] of cells) {
		if (key === MISSING_KEY || cell.n === 0) continue;
		if (cell.min === null || cell.max === null)
			throw new DriftError(
				`The summary's bin "${key}" counts ${cell.n} rows but has no min_value or max_value.`
			);
		blocks.push({
			n: cell.n,
			lo: cell.min,
			hi: cell.max,
			...(cell.sum !== null ? { sum: cell.sum } : {})
		});
		rows += cell.n;
		if (cell.sum === null) sums = false;
		else sum += cell.sum;
	}
	return { blocks, mean: sums && rows ? sum / rows : null };
}
