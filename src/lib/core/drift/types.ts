import type { Coverage } from '../conformal/coverage';
import type { MetricSet } from '../model/results';
import type { DriftTest } from './thresholds';

/**
 * One feature of a batch against the reference: its test, distances, missing and unseen values,
 * bins.
 */
export interface FeatureDrift {
	name: string;
	test: DriftTest;
	statistic: number;
	/**
	 * For KS, chi-square and z-test; for the distances under the sized rule, the p-value of the
	 * evidence beside them (`pSource`).
	 */
	pValue: number | null;
	/**
	 * Where a distance's p-value comes from (KS for numbers; chi-square, or permutations where its
	 * cells are too sparse, for categories), or how a chi-square's was computed. Absent under
	 * Evidently's fixed rules and on older reports.
	 */
	pSource?: 'ks' | 'chi_square' | 'permutation';
	psi: number;
	psiBand: 'stable' | 'moderate' | 'significant';
	drifted: boolean;
	/**
	 * A date's calendar position (month, weekday, day of year, hour): the span of the batch's dates
	 * decides its distribution — a batch of March differs from a year of training rows whatever
	 * the world does — so its test is shown but it never counts as drifted. Leaving the training
	 * range still alerts (out of range). Absent for every other feature.
	 */
	calendar?: true;
	/** 0 = no drift … larger = more; comparable within a test (1 − p for tests, the distance otherwise). */
	score: number;
	referenceMissing: number;
	currentMissing: number;
	/** Numeric: share of current values outside the reference range. */
	outOfRange: number | null;
	/** Categorical: current categories never seen in the reference. */
	unseen: string[];
	/** Categorical: the share of batch rows holding a category never seen (absent on older reports). */
	unseenShare?: number;
	/**
	 * From a warehouse summary, how many distinct categories the batch holds that the reference
	 * never saw (their names stay in the warehouse; `unseen` is then empty). Absent otherwise.
	 */
	unseenCount?: number;
	/**
	 * From a warehouse summary, the range a statistic that depends on the values' order (KS,
	 * Wasserstein) is known to lie in, and its p-value's; `statistic` and `pValue` are then the
	 * ends the verdict used (the least distance, the largest p), so a feature is flagged only when
	 * its whole bound crosses the threshold. Absent when the statistic is exact.
	 */
	bound?: { statistic: [number, number]; pValue: [number, number] | null };
	/** Numeric: the median of the reference and of the batch (absent on older reports). */
	medians?: { reference: number; current: number; datetime: boolean } | null;
	/** Overlaid distributions for charts: bin labels and counts. */
	bins: { labels: string[]; reference: number[]; current: number[] };
}

/** How the batch's columns differ from the reference's. */
export interface SchemaReport {
	missingColumns: string[];
	/**
	 * Inputs the batch has but not one of whose values can be read as the model's type ("3.80 kg"
	 * for a number): as good as missing, so the model's predictions are skipped (absent before).
	 */
	unreadableColumns?: string[];
	extraColumns: string[];
	typeChanges: { name: string; reference: string; current: string }[];
}

/** A batch against its reference: every feature, the schema, and whether the dataset drifted. */
export interface DriftReport {
	features: FeatureDrift[];
	schema: SchemaReport;
	datasetDrift: boolean;
	driftShare: number;
	referenceRows: number;
	currentRows: number;
}

/** Measured with labels, or estimated without them (CBPE, with its 95 % band). */
export interface BatchPerformance {
	metric: string;
	value: number;
	/** The test score at training. */
	reference: number;
	rows: number;
	droppedUnknown: number;
	metrics: MetricSet;
	estimated: boolean;
	lower: number | null;
	upper: number | null;
	/**
	 * False when the estimate cannot be trusted: the batch leaves the reference's support, where
	 * CBPE's assumption (the calibration holds) is broken. Absent on batches checked before.
	 */
	reliable?: boolean;
	/** Why the estimate is unreliable. */
	reasons?: string[];
	/**
	 * Measured scores: the same metrics of the constant baseline on the same rows — always the
	 * rows' commonest class (with their class shares as probabilities), or their mean. Absent on
	 * estimates and on batches checked before.
	 */
	baseline?: MetricSet;
	/** Measured on classes: the commonest class when it holds >= 75 % of the rows. */
	imbalance?: { label: string; share: number } | null;
	/**
	 * Measured: how the model's conformal bounds at 90 % covered the labelled rows (null when the
	 * model has none; absent on batches checked before).
	 */
	coverage?: Coverage | null;
}

/** What a checked batch is: data drift, prediction drift and performance (its alerts: `batchAlerts`). */
export interface BatchCheck {
	report: DriftReport;
	predictionDrift: FeatureDrift | null;
	performance: BatchPerformance | null;
	/**
	 * The target's distribution in the batch against the training rows' (a shift in the answers
	 * themselves: prior or label shift), when the batch holds the target; absent on batches
	 * checked before.
	 */
	targetDrift?: FeatureDrift | null;
}
