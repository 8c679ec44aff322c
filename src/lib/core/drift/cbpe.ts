/**
 * Confidence-based performance estimation (CBPE) for classifiers: with calibrated probabilities,
 * the chance that a prediction is right is its calibrated confidence, so the expected accuracy
 * of a batch without labels is their mean. Calibration is an isotonic regression of "was it
 * right" on confidence, fitted on labelled rows the model did not train on (the validation split).
 */
import { applyIsotonic, type IsotonicMap } from '../stats/isotonic';

/** A label-free accuracy estimate and its 95 % band. */
export interface Estimate {
	value: number;
	/** A 95 % band: the estimate ± 1.96 standard errors of a sum of Bernoulli outcomes. */
	lower: number;
	upper: number;
}

/** Expected accuracy of predictions with these (top-class) confidences, under the calibration. */
export function estimateAccuracy(
	confidences: ArrayLike<number>,
	calibration: IsotonicMap
): Estimate {
	const n = confidences.length;
	let sum = 0;
	let variance = 0;
	for (let i = 0; i < n; i++) {
		const p = Math.min(1, Math.max(0, applyIsotonic(calibration, confidences[i]!)));
		sum += p;
		variance += p * (1 - p);
	}
	const value = n ? sum / n : NaN;
	const half = n ? (1.96 * Math.sqrt(variance)) / n : NaN;
	return { value, lower: Math.max(0, value - half), upper: Math.min(1, value + half) };
}
