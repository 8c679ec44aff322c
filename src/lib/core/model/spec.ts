import type { Task } from './task';

/** Hidden-layer activations an MLP may use. */
export type Activation = 'relu' | 'tanh' | 'elu' | 'selu';

/** A model as the user specifies it: plain JSON, stored on the run. */
export interface ModelSpec {
	/** 'linear': linear / logistic / softmax regression by task; 'mlp': hidden layers. */
	kind: 'linear' | 'mlp';
	hidden: number[];
	activation: Activation;
	dropout: number;
	l2: number;
	/** Gaussian noise added to the (scaled) training inputs each epoch, for robustness; 0 = none. */
	inputNoise: number;
	learningRate: number;
	batchSize: number;
	epochs: number;
	/** Early stopping: epochs without a better validation loss before stopping; 0 = off. */
	patience: number;
	classWeights: 'none' | 'balanced';
	seed: number;
}

/** The default MLP: one hidden layer of 32 relu units, dropout, L2, Adam, early stopping. */
export const DEFAULT_MLP: ModelSpec = {
	kind: 'mlp',
	hidden: [32],
	activation: 'relu',
	dropout: 0.1,
	l2: 1e-4,
	inputNoise: 0,
	learningRate: 0.003,
	batchSize: 32,
	epochs: 150,
	patience: 15,
	classWeights: 'none',
	seed: 42
};

/** The default linear model: linear, logistic or softmax regression by task. */
export const DEFAULT_LINEAR: ModelSpec = {
	...DEFAULT_MLP,
	kind: 'linear',
	hidden: [],
	dropout: 0,
	learningRate: 0.01
};

/** Every problem with a spec, in words; empty when it can be trained. Checked before training. */
export function validateSpec(spec: ModelSpec): string[] {
	const problems: string[] = [];
	const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
	if (spec.kind === 'mlp') {
		if (spec.hidden.length === 0) problems.push('An MLP needs at least one hidden layer.');
		spec.hidden.forEach((units, i) => {
			if (!positiveInt(units) || units > 4096)
				problems.push(`Hidden layer ${i + 1} needs between 1 and 4096 units (got ${units}).`);
		});
	}
	if (!(spec.dropout >= 0 && spec.dropout < 1))
		problems.push(`Dropout must be in [0, 1) (got ${spec.dropout}).`);
	if (!(spec.l2 >= 0 && spec.l2 <= 1))
		problems.push(`L2 must be between 0 and 1 (got ${spec.l2}).`);
	if (!(spec.inputNoise >= 0 && spec.inputNoise <= 5))
		problems.push(`Input noise must be between 0 and 5 (got ${spec.inputNoise}).`);
	if (!(spec.learningRate > 0 && spec.learningRate <= 1))
		problems.push(`The learning rate must be above 0 and at most 1 (got ${spec.learningRate}).`);
	if (!positiveInt(spec.batchSize) || spec.batchSize > 65536)
		problems.push(`The batch size must be a whole number from 1 to 65536 (got ${spec.batchSize}).`);
	if (!positiveInt(spec.epochs) || spec.epochs > 10000)
		problems.push(`Epochs must be a whole number from 1 to 10000 (got ${spec.epochs}).`);
	if (!(Number.isInteger(spec.patience) && spec.patience >= 0))
		problems.push(`Patience must be a whole number, 0 or more (got ${spec.patience}).`);
	if (!Number.isInteger(spec.seed))
		problems.push(`The seed must be a whole number (got ${spec.seed}).`);
	return problems;
}

/** Output units and loss for a task. */
export function outputOf(
	task: Task,
	classes: number
): { units: number; activation: 'sigmoid' | 'softmax' | 'linear'; loss: string } {
	if (task === 'binary') return { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' };
	if (task === 'multiclass')
		return { units: classes, activation: 'softmax', loss: 'categoricalCrossentropy' };
	return { units: 1, activation: 'linear', loss: 'meanSquaredError' };
}
