import type * as tf from '@tensorflow/tfjs';

/** Metrics by name (sklearn's names); null where undefined (e.g. ROC-AUC with one class). */
export type MetricSet = Record<string, number | null>;

export interface Curves {
	confusion: number[] | null;
	roc: { fpr: number[]; tpr: number[] } | null;
	pr: { precision: number[]; recall: number[] } | null;
	calibration: { confidence: number; observed: number; count: number }[] | null;
	/** Regression: up to 500 test points (predicted, residual). */
	residuals: { predicted: number; residual: number }[] | null;
	perClass:
		{ label: string; precision: number; recall: number; f1: number; support: number }[] | null;
}

export interface RobustnessPoint {
	kind: 'noise' | 'missing';
	level: number;
	metric: string;
	value: number;
}

/** The saved model, in TF.js LayersModel form (topology JSON + one weights buffer). */
export interface ModelArtifacts {
	modelTopology: object;
	weightSpecs: tf.io.WeightsManifestEntry[];
	weightData: ArrayBuffer;
}
