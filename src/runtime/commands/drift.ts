import type { BatchCheckInput } from '../../lib/core/drift/json';
import { checkBatch, type BatchCheck } from '../../lib/core/drift/monitor';
import { driftReport } from '../../lib/core/drift/report';
import type { DriftReport } from '../../lib/core/drift/types';
import { modelMissingPolicy } from '../../lib/core/bundle/enforce';
import { withBundleModel } from './bundle-model';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { alertText, batchAlerts } from '../../lib/core/drift/alerts';
import { batchVerdict } from '../../lib/core/drift/verdict';
import { textTable } from './profile';
import { SUMMARY_NOTE } from '../../lib/core/report/model-report';
import {
	featurePValueText,
	featureStatisticText,
	statisticText
} from '../../lib/core/drift/format';

/** `driftwood drift <reference> <current>`: the drift report of a batch against a reference file. */
export async function driftFiles(
	referencePath: string,
	currentPath: string,
	options: ReadFileOptions
): Promise<DriftReport> {
	const [reference, current] = await Promise.all([
		readFileTable(referencePath, options),
		readFileTable(currentPath, options)
	]);
	// Identifiers and free text change with every batch: they are not features to watch.
	const features = reference.table.columns
		.filter((c) => c.type !== 'id' && c.type !== 'text')
		.map((c) => c.name);
	return driftReport(reference.table, current.table, features);
}

/** `driftwood drift --bundle <zip> <current>`: a batch against the training rows in a bundle. */
export async function driftBundle(
	bundlePath: string,
	currentPath: string,
	options: ReadFileOptions
): Promise<BatchCheck> {
	return withBundleModel(bundlePath, async (loaded) => {
		const missing = options.missing ?? modelMissingPolicy(loaded.manifest);
		const { table } = await readFileTable(currentPath, { ...options, missing });
		return checkBatch(loaded, table);
	});
}

/** A checked batch as the CLI prints it: the verdict, the features, the model parts, the alerts. */
export function driftText(check: BatchCheckInput): string {
	const { report } = check;
	const alerts = batchAlerts(check).map(alertText);
	const verdict = batchVerdict(check);
	const headline =
		verdict.level === 'ok'
			? verdict.headline
			: `${verdict.level.toUpperCase()}: ${verdict.headline}`;
	const lines = [
		headline,
		`${(report.driftShare * 100).toFixed(1)} % of the features drifted; reference ${report.referenceRows} rows, batch ${report.currentRows} rows`,
		'',
		...textTable(
			['feature', 'test', 'statistic', 'p-value', 'psi', 'drifted'],
			report.features.map((f) => [
				f.name,
				f.test,
				featureStatisticText(f),
				featurePValueText(f),
				statisticText(f.psi),
				f.calendar ? 'calendar' : f.drifted ? 'yes' : 'no'
			]),
			2
		),
		''
	];
	if (report.features.some((f) => f.bound)) lines.push(SUMMARY_NOTE, '');
	{
		const p = check.performance;
		if (check.predictionDrift)
			lines.push(
				`Predictions: ${check.predictionDrift.drifted ? 'drifted' : 'stable'} (${check.predictionDrift.test}, PSI ${statisticText(check.predictionDrift.psi)})`
			);
		if (p)
			lines.push(
				`${p.estimated ? 'Estimated (CBPE, no labels)' : 'Measured'} ${p.metric}: ${p.value.toFixed(4)}${p.lower !== null && p.upper !== null ? ` (95 % band ${p.lower.toFixed(4)}–${p.upper.toFixed(4)})` : ''}; test score at training ${p.reference.toFixed(4)}${p.estimated && p.reliable === false ? ' — UNRELIABLE: the batch leaves the training data’s support' : ''}`
			);
		if (check.targetDrift)
			lines.push(
				`Target: ${check.targetDrift.drifted ? 'drifted' : 'stable'} (${check.targetDrift.test}, ${featureStatisticText(check.targetDrift)}, PSI ${statisticText(check.targetDrift.psi)})`
			);
		if (check.predictionDrift || p || check.targetDrift) lines.push('');
	}
	if (alerts.length) lines.push('Alerts:', ...alerts.map((a) => `  - ${a}`), '');
	return lines.join('\n');
}
