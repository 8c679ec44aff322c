import { describe, expect, it } from 'vitest';
import type { DriftReport, FeatureDrift } from './types';
import type { BatchPerformance } from './types';
import { batchVerdict } from './verdict';
import { performanceDropped, supportReasons } from './rules';
import { alertText, batchAlerts } from './alerts';
import { DEFAULT_THRESHOLDS } from './thresholds';

function feature(name: string, change: Partial<FeatureDrift> = {}): FeatureDrift {
	return {
		name,
		test: 'ks',
		statistic: 0.01,
		pValue: 0.9,
		psi: 0.01,
		psiBand: 'stable',
		drifted: false,
		score: 0.1,
		referenceMissing: 0,
		currentMissing: 0,
		outOfRange: 0,
		unseen: [],
		bins: { labels: [], reference: [], current: [] },
		...change
	};
}

function report(features: FeatureDrift[], missingColumns: string[] = []): DriftReport {
	const drifted = features.filter((f) => f.drifted).length;
	return {
		features,
		schema: { missingColumns, extraColumns: [], typeChanges: [] },
		datasetDrift: drifted / features.length >= 0.5,
		driftShare: drifted / features.length,
		referenceRows: 500,
		currentRows: 100
	};
}

const estimate = (change: Partial<BatchPerformance> = {}): BatchPerformance => ({
	metric: 'accuracy',
	value: 0.8,
	reference: 0.82,
	rows: 100,
	droppedUnknown: 0,
	metrics: { accuracy: 0.8 },
	estimated: true,
	lower: 0.75,
	upper: 0.85,
	...change
});

describe('batchVerdict', () => {
	it('is green only when nothing is found', () => {
		const v = batchVerdict({ report: report([feature('a'), feature('b')]) });
		expect(v).toEqual({
			level: 'ok',
			headline: 'No dataset drift: 0 of 2 features drifted',
			findings: [],
			failsGate: false
		});
	});

	it('fails on a missing column even when no feature drifted', () => {
		const v = batchVerdict({ report: report([feature('a')], ['b']), predictionDrift: null });
		expect(v.level).toBe('fail');
		expect(v.failsGate).toBe(true);
		expect(v.headline).toBe('Schema failure: predictions skipped — the batch lacks "b"');
	});

	it('warns on every other alert: prediction drift, out of range, unseen categories', () => {
		const v = batchVerdict({
			report: report([feature('a', { outOfRange: 0.4 }), feature('b', { unseen: ['z'] })]),
			predictionDrift: { drifted: true, test: 'chi_square' as const, psi: 0.4 },
			performance: estimate({ value: 0.78, lower: 0.74, upper: 0.82, reliable: true })
		});
		expect(v.level).toBe('warn');
		expect(v.failsGate).toBe(false);
		expect(v.findings).toEqual(['prediction drift', 'values out of range', 'unseen categories']);
		expect(v.headline).toMatch(
			/^No dataset drift \(0 of 2 features drifted\), but prediction drift/
		);
	});

	it('has exactly one alert per finding, so the list and the headline agree', () => {
		const check = {
			report: report([feature('a', { outOfRange: 0.4 }), feature('b', { unseen: ['z'] })]),
			predictionDrift: { drifted: true, test: 'chi_square' as const, psi: 0.4 },
			performance: estimate({ value: 0.6, lower: 0.55, upper: 0.65, reliable: true })
		};
		expect(batchAlerts(check).map((a) => a.kind)).toEqual([
			'out-of-range',
			'unseen-categories',
			'prediction-drift',
			'performance-drop'
		]);
		expect(batchAlerts(check).map(alertText)).toEqual([
			'40.0 % of "a" lies outside the range seen in training.',
			'"b" has categories never seen in training: "z".',
			"The model's predictions drifted (chi_square, PSI 0.400).",
			'Estimated accuracy fell to 0.600 (test score at training: 0.820).'
		]);
		// A two-file report has no predictions to skip; a model check with missing columns does.
		const missing = { report: report([feature('a')], ['b']) };
		expect(batchAlerts(missing).map(alertText)).toEqual(['Missing columns: b.']);
		expect(batchAlerts({ ...missing, predictionDrift: null }).map(alertText)).toEqual([
			'Schema failure: predictions skipped. The batch lacks "b", which the model needs.'
		]);
	});

	it('counts a drop by the monitor policy, the same rule as the alert and the suggestion', () => {
		const measured = estimate({ estimated: false, value: 0.7, lower: null, upper: null });
		const input = { report: report([feature('a')]), performance: measured };
		expect(batchVerdict(input).findings).toEqual(['performance drop']);
		expect(batchVerdict(input, DEFAULT_THRESHOLDS, 0.2).findings).toEqual([]);
		expect(performanceDropped(measured, 0.2)).toBe(false);
		expect(performanceDropped({ ...measured, reference: NaN })).toBe(false);
	});

	it('fails on a drop whose whole band is below the line, not on one that noise could explain', () => {
		const dropped = batchVerdict({
			report: report([feature('a'), feature('b')]),
			performance: estimate({ estimated: false, value: 0.6, lower: 0.55, upper: 0.65 })
		});
		expect(dropped).toMatchObject({ level: 'fail', failsGate: true });
		expect(dropped.headline).toBe('Performance drop beyond noise; 0 of 2 features drifted');
		// The same score on a few rows: its band reaches the line (0.82 − 0.05), so it only warns.
		const noisy = estimate({ estimated: false, value: 0.6, lower: 0.4, upper: 0.78 });
		expect(performanceDropped(noisy)).toBe(false);
		expect(batchVerdict({ report: report([feature('a')]), performance: noisy }).failsGate).toBe(
			false
		);
	});

	it('fails on dataset drift and names what else was found', () => {
		const v = batchVerdict({
			report: report([feature('a', { drifted: true }), feature('b')]),
			predictionDrift: { drifted: true, test: 'chi_square' as const, psi: 0.4 }
		});
		expect(v).toMatchObject({ level: 'fail', failsGate: true });
		expect(v.headline).toBe('Dataset drift: 1 of 2 features drifted; also prediction drift');
	});
});

describe('estimate reliability', () => {
	it('lists why a batch leaves the reference support, and an unreliable estimate never counts as a drop', () => {
		const r = report([
			feature('date', { outOfRange: 1, drifted: true }),
			feature('city', { unseen: ['Oslo'], unseenShare: 0.3, outOfRange: null, drifted: true })
		]);
		const reasons = supportReasons(r, DEFAULT_THRESHOLDS);
		expect(reasons).toEqual([
			'values outside the training range (100 % of "date")',
			'categories never seen in training (30 % of "city")',
			'dataset drift (2 of 2 features)'
		]);
		expect(
			supportReasons(report([feature('a', { outOfRange: 0.05 })]), DEFAULT_THRESHOLDS)
		).toEqual([]);
		const low = estimate({ value: 0.5, lower: 0.45, upper: 0.55 });
		expect(performanceDropped(low)).toBe(true);
		expect(performanceDropped({ ...low, reliable: false })).toBe(false);
		expect(
			batchVerdict({ report: report([feature('a')]), performance: { ...low, reliable: false } })
				.findings
		).toEqual(['estimate unreliable']);
	});
});
