import { featurePValueText, featureStatisticText, shareText, statisticText } from '../drift/format';
import { alertText, batchAlerts } from '../drift/alerts';
import type { BatchCheckInput } from '../drift/json';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from '../drift/thresholds';
import { PERFORMANCE_DROP } from '../drift/rules';
import type { BatchPerformance, FeatureDrift } from '../drift/types';
import { batchVerdict, type BatchVerdict } from '../drift/verdict';
import {
	escapeHtml,
	figureHtml,
	paragraphHtml,
	reportDocument,
	sectionHtml,
	tableHtml,
	type ReportFigure
} from './html';
import { markdownToHtml } from './markdown';

/** One checked batch as a report shows it, with the charts the caller drew for it. */
export interface ReportBatch {
	name: string;
	check: BatchCheckInput;
	/** Overlaid distributions: the prediction's first, then the drifted features' (any order). */
	figures: ReportFigure[];
}

/**
 * What a report is made of: the model's card (Markdown, as the bundle carries it), and batches
 * (a monitor's, or files checked by the CLI) or the charts of the run's evaluation.
 */
export interface ModelReportInput {
	/** "iris-classifier v3". */
	model: string;
	card: string;
	/** Absent: the report is not about batches (a run's); empty: it says none was given. */
	batches?: ReportBatch[];
	/**
	 * The run's evaluation on its test rows: its metrics beside the baseline, the candidates an
	 * automatic choice weighed (the rule that chose, and a row per candidate), and its charts.
	 */
	evaluation?: {
		metrics: EvaluationMetrics;
		candidates?: { rule: string; header: string[]; rows: string[][] } | null;
		figures: ReportFigure[];
	};
	/** Over the batches (the studio's monitor timeline), when the caller drew one. */
	timeline?: ReportFigure | null;
	thresholds?: DriftThresholds;
	performanceDrop?: number;
	generatedAt?: Date;
	/** What the report says when it holds no batch (default: how to add some with the CLI). */
	noBatches?: string;
}

/**
 * A model's report as one HTML file: each batch's verdict, alerts, features and score with its
 * band and baseline — judged by the same rules as the monitor and `driftwood drift` — then the
 * model card. Only summaries: no data row is in it, so its size does not grow with the batches'
 * rows.
 */
export function modelReport(input: ModelReportInput): string {
	const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
	const drop = input.performanceDrop ?? PERFORMANCE_DROP;
	const sections: string[] = [];
	const batches = input.batches;
	if (input.evaluation)
		sections.push(
			sectionHtml(
				'Evaluation on the test rows',
				[
					metricsTable(input.evaluation.metrics),
					...(input.evaluation.candidates
						? [
								'<h3>Candidates</h3>',
								paragraphHtml(input.evaluation.candidates.rule),
								tableHtml(input.evaluation.candidates.header, input.evaluation.candidates.rows)
							]
						: []),
					...input.evaluation.figures.map((f, i) => figureHtml(f, `figure-evaluation-${i + 1}`))
				].join('\n'),
				'evaluation'
			)
		);
	if (batches?.length) {
		const verdicts = batches.map((b) => batchVerdict(b.check, thresholds, drop));
		const rows = batches.map((b, i) => {
			const p = b.check.performance;
			return [
				b.name,
				b.check.report.currentRows.toLocaleString('en-US'),
				shareText(b.check.report.driftShare),
				p ? `${p.metric} ${statisticText(p.value)}${p.estimated ? ' (estimated)' : ''}` : '—',
				p ? statisticText(p.reference) : '—',
				verdictLine(verdicts[i]!)
			];
		});
		sections.push(
			sectionHtml(
				batches.length === 1 ? 'Batch' : `Batches (${batches.length})`,
				[
					tableHtml(
						['batch', 'rows', 'features drifted', 'score', 'test score at training', 'verdict'],
						rows
					),
					input.timeline ? figureHtml(input.timeline, 'figure-timeline') : ''
				].join('\n'),
				'batches'
			)
		);
		batches.forEach((b, i) =>
			sections.push(batchSection(b, i + 1, verdicts[i]!, thresholds, drop))
		);
	} else if (batches)
		sections.push(
			sectionHtml(
				'Batches',
				paragraphHtml(
					input.noBatches ??
						'No batch is in this report: it holds the model card only. Add batch files (driftwood report --bundle model.zip batch.csv …) or upload batches to a monitor to report on them.'
				),
				'batches'
			)
		);
	sections.push(`<section id="card">\n${markdownToHtml(input.card)}\n</section>`);
	return reportDocument({
		title: `Report — ${input.model}`,
		subtitle: batches?.length
			? `${batches.length} batch${batches.length === 1 ? '' : 'es'} checked against the training data, and the model card`
			: input.evaluation
				? 'The run’s evaluation on its test rows, and the card its model would carry'
				: 'The model card',
		generatedAt: input.generatedAt ?? new Date(),
		sections
	});
}

/** A run's metrics by name: on the validation rows, the test rows, and the baseline's on the test rows. */
export interface EvaluationMetrics {
	validation: Partial<Record<string, number | null>>;
	test: Partial<Record<string, number | null>>;
	baseline: Partial<Record<string, number | null>>;
}

function metricsTable(metrics: EvaluationMetrics): string {
	return tableHtml(
		['metric', 'validation', 'test', 'baseline (test)'],
		Object.keys(metrics.test).map((k) => [
			k,
			statisticText(metrics.validation[k] ?? null),
			statisticText(metrics.test[k] ?? null),
			statisticText(metrics.baseline[k] ?? null)
		])
	);
}

/** A verdict as one line: its level, then its headline ("FAIL: Dataset drift: …"). */
function verdictLine(verdict: BatchVerdict): string {
	return `${verdict.level === 'ok' ? 'OK' : verdict.level.toUpperCase()}: ${verdict.headline}`;
}

function batchSection(
	batch: ReportBatch,
	index: number,
	verdict: BatchVerdict,
	thresholds: DriftThresholds,
	drop: number
): string {
	const { check } = batch;
	const { report } = check;
	const alerts = batchAlerts(check, thresholds, drop).map(alertText);
	const level = verdict.level === 'fail' ? 'alert' : verdict.level === 'warn' ? 'warn' : '';
	const parts = [
		`<p class="verdict${level ? ` ${level}` : ''}">${escapeHtml(verdictLine(verdict))}</p>`,
		paragraphHtml(
			`${shareText(report.driftShare)} of the features drifted; reference ${report.referenceRows.toLocaleString('en-US')} rows, batch ${report.currentRows.toLocaleString('en-US')} rows.`
		)
	];
	if (alerts.length)
		parts.push(
			'<h3>Alerts</h3>',
			`<ul>${alerts.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`
		);
	const schema = report.schema;
	const schemaRows = [
		...schema.missingColumns.map((c) => [c, 'missing from the batch']),
		...(schema.unreadableColumns ?? []).map((c) => [
			c,
			'no value could be read as the model’s type'
		]),
		...schema.typeChanges.map((t) => [t.name, `type ${t.reference} → ${t.current}`]),
		...schema.extraColumns.map((c) => [c, 'not an input of the model (ignored)'])
	];
	if (schemaRows.length) parts.push('<h3>Schema</h3>', tableHtml(['column', 'change'], schemaRows));
	const p = check.performance;
	if (p) {
		const band =
			p.lower !== null && p.upper !== null
				? `${statisticText(p.lower)} – ${statisticText(p.upper)}`
				: '—';
		parts.push(
			'<h3>Performance</h3>',
			tableHtml(
				[
					'metric',
					p.estimated ? 'estimated (CBPE, no labels)' : 'measured',
					'95 % band',
					'baseline',
					'test score at training',
					'rows'
				],
				[
					[
						p.metric,
						statisticText(p.value),
						band,
						baselineOf(p),
						statisticText(p.reference),
						p.rows.toLocaleString('en-US')
					]
				]
			)
		);
		if (p.estimated && p.reliable === false)
			parts.push(
				paragraphHtml(
					`The estimate is unreliable: ${(p.reasons ?? ['the batch leaves the training data’s support']).join('; ')}.`
				)
			);
		if (p.coverage)
			parts.push(
				paragraphHtml(
					`Conformal bounds at ${shareText(p.coverage.level)} covered ${shareText(p.coverage.coverage)} of ${p.coverage.rows.toLocaleString('en-US')} labelled rows (95 % interval ${shareText(p.coverage.lower)} – ${shareText(p.coverage.upper)}).`
				)
			);
	}
	if (check.predictionDrift)
		parts.push(
			paragraphHtml(
				`Predictions: ${check.predictionDrift.drifted ? 'drifted' : 'stable'} (${check.predictionDrift.test}, statistic ${featureStatisticText(check.predictionDrift)}, PSI ${statisticText(check.predictionDrift.psi)}).`
			)
		);
	if (check.targetDrift)
		parts.push(
			paragraphHtml(
				`Target: ${check.targetDrift.drifted ? 'drifted' : 'stable'} (${check.targetDrift.test}, statistic ${featureStatisticText(check.targetDrift)}, PSI ${statisticText(check.targetDrift.psi)}): the answers themselves, against the training rows'.`
			)
		);
	parts.push(
		'<h3>Features</h3>',
		tableHtml(
			[
				'feature',
				'test',
				'statistic',
				'p-value',
				'PSI',
				'missing (reference → batch)',
				'out of range / unseen',
				'drifted'
			],
			report.features.map(featureRow)
		)
	);
	if (report.features.some((f) => f.bound)) parts.push(paragraphHtml(SUMMARY_NOTE));
	if (batch.figures.length)
		parts.push(
			'<h3>Distributions</h3>',
			...batch.figures.map((f, i) => figureHtml(f, `figure-${index}-${i + 1}`))
		);
	return sectionHtml(`Batch ${index}: ${batch.name}`, parts.join('\n'), `batch-${index}`);
}

/** Under a batch checked from a warehouse summary: what its ranges mean. */
export const SUMMARY_NOTE =
	'Checked from a warehouse summary (counts per reference bin, not rows): a statistic shown as a range (KS, Wasserstein) is known to lie in it, and a feature is flagged only when the whole range is past the threshold.';

function featureRow(f: FeatureDrift): string[] {
	return [
		f.name,
		f.test,
		featureStatisticText(f),
		featurePValueText(f),
		statisticText(f.psi),
		`${shareText(f.referenceMissing)} → ${shareText(f.currentMissing)}`,
		f.outOfRange !== null
			? `${shareText(f.outOfRange)} out of range`
			: f.unseen.length || f.unseenCount
				? `${f.unseenCount ?? f.unseen.length} unseen${f.unseenShare !== undefined ? ` (${shareText(f.unseenShare)} of rows)` : ''}`
				: '—',
		f.calendar ? 'calendar (not counted)' : f.drifted ? 'yes' : 'no'
	];
}

/** A measured score's baseline on the same rows (a constant answer), when the batch has one. */
function baselineOf(p: BatchPerformance): string {
	const value = (p.baseline as Record<string, number | null | undefined> | undefined)?.[p.metric];
	return value === null || value === undefined ? '—' : statisticText(value);
}
