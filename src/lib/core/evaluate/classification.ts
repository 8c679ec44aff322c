/**
 * Classification metrics with scikit-learn's definitions (checked against `sklearn.metrics` in
 * classification.spec.ts). Labels are class indices 0 … k−1; probabilities are row-major n × k.
 */

/** `matrix[t * k + p]` = rows of true class t predicted as p (sklearn's `confusion_matrix`). */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, k: number): Int32Array {
	const matrix = new Int32Array(k * k);
	for (let i = 0; i < yTrue.length; i++) matrix[yTrue[i]! * k + yPred[i]!]!++;
	return matrix;
}

/** Precision, recall, F1 and support of each class, as sklearn reports them. */
export interface PerClass {
	precision: number[];
	recall: number[];
	f1: number[];
	support: number[];
}

/** Precision, recall and F1 per class; 0 where undefined (sklearn's `zero_division=0`). */
export function perClassScores(matrix: ArrayLike<number>, k: number): PerClass {
	const precision: number[] = [];
	const recall: number[] = [];
	const f1: number[] = [];
	const support: number[] = [];
	for (let c = 0; c < k; c++) {
		let predicted = 0;
		let actual = 0;
		for (let j = 0; j < k; j++) {
			predicted += matrix[j * k + c]!;
			actual += matrix[c * k + j]!;
		}
		const tp = matrix[c * k + c]!;
		const p = predicted ? tp / predicted : 0;
		const r = actual ? tp / actual : 0;
		precision.push(p);
		recall.push(r);
		f1.push(p + r ? (2 * p * r) / (p + r) : 0);
		support.push(actual);
	}
	return { precision, recall, f1, support };
}

/** The share of the confusion matrix on its diagonal. */
export function accuracy(matrix: ArrayLike<number>, k: number): number {
	let correct = 0;
	let total = 0;
	for (let t = 0; t < k; t++) {
		for (let p = 0; p < k; p++) total += matrix[t * k + p]!;
		correct += matrix[t * k + t]!;
	}
	return total ? correct / total : 0;
}

/** Mean recall over the classes present in the true labels (sklearn's `balanced_accuracy_score`). */
export function balancedAccuracy(scores: PerClass): number {
	let sum = 0;
	let present = 0;
	scores.recall.forEach((r, c) => {
		if (scores.support[c]! > 0) {
			sum += r;
			present++;
		}
	});
	return present ? sum / present : 0;
}

/** Macro averages over every class of the label set (sklearn's `average='macro'` with `labels`). */
export function macro(values: number[]): number {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * Cross-entropy with probabilities clipped to [eps, 1 − eps] (sklearn's `log_loss`; eps is the
 * float64 machine epsilon, as `eps='auto'` gives for float64 input).
 */
export function logLoss(yTrue: Int32Array, probabilities: Float64Array, k: number): number {
	const eps = Number.EPSILON;
	let sum = 0;
	for (let i = 0; i < yTrue.length; i++) {
		// sklearn renormalises each row after clipping.
		let rowSum = 0;
		for (let c = 0; c < k; c++) rowSum += clip(probabilities[i * k + c]!, eps);
		const p = clip(probabilities[i * k + yTrue[i]!]!, eps) / rowSum;
		sum -= Math.log(p);
	}
	return sum / yTrue.length;
}

function clip(p: number, eps: number): number {
	return Math.min(1 - eps, Math.max(eps, p));
}

/** Points of a ROC curve with ties grouped (thresholds from high to low), starting at (0, 0). */
export function rocCurve(
	isPositive: Uint8Array,
	scores: Float64Array
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
	const order = sortDescending(scores);
	let positives = 0;
	for (const v of isPositive) positives += v;
	const negatives = isPositive.length - positives;
	const fpr = [0];
	const tpr = [0];
	const thresholds = [Infinity];
	let tp = 0;
	let fp = 0;
	for (let i = 0; i < order.length; i++) {
		const row = order[i]!;
		if (isPositive[row]) tp++;
		else fp++;
		const next = order[i + 1];
		if (next === undefined || scores[next] !== scores[row]) {
			fpr.push(negatives ? fp / negatives : 0);
			tpr.push(positives ? tp / positives : 0);
			thresholds.push(scores[row]!);
		}
	}
	return { fpr, tpr, thresholds };
}

/** Area under the ROC curve (trapezoids over tie-grouped points); null with a single class. */
export function rocAuc(isPositive: Uint8Array, scores: Float64Array): number | null {
	let positives = 0;
	for (const v of isPositive) positives += v;
	if (positives === 0 || positives === isPositive.length) return null;
	const { fpr, tpr } = rocCurve(isPositive, scores);
	let area = 0;
	for (let i = 1; i < fpr.length; i++)
		area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
	return area;
}

/** Precision–recall points with ties grouped, from the highest threshold down. */
export function precisionRecallCurve(
	isPositive: Uint8Array,
	scores: Float64Array
): { precision: number[]; recall: number[] } {
	const order = sortDescending(scores);
	let positives = 0;
	for (const v of isPositive) positives += v;
	const precision: number[] = [];
	const recall: number[] = [];
	let tp = 0;
	for (let i = 0; i < order.length; i++) {
		const row = order[i]!;
		if (isPositive[row]) tp++;
		const next = order[i + 1];
		if (next === undefined || scores[next] !== scores[row]) {
			precision.push(tp / (i + 1));
			recall.push(positives ? tp / positives : 0);
		}
	}
	return { precision, recall };
}

/** Average precision, Σ (Rₙ − Rₙ₋₁) Pₙ (sklearn's `average_precision_score`); null without positives. */
export function averagePrecision(isPositive: Uint8Array, scores: Float64Array): number | null {
	let positives = 0;
	for (const v of isPositive) positives += v;
	if (positives === 0) return null;
	const { precision, recall } = precisionRecallCurve(isPositive, scores);
	let ap = 0;
	let previous = 0;
	for (let i = 0; i < recall.length; i++) {
		ap += (recall[i]! - previous) * precision[i]!;
		previous = recall[i]!;
	}
	return ap;
}

/** Row indices ordered by score, highest first (stable). */
function sortDescending(scores: Float64Array): Int32Array {
	const order = Int32Array.from(scores, (_, i) => i);
	return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Column `c` of row-major probabilities, and the one-vs-rest truth for class `c`. */
export function oneVsRest(
	yTrue: Int32Array,
	probabilities: Float64Array,
	k: number,
	c: number
): { isPositive: Uint8Array; scores: Float64Array } {
	const n = yTrue.length;
	const isPositive = new Uint8Array(n);
	const scores = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		isPositive[i] = yTrue[i] === c ? 1 : 0;
		scores[i] = probabilities[i * k + c]!;
	}
	return { isPositive, scores };
}

/** One bin of a reliability diagram: mean predicted probability, observed frequency, rows. */
export interface CalibrationBin {
	/** Mean predicted probability in the bin. */
	confidence: number;
	/** Observed share of positives in the bin. */
	observed: number;
	count: number;
}

/**
 * Reliability diagram on `bins` equal-width bins of the positive-class probability (sklearn's
 * `calibration_curve(strategy='uniform')`, empty bins dropped), with the expected calibration
 * error Σ nᵦ/N · |observedᵦ − confidenceᵦ|.
 */
export function calibration(
	isPositive: Uint8Array,
	scores: Float64Array,
	bins = 10
): { bins: CalibrationBin[]; ece: number } {
	const sums = new Float64Array(bins);
	const hits = new Float64Array(bins);
	const counts = new Float64Array(bins);
	// Edges as numpy's linspace makes them (i · 1/bins); a probability on an inner edge belongs to
	// the bin below it, as `np.searchsorted(edges[1:-1], p)` decides.
	const step = 1 / bins;
	for (let i = 0; i < scores.length; i++) {
		const p = scores[i]!;
		let b = 0;
		while (b < bins - 1 && (b + 1) * step < p) b++;
		sums[b]! += scores[i]!;
		hits[b]! += isPositive[i]!;
		counts[b]!++;
	}
	const out: CalibrationBin[] = [];
	let ece = 0;
	for (let b = 0; b < bins; b++) {
		if (counts[b] === 0) continue;
		const confidence = sums[b]! / counts[b]!;
		const observed = hits[b]! / counts[b]!;
		out.push({ confidence, observed, count: counts[b]! });
		ece += (counts[b]! / scores.length) * Math.abs(observed - confidence);
	}
	return { bins: out, ece };
}
