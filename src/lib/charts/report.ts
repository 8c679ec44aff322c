import type { BatchCheckInput } from '../core/drift/json';
import type { ReportFigure } from '../core/report/html';
import { overlayText } from './describe';
import { overlayChart } from './monitor';

/** Features a report draws at most per batch (drifted first): the report stays small. */
const MAX_FIGURES = 40;

/**
 * A batch's charts for a report: the predictions' distribution, then each feature's (drifted
 * ones first), as SVG markup with its description. `document`: where to draw outside a page.
 */
export function batchFigures(check: BatchCheckInput, document?: Document): ReportFigure[] {
	const features = [...check.report.features].sort((a, b) => Number(b.drifted) - Number(a.drifted));
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
