import {
	accuracy,
	averagePrecision,
	balancedAccuracy,
	calibration,
	confusionMatrix,
	logLoss,
	macro,
	oneVsRest,
	perClassScores,
	rocAuc,
	type CalibrationBin,
	type PerClass
} from './classification';
import { rowArgmax } from '../stats/rows';

/** The classification metric set (MLflow's defaults), with sklearn's names. */
export interface ClassificationMetrics {
	accuracy: number;
	balanced_accuracy: number;
	/** Binary: of the positive class (index 1). Multiclass: macro averages. */
	precision: number;
	recall: number;
	f1: number;
	f1_macro: number;
	f1_micro: number;
	log_loss: number;
	/** Binary ROC-AUC; one-vs-rest macro average for more classes. Null when undefined. */
	roc_auc: number | null;
	/** Average precision (area under the step PR curve); macro one-vs-rest for more classes. */
	pr_auc: number | null;
	/** Expected calibration error of the positive class (binary) or of the top class. */
	ece: number;
}

/** Every classification metric of a prediction, the confusion matrix and calibration bins. */
export interface ClassificationReport {
	metrics: ClassificationMetrics;
	confusion: number[];
	perClass: PerClass;
	calibration: CalibrationBin[];
}

/** argmax per row, the first of equal maxima (numpy's rule). */
export function predictClasses(probabilities: Float64Array, k: number): Int32Array {
	const n = probabilities.length / k;
	const out = new Int32Array(n);
	for (let i = 0; i < n; i++) out[i] = rowArgmax(probabilities, i, k);
	return out;
}

/** Every classification metric from true classes and predicted probabilities (n × k). */
/**
 * The metrics a confusion matrix alone gives (row-major k × k, actual × predicted): what a
 * warehouse's counts of (label, prediction) pairs measure without the probabilities.
 */
export function confusionMetrics(matrix: ArrayLike<number>, k: number) {
	const scores = perClassScores(matrix, k);
	const acc = accuracy(matrix, k);
	const binary = k === 2;
	return {
		accuracy: acc,
		balanced_accuracy: balancedAccuracy(scores),
		precision: binary ? scores.precision[1]! : macro(scores.precision),
		recall: binary ? scores.recall[1]! : macro(scores.recall),
		f1: binary ? scores.f1[1]! : macro(scores.f1),
		f1_macro: macro(scores.f1),
		f1_micro: acc
	};
}

export function classificationReport(
	yTrue: Int32Array,
	probabilities: Float64Array,
	k: number
): ClassificationReport {
	const yPred = predictClasses(probabilities, k);
	const matrix = confusionMatrix(yTrue, yPred, k);
	const scores = perClassScores(matrix, k);
	const binary = k === 2;
	let rocAucValue: number | null;
	let prAuc: number | null;
	let calibrationResult;
	if (binary) {
		const { isPositive, scores: p } = oneVsRest(yTrue, probabilities, k, 1);
		rocAucValue = rocAuc(isPositive, p);
		prAuc = averagePrecision(isPositive, p);
		calibrationResult = calibration(isPositive, p);
	} else {
		const aucs: number[] = [];
		const aps: number[] = [];
		for (let c = 0; c < k; c++) {
			const { isPositive, scores: p } = oneVsRest(yTrue, probabilities, k, c);
			const auc = rocAuc(isPositive, p);
			const ap = averagePrecision(isPositive, p);
			if (auc !== null) aucs.push(auc);
			if (ap !== null) aps.push(ap);
		}
		// Undefined when a class is absent, as sklearn refuses it then.
		rocAucValue = aucs.length === k ? macro(aucs) : null;
		prAuc = aps.length === k ? macro(aps) : null;
		const top = new Uint8Array(yTrue.length);
		const confidence = new Float64Array(yTrue.length);
		for (let i = 0; i < yTrue.length; i++) {
			top[i] = yPred[i] === yTrue[i] ? 1 : 0;
			confidence[i] = probabilities[i * k + yPred[i]!]!;
		}
		calibrationResult = calibration(top, confidence);
	}
	return {
		metrics: {
			...confusionMetrics(matrix, k),
			log_loss: logLoss(yTrue, probabilities, k),
			roc_auc: rocAucValue,
			pr_auc: prAuc,
			ece: calibrationResult.ece
		},
		confusion: Array.from(matrix),
		perClass: scores,
		calibration: calibrationResult.bins
	};
}
