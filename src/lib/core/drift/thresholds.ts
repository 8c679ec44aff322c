/** Thresholds of a drift report (Evidently's defaults); editable per monitor. */
export interface DriftThresholds {
	/** p-value below which KS / chi-square / z-test say "drifted". */
	pValue: number;
	/** Normed Wasserstein or Jensen–Shannon distance at or above which a feature drifted. */
	distance: number;
	/** Share of drifted features at or above which the dataset drifted. */
	datasetShare: number;
	/** Change of a column's missing share that raises an alert. */
	missingChange: number;
	/** Share of a numeric feature's batch values outside the reference range that raises an alert. */
	outOfRange?: number;
	/**
	 * `sized` (the default; absent on older monitors): a distance drifts only when the batch also
	 * differs beyond its sampling noise at these sizes (p < pValue: KS for numbers, chi-square or
	 * permutations for categories), so that batches drawn from the training rows alarm at most
	 * pValue of the time. `evidently`: Evidently's fixed rules, the distance alone.
	 */
	rule?: 'sized' | 'evidently';
	/** Input columns the user left out of drift monitoring (still required by the model). */
	ignored?: string[];
	/** Per-feature tests chosen instead of the automatic rule (pairs: never an object keyed by column names). */
	tests?: { feature: string; test: DriftTest }[];
}

/** Monitors saved before the out-of-range threshold existed use this. */
const DEFAULT_OUT_OF_RANGE = 0.1;

/** The share of a numeric feature outside the reference range above which an alert is raised. */
export function outOfRangeLimit(thresholds: DriftThresholds): number {
	return thresholds.outOfRange ?? DEFAULT_OUT_OF_RANGE;
}

/**
 * Evidently's defaults: p < 0.05 for the tests, 0.1 for the distances, half the features for
 * dataset drift; alerts past a 10-point change in missing share or 10 % of values out of range.
 */
export const DEFAULT_THRESHOLDS: DriftThresholds = {
	pValue: 0.05,
	distance: 0.1,
	datasetShare: 0.5,
	missingChange: 0.1,
	outOfRange: 0.1
};

/** Up to this many reference rows, statistical tests; above, distances (Evidently's rule). */
export const SMALL_REFERENCE_ROWS = 1000;

/** The tests a feature can be compared with (Evidently's names). */
export type DriftTest = 'ks' | 'chi_square' | 'z_test' | 'wasserstein' | 'jensen_shannon';
