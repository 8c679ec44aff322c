import type { MetricSet } from '../model/results';
import type { DriftReport, FeatureDrift } from './report';

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
}

/** What a checked batch is: data drift, prediction drift, performance and every alert. */
export interface BatchCheck {
	report: DriftReport;
	predictionDrift: FeatureDrift | null;
	performance: BatchPerformance | null;
	alerts: string[];
}
