import type { Coverage } from '../core/conformal/coverage';
import { percentText } from '../core/conformal/words';
import type { FeatureDrift } from '../core/drift/types';
import type { EpochLog } from '../core/model/family';
import type { Curves, RobustnessPoint } from '../core/model/results';
import type { ColumnProfile, CorrelationMatrix } from '../core/profile/types';
import type { MonitorBatchRecord } from '../storage/types';

/**
 * The text alternative of each chart: its title and the numbers it shows, for a screen reader
 * (the figure is one image) and for anyone who wants the values rather than the picture.
 */

const n4 = (v: number | null | undefined) =>
	v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4);
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function confusionText(title: string, confusion: number[], labels: string[]): string {
	const k = labels.length;
	return `${title}: ${labels
		.map(
			(actual, i) =>
				`actual ${actual}: ${labels.map((p, j) => `${confusion[i * k + j]} predicted ${p}`).join(', ')}`
		)
		.join('; ')}`;
}

export function rocText(roc: NonNullable<Curves['roc']>, auc: number | null | undefined): string {
	// The true positive rate at a few false positive rates, read off the step curve.
	const at = (fpr: number) => {
		let tpr = 0;
		for (let i = 0; i < roc.fpr.length; i++) if (roc.fpr[i]! <= fpr) tpr = roc.tpr[i]!;
		return tpr;
	};
	return `ROC curve, area ${n4(auc)}: true positive rate ${[0.05, 0.1, 0.25]
		.map((f) => `${at(f).toFixed(2)} at ${f} false positives`)
		.join(', ')}`;
}

export function prText(pr: NonNullable<Curves['pr']>, ap: number | null | undefined): string {
	// The best precision reached at a few recalls.
	const at = (recall: number) => {
		let best = 0;
		for (let i = 0; i < pr.recall.length; i++)
			if (pr.recall[i]! >= recall) best = Math.max(best, pr.precision[i]!);
		return best;
	};
	return `Precision-recall curve, average precision ${n4(ap)}: precision ${[0.5, 0.8, 0.95]
		.map((r) => `${at(r).toFixed(2)} at recall ${r}`)
		.join(', ')}`;
}

export function calibrationText(
	bins: NonNullable<Curves['calibration']>,
	ece: number | null | undefined
): string {
	return `Calibration curve, expected calibration error ${n4(ece)}: ${bins
		.map(
			(b) =>
				`predicted ${b.confidence.toFixed(2)}, observed ${b.observed.toFixed(2)} (${b.count} rows)`
		)
		.join('; ')}`;
}

export function residualText(residuals: NonNullable<Curves['residuals']>): string {
	const sorted = residuals.map((r) => r.residual).sort((a, b) => a - b);
	const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
	return `Residual plot of ${residuals.length} test rows: residuals (actual − predicted) from ${q(0).toPrecision(3)} to ${q(0.9999).toPrecision(3)}, middle half ${q(0.25).toPrecision(3)} to ${q(0.75).toPrecision(3)}`;
}

export function robustnessText(points: RobustnessPoint[], clean: number, metric: string): string {
	const kind = (k: RobustnessPoint['kind'], words: string) =>
		points
			.filter((p) => p.kind === k)
			.map((p) => `${p.value.toFixed(3)} at ${p.level} ${words}`)
			.join(', ');
	return `Robustness degradation curve: test ${metric} ${clean.toFixed(3)} clean; with noise ${kind('noise', '× std')}; with missing cells ${kind('missing', 'share')}`;
}

export function lossText(history: EpochLog[], step: string): string {
	const last = history[history.length - 1];
	if (!last) return `Loss per ${step}: no ${step} yet`;
	const best = history.reduce(
		(b, h) => ((h.valLoss ?? h.loss) < (b.valLoss ?? b.loss) ? h : b),
		history[0]!
	);
	return `Loss per ${step}: ${history.length} ${step}s, training loss ${n4(history[0]!.loss)} → ${n4(last.loss)}${last.valLoss !== null ? `, validation ${n4(history[0]!.valLoss)} → ${n4(last.valLoss)}, lowest ${n4(best.valLoss)} at ${step} ${best.epoch}` : ''}`;
}

export function correlationText(matrix: CorrelationMatrix): string {
	const pairs: { a: string; b: string; r: number }[] = [];
	matrix.names.forEach((a, i) =>
		matrix.names.forEach((b, j) => {
			const r = matrix.values[i]![j];
			if (j > i && r !== null && r !== undefined && Number.isFinite(r)) pairs.push({ a, b, r });
		})
	);
	pairs.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
	return `Correlation matrix of ${matrix.names.length} numeric columns; strongest pairs: ${pairs
		.slice(0, 5)
		.map((p) => `${p.a} and ${p.b} r ${p.r.toFixed(2)}`)
		.join('; ')}`;
}

export function histogramText(column: ColumnProfile, format: (v: number) => string): string {
	const h = column.histogram;
	if (!h) return `Distribution of ${column.name}`;
	if (h.kind === 'values')
		return `Distribution of ${column.name}: ${h.values.map((v, i) => `${v}: ${h.counts[i]} rows`).join(', ')}`;
	let top = 0;
	h.counts.forEach((c, i) => {
		if (c > h.counts[top]!) top = i;
	});
	return `Distribution of ${column.name} in ${h.counts.length} bins from ${format(h.edges[0]!)} to ${format(h.edges[h.edges.length - 1]!)}; most rows (${h.counts[top]}) from ${format(h.edges[top]!)} to ${format(h.edges[top + 1]!)}`;
}

export function categoriesText(column: ColumnProfile): string {
	return `Most frequent values of ${column.name}: ${column.top
		.slice(0, 8)
		.map((t) => `${t.value === '' ? '(empty)' : t.value} ${t.count} rows`)
		.join(', ')}`;
}

export function overlayText(title: string, feature: FeatureDrift): string {
	const sum = (v: number[]) => v.reduce((a, b) => a + b, 0) || 1;
	const [ref, cur] = [sum(feature.bins.reference), sum(feature.bins.current)];
	return `${title}, PSI ${feature.psi.toFixed(3)}: ${feature.bins.labels
		.map(
			(l, i) =>
				`${l} reference ${pct(feature.bins.reference[i]! / ref)}, batch ${pct(feature.bins.current[i]! / cur)}`
		)
		.join('; ')}`;
}

export function featureDriftText(batches: MonitorBatchRecord[]): string {
	return `Drift per feature over batches: ${batches
		.map((b, i) => {
			const drifted = b.report.features.filter((f) => f.drifted).map((f) => f.name);
			return `batch ${i + 1} ${drifted.length ? `drifted ${drifted.join(', ')}` : 'no feature drifted'}`;
		})
		.join('; ')}`;
}

export function importanceText(
	importance: { column: string; drop: number; std?: number }[]
): string {
	return `Permutation importance: ${importance
		.map(
			(d) =>
				`${d.column} ${d.drop.toFixed(4)}${d.std !== undefined ? ` ± ${d.std.toFixed(4)}` : ''}`
		)
		.join('; ')}`;
}

export function associationText(columns: ColumnProfile[], target: string): string {
	return `Association of each feature with ${target}: ${columns
		.filter((c) => c.association)
		.map((c) => `${c.name} ${c.association!.value.toFixed(2)}`)
		.join('; ')}`;
}

export function timelineText(batches: MonitorBatchRecord[]): string {
	return `Drift and performance over batches: ${batches
		.map(
			(b, i) =>
				`batch ${i + 1}, ${Math.round(b.report.driftShare * 100)} % of features drifted${b.performance ? `, ${b.performance.estimated ? 'estimated' : 'measured'} ${b.performance.metric} ${b.performance.value.toFixed(3)}` : ''}`
		)
		.join('; ')}`;
}

/** A backtest's decay curve in words, for screen readers. */
export function decayText(
	decay: { age: number; mean: number; std: number; baseline: number }[],
	metric: string
): string {
	return `Decay curve: ${metric} by the model's age in periods: ${decay
		.map(
			(d) =>
				`age ${d.age}: ${d.mean.toFixed(3)} ± ${d.std.toFixed(3)} (baseline ${d.baseline.toFixed(3)})`
		)
		.join('; ')}`;
}

/** Retraining policies in words, for screen readers. */
export function policyText(
	policies: { name: string; mean: number; worst: number; retrains: number }[],
	recommended: string,
	metric: string
): string {
	return `Retraining policies, ${metric} per period: ${policies
		.map(
			(p) =>
				`${p.name} mean ${p.mean.toFixed(3)}, worst ${p.worst.toFixed(3)}, ${p.retrains} retrains`
		)
		.join('; ')}; recommended: ${recommended}`;
}

/** Conformal bounds' test coverage by level, in words. */
export function coverageLevelsText(levels: Coverage[]): string {
	return `Test coverage by level: ${levels
		.map((c) => `${percentText(c.level)} asked, ${percentText(c.coverage)} covered`)
		.join('; ')}.`;
}
