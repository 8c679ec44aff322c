import type { Task } from './task';

/** Hidden-layer activations an MLP may use. */
export type Activation = 'relu' | 'tanh' | 'elu' | 'selu';

/** A neural model as the user specifies it: plain JSON, stored on the run. */
export interface NeuralSpec {
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
	/**
	 * MLPs: how many networks train from different seeds (seed, seed + 1000003, …) to be averaged
	 * into the one model; absent = 1. Ignored by linear models (their fit does not depend on it).
	 */
	seeds?: number;
}

/** The default MLP: one hidden layer of 32 relu units, dropout, L2, Adam, early stopping. */
/**
 * Gradient-boosted trees on histograms, with scikit-learn's `HistGradientBoosting*` defaults
 * (early stopping on the validation rows always, where sklearn turns it on above 10,000 rows).
 */
export interface GbdtSpec {
	kind: 'gbdt';
	/** Boosting iterations at most (one tree per class per iteration for multiclass). */
	maxIterations: number;
	/** Shrinkage applied to every leaf. */
	learningRate: number;
	/** Leaves per tree at most (best-first growth). */
	maxLeaves: number;
	/** Rows per leaf at least. */
	minSamplesLeaf: number;
	/** L2 regularisation of the leaf values. */
	l2: number;
	/** Value bins per feature at most (plus one for missing values); 2 to 255. */
	maxBins: number;
	/** Early stopping: iterations without a better validation loss before stopping; 0 = off. */
	patience: number;
	classWeights: 'none' | 'balanced';
	seed: number;
}

/** One family's model as the user specifies it: its `kind` names the family that trains it. */
export type FamilySpec = NeuralSpec | GbdtSpec;

/**
 * A weighted average of several models' predictions (probabilities, or regression values), made
 * by the automatic choice — never picked by hand. Each member is a family spec with fixed steps
 * (no early stopping: the steps its folds chose), its weight the share of the selection rounds
 * that picked it (Caruana's greedy selection with replacement).
 */
export interface EnsembleSpec {
	kind: 'ensemble';
	members: { spec: FamilySpec; weight: number }[];
	seed: number;
}

/** A model as it is trained: one family's spec, or an ensemble of them. */
export type ModelSpec = FamilySpec | EnsembleSpec;

/**
 * Let the data choose: the linear model, the trees and the MLP (each with its defaults) are
 * trained on the same split and the best validation score wins (never the test rows).
 */
export interface AutoSpec {
	kind: 'auto';
	seed: number;
	/**
	 * Seconds one candidate may take on a big table (timed by a probe before it runs): over it,
	 * the candidate trains on a sample that fits, or is skipped. Default `DEFAULT_BUDGET_SECONDS`.
	 */
	budgetSeconds?: number;
}

/** An automatic choice's default time per candidate on a big table: ten minutes. */
export const DEFAULT_BUDGET_SECONDS = 600;

/** What a run is asked to train: one family's spec, or the automatic choice between them. */
export type ModelChoice = FamilySpec | AutoSpec;

/** The candidates of an automatic choice, in the order they train: fast and simple first. */
export function autoCandidates(auto: AutoSpec): FamilySpec[] {
	return [
		{ ...DEFAULT_LINEAR, seed: auto.seed },
		{ ...DEFAULT_GBDT, seed: auto.seed },
		{ ...DEFAULT_MLP, seed: auto.seed }
	];
}

/** The specs a choice trains: its candidates, or the one spec (an ensemble is one spec). */
export function candidatesOf(choice: ModelChoice | EnsembleSpec): ModelSpec[] {
	return choice.kind === 'auto' ? autoCandidates(choice) : [choice];
}

export const DEFAULT_GBDT: GbdtSpec = {
	kind: 'gbdt',
	maxIterations: 100,
	learningRate: 0.1,
	maxLeaves: 31,
	minSamplesLeaf: 20,
	l2: 0,
	maxBins: 255,
	patience: 10,
	classWeights: 'none',
	seed: 42
};

export const DEFAULT_MLP: NeuralSpec = {
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
	seed: 42,
	seeds: 3
};

/** The default linear model: linear, logistic or softmax regression by task. */
export const DEFAULT_LINEAR: NeuralSpec = {
	...DEFAULT_MLP,
	kind: 'linear',
	hidden: [],
	seeds: 1,
	dropout: 0,
	learningRate: 0.01,
	l2: 1e-3
};

/** Every problem with a neural spec, in words; empty when it can be trained. Checked before training. */
export function validateSpec(spec: ModelSpec): string[] {
	if (spec.kind !== 'linear' && spec.kind !== 'mlp') return ['This is not a neural spec.'];
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
	if (
		spec.seeds !== undefined &&
		!(Number.isInteger(spec.seeds) && spec.seeds >= 1 && spec.seeds <= 16)
	)
		problems.push(`Networks averaged must be a whole number from 1 to 16 (got ${spec.seeds}).`);
	return problems;
}

/** The epochs (neural) or boosting iterations (trees) a spec trains for at most. */
export function iterationsOf(spec: ModelSpec): number {
	if (spec.kind === 'ensemble') return Math.max(...spec.members.map((m) => iterationsOf(m.spec)));
	return spec.kind === 'gbdt' ? spec.maxIterations : spec.epochs;
}

/** What one step of training is called for a spec: an epoch of a network, an iteration of boosting. */
export function stepName(spec: ModelSpec): 'epoch' | 'iteration' {
	return spec.kind === 'gbdt' ? 'iteration' : 'epoch';
}

/** Every problem with an ensemble spec, in words; empty when it can be trained. */
export function validateEnsembleSpec(
	spec: ModelSpec,
	validateMember: (member: FamilySpec) => string[]
): string[] {
	if (spec.kind !== 'ensemble') return ['This is not an ensemble spec.'];
	const problems: string[] = [];
	if (!Array.isArray(spec.members) || spec.members.length < 2)
		return ['An ensemble needs at least two members.'];
	let total = 0;
	spec.members.forEach((m, i) => {
		if (!(m.weight > 0 && m.weight <= 1))
			problems.push(`Member ${i + 1}'s weight must be above 0 and at most 1 (got ${m.weight}).`);
		total += m.weight;
		if ((m.spec.kind as string) === 'ensemble')
			problems.push(`Member ${i + 1} is an ensemble: members are single models.`);
		else problems.push(...validateMember(m.spec).map((p) => `Member ${i + 1}: ${p}`));
	});
	if (Math.abs(total - 1) > 1e-9)
		problems.push(`The members' weights must add up to 1 (they add up to ${total}).`);
	if (!Number.isInteger(spec.seed))
		problems.push(`The seed must be a whole number (got ${spec.seed}).`);
	return problems;
}

/**
 * The curve's caption: which step the model kept, and where the validation loss was lowest when
 * that differs (trees keep the last iteration within the minimum's 95 % band).
 */
export function keptLine(
	history: readonly { valLoss: number | null }[],
	kept: number,
	step: 'epoch' | 'iteration'
): string {
	let lowest = 0;
	history.forEach((h, i) => {
		if (h.valLoss !== null && (lowest === 0 || h.valLoss < history[lowest - 1]!.valLoss!))
			lowest = i + 1;
	});
	if (lowest === 0) return `kept ${step} ${kept}`;
	if (lowest === kept) return `kept ${step} ${kept}, where the validation loss was lowest`;
	return `kept ${step} ${kept} (validation loss lowest at ${lowest}; ${step} ${kept} is within its 95 % band)`;
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

/** Every problem with a tree spec, in words; empty when it can be trained. Checked before training. */
export function validateGbdtSpec(spec: ModelSpec): string[] {
	if (spec.kind !== 'gbdt') return ['This is not a tree spec.'];
	const problems: string[] = [];
	const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
	if (!whole(spec.maxIterations, 1, 10000))
		problems.push(`Iterations must be a whole number from 1 to 10000 (got ${spec.maxIterations}).`);
	if (!(spec.learningRate > 0 && spec.learningRate <= 1))
		problems.push(`The learning rate must be above 0 and at most 1 (got ${spec.learningRate}).`);
	if (!whole(spec.maxLeaves, 2, 4096))
		problems.push(`Leaves per tree must be a whole number from 2 to 4096 (got ${spec.maxLeaves}).`);
	if (!whole(spec.minSamplesLeaf, 1, 1_000_000))
		problems.push(`Rows per leaf must be a whole number, 1 or more (got ${spec.minSamplesLeaf}).`);
	if (!(spec.l2 >= 0 && spec.l2 <= 1e6)) problems.push(`L2 must be 0 or more (got ${spec.l2}).`);
	if (!whole(spec.maxBins, 2, 255))
		problems.push(`Bins per feature must be a whole number from 2 to 255 (got ${spec.maxBins}).`);
	if (!whole(spec.patience, 0, 10000))
		problems.push(`Patience must be a whole number, 0 or more (got ${spec.patience}).`);
	if (!Number.isInteger(spec.seed))
		problems.push(`The seed must be a whole number (got ${spec.seed}).`);
	return problems;
}
