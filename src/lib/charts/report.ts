import type { BatchCheckInput } from '../core/drift/json';
import type { DriftThresholds } from '../core/drift/thresholds';
import type { ReportFigure } from '../core/report/html';
import { modelReport } from '../core/report/model-report';
import type { ModelVersionRecord, MonitorBatchRecord } from '../storage/types';
import type { RunRecord } from '../storage/types';
import type { ExperimentSummary } from '../core/model/types';
import { candidateCells, choiceWords } from '../core/model/run-words';
import { coverageChart } from './conformal';
import {
	calibrationText,
	confusionText,
	coverageLevelsText,
	overlayText,
	prText,
	residualText,
	rocText,
	timelineText
} from './describe';
import { overlayChart, timelineChart } from './monitor';
import { calibrationChart, confusionChart, prChart, residualChart, rocChart } from './run';

/** Features a report draws at most per batch (drifted first): the report stays small. */
const MAX_FIGURES = 40;

/**
 * A batch's charts for a report: the predictions' distribution, then each feature's (drifted
 * ones first; only those with `driftedOnly`), as SVG markup with its description. `document`:
 * where to draw outside a page.
 */
export function batchFigures(
	check: BatchCheckInput,
	document?: Document,
	driftedOnly = false
): ReportFigure[] {
	const features = [...check.report.features]
		.filter((f) => f.drifted || !driftedOnly)
		.sort((a, b) => Number(b.drifted) - Number(a.drifted));
	const figures: ReportFigure[] = [];
	if (check.predictionDrift)
		figures.push({
			svg: overlayChart(check.predictionDrift, 620, document).outerHTML,
			description: overlayText(
				'Distribution of the predictions in the reference and the batch',
				check.predictionDrift
			)
		});
	for (const feature of features.slice(0, MAX_FIGURES))
		figures.push({
			svg: overlayChart(feature, 620, document).outerHTML,
			description: overlayText(
				`Distribution of ${feature.name} in the reference and the batch${feature.drifted ? ' (drifted)' : ''}`,
				feature
			)
		});
	return figures;
}

/**
 * A monitor's report: the model version's card, the timeline over its batches and each batch
 * judged with the monitor's thresholds and drop rule (as the page shows them), charts drawn in —
 * every feature's for the newest batch, the drifted ones' for the others (so a long monitor's
 * report stays small).
 */
export function monitorReport(
	version: Pick<ModelVersionRecord, 'name' | 'version' | 'card'>,
	batches: MonitorBatchRecord[],
	thresholds: DriftThresholds,
	performanceDrop: number
): string {
	return modelReport({
		model: `${version.name} v${version.version}`,
		card: version.card,
		batches: batches.map((b, i) => ({
			name: b.fileName,
			check: b,
			figures: batchFigures(b, undefined, i < batches.length - 1)
		})),
		timeline: batches.length
			? {
					svg: timelineChart(batches, thresholds.datasetShare, performanceDrop, 760).outerHTML,
					description: timelineText(batches)
				}
			: null,
		thresholds,
		performanceDrop
	});
}

/** A model version's report without batches: its card, to share before it is monitored. */
export function versionReport(
	version: Pick<ModelVersionRecord, 'name' | 'version' | 'card'>
): string {
	return modelReport({
		model: `${version.name} v${version.version}`,
		card: version.card,
		batches: [],
		noBatches:
			'No batch is in this report: it holds the model card. The monitor’s Download report adds every batch uploaded there, judged and charted.'
	});
}

/**
 * A finished run's report: its evaluation on the test rows charted as the run page charts it
 * (confusion matrix, ROC and precision–recall, calibration, residuals, the bounds' coverage by
 * level), then the card its model would carry (`card`: the workflow's, before registering).
 */
export function runReport(
	run: Pick<RunRecord, 'name' | 'result' | 'config'>,
	card: string
): string {
	const result = run.result;
	const figures: ReportFigure[] = [];
	if (result) {
		const { curves } = result;
		const add = (chart: Element, description: string) =>
			figures.push({ svg: chart.outerHTML, description });
		if (curves.confusion)
			add(
				confusionChart(curves.confusion, result.labels),
				confusionText('Confusion matrix of the test rows', curves.confusion, result.labels)
			);
		if (curves.roc) add(rocChart(curves.roc), rocText(curves.roc, result.test.roc_auc));
		if (curves.pr) add(prChart(curves.pr), prText(curves.pr, result.test.pr_auc));
		if (curves.calibration)
			add(
				calibrationChart(curves.calibration),
				calibrationText(curves.calibration, result.test.ece)
			);
		if (curves.residuals) add(residualChart(curves.residuals), residualText(curves.residuals));
		const levels = result.conformal?.byLevel;
		if (levels?.length) add(coverageChart(levels), coverageLevelsText(levels));
	}
	return modelReport({
		model: `run ${run.name}`,
		card,
		evaluation: result
			? {
					metrics: { validation: result.validation, test: result.test, baseline: result.baseline },
					candidates: candidatesOf(result, run.config.split.kind),
					figures
				}
			: undefined
	});
}

/** An automatic choice's leaderboard as the run page shows it, or null for a single model. */
function candidatesOf(
	result: ExperimentSummary,
	splitKind: 'random' | 'stratified' | 'time'
): { rule: string; header: string[]; rows: string[][] } | null {
	if (result.candidates.length < 2) return null;
	const choice = choiceWords(result, splitKind);
	const score = result.primaryMetric === 'r2' ? 'R²' : 'accuracy';
	return {
		rule: choice.rule,
		header: [
			'model',
			choice.folds ? `${score} (${choice.folds.k}-fold mean ± sd)` : `${score} (validation)`,
			'loss',
			'fit'
		],
		rows: result.candidates.map((c) => {
			const cells = candidateCells(c);
			return [
				cells.model,
				cells.spread ? `${cells.score} ${cells.spread}` : cells.score,
				cells.loss,
				cells.fit
			];
		})
	};
}
