import { DriftwoodError } from '../errors';
import type { GraphBuilder } from '../onnx/graph';
import type { OneHotGroup } from '../recipe/types';
import type { FillPlan } from './ensemble/fill';
import type { ModelSpec } from './spec';
import type { Task } from './task';

/**
 * The seam every model family plugs into. Evaluation, bundles, the runtime, the predict worker and
 * monitoring only see these types; a family's own code (tfjs layers, trees) lives in its folder
 * and is named by one entry of the registry (`families.ts`).
 */

/** One point of the live curves: an epoch of a network, or an iteration of boosting. */
export interface EpochLog {
	epoch: number;
	loss: number;
	valLoss: number | null;
	seconds: number;
	/** Live tfjs tensors after the epoch (0 for families without tensors). */
	tensors: number;
}

/** What a family trains on: the recipe's output matrices, row-major. */
export interface FitData {
	/** Row-major n × d features. */
	x: Float32Array;
	/** Class index (classification) or scaled value (regression) per row. */
	y: Float32Array;
	xVal: Float32Array;
	yVal: Float32Array;
	inputs: number;
	/** Output width: the classes, or 1 for regression. */
	classes: number;
	/** The recipe's one-hot blocks (one per one-hot column): trees read each as one categorical feature. */
	groups?: readonly OneHotGroup[];
	/**
	 * Per training row, how much it counts (mean 1): recency weights, decaying with the row's age.
	 * Absent: every row counts the same. Each family honours it (the trees and the linear model
	 * weigh the loss; the MLP draws each epoch's rows in proportion).
	 */
	rowWeights?: Float32Array;
	/**
	 * How the matrix fills its missing values for a model that does not read them (an ensemble's
	 * linear or MLP member), when the recipe keeps them missing.
	 */
	fill?: FillPlan;
}

/** How training went: the curve and the epoch (or iteration) whose model was kept. */
export interface FitOutcome {
	history: EpochLog[];
	bestEpoch: number;
	stoppedEarly: boolean;
}

/** Progress, cancel and yield: how the caller follows and steers training. */
export interface TrainHooks {
	onEpoch?: (log: EpochLog) => void;
	isCancelled?: () => boolean;
	/**
	 * Lets the caller's event loop run (a worker's messages: Cancel). Training calls it at most
	 * every YIELD_MS: on WASM and CPU nothing else would ever yield mid-epoch.
	 */
	yieldToEvents?: () => Promise<void>;
}

/** How long training may run between two yields to the event loop. */
export const YIELD_MS = 50;

/** Training stopped by Cancel (code `cancelled`): never reported as a failure. */
export class CancelledError extends DriftwoodError {
	constructor() {
		super('Training cancelled.', 'cancelled');
		this.name = 'CancelledError';
	}
}

/**
 * A trained model serialised: its family and the files a bundle holds under `model/`, by name.
 * Opaque outside the family: only its own `load` reads the bytes.
 */
export interface SavedModel {
	family: string;
	files: Record<string, Uint8Array>;
}

/** The buffers under a saved model's files, each once (what a worker transfers). */
export function savedModelBuffers(model: SavedModel): ArrayBuffer[] {
	return [...new Set(Object.values(model.files).map((f) => f.buffer as ArrayBuffer))];
}

/** A trained model, ready to predict. */
export interface TrainedModel {
	readonly family: string;
	/** Numbers per predicted row: k class probabilities (binary: 2), or 1 scaled value. */
	readonly outputs: number;
	/**
	 * Class probabilities (n × k, row-major) or scaled regression values (n × 1) of the rows of
	 * `x` (n × inputs, the recipe's output). Every result passes the finite-output guard.
	 */
	predict(x: Float32Array): Promise<Float64Array>;
	/**
	 * The predictions of `x`, a matrix that differs from `base` only in the input columns
	 * `changed` (a column permuted, for permutation importance): `predict(x)`'s numbers up to the
	 * rounding of a sum, computed from what `base` gives — families whose outputs are sums of
	 * parts that read few features (trees: only the trees that split on a changed column run
	 * again). `base` must not change between calls.
	 */
	predictChanged?(
		base: Float32Array,
		x: Float32Array,
		changed: readonly number[]
	): Promise<Float64Array>;
	save(): Promise<SavedModel>;
	/** Per input feature, its share of the model's split gain (families that split: trees). */
	gainImportance?(): Float64Array;
	/**
	 * Exact Shapley contributions of the rows of `x` to the model's raw outputs (families that
	 * can compute them: trees). Throws with the reason when this model cannot be explained.
	 */
	contributions?(x: Float32Array): Contributions;
	/**
	 * The raw outputs behind the predictions (n × outputs): logits (1 for binary, k for
	 * multiclass) or the scaled value — families whose probabilities come from them (networks).
	 */
	rawOutputs?(x: Float32Array): Promise<Float64Array>;
	/** Frees what the model holds outside the JavaScript heap (tensors). */
	dispose(): void;
}

/** Each input feature's contribution to each raw output, per row: `base + Σ phi = raw output`. */
export interface Contributions {
	/** Raw outputs per row: 1 (the log-odds of the positive class, or the scaled value) or k. */
	outputs: number;
	/** The expected raw output, per output. */
	base: Float64Array;
	/** n × outputs × inputs (the recipe's features), row-major. */
	phi: Float64Array;
}

/** Plain words and numbers about a saved model, for the model card and the model page. */
export interface ModelDescription {
	/** e.g. "Multilayer perceptron: 2 hidden layers (64, 32), relu". */
	summary: string;
	/** Trainable numbers in the model (weights, or tree nodes). */
	parameters: number;
	/** Width of the feature matrix it reads (what the recipe must make). */
	inputs: number;
	/** Numbers it gives per row: 1 (regression, or a binary model's one logit), else one per class. */
	outputs: number;
}

/** The heavy part of a family (loaded on first use: tfjs, tree code). */
export interface FamilyImplementation {
	fit(
		data: FitData,
		spec: ModelSpec,
		task: Task,
		hooks: TrainHooks
	): Promise<{ model: TrainedModel; outcome: FitOutcome }>;
	load(saved: SavedModel, task: Task, classes: number): Promise<TrainedModel>;
}

/**
 * A family as the registry lists it: cheap checks and descriptions that need none of its heavy
 * code (so a bundle can be checked, and a card written, without loading tfjs), and `implementation`
 * to load the rest.
 */
export interface FamilyEntry {
	/** "linear", "mlp": what `ModelSpec.kind` and a bundle's `model.family` name. */
	name: string;
	/** For people: "Linear", "MLP". */
	label: string;
	/** The file names a saved model of this family holds, exactly (with `memberFiles`'). */
	files: readonly string[];
	/**
	 * Families whose models hold other models (ensembles): the further files under `model/` that
	 * `files` name (read from them); throws, in words, when those files are not readable.
	 */
	memberFiles?(files: Record<string, Uint8Array>): string[];
	/**
	 * Whether it reads missing values itself (NaN in the matrix, a one-hot block with no 1): then
	 * its recipe keeps them missing instead of filling them (`keepMissing`). The trees learn a
	 * direction per split.
	 */
	readsMissing: boolean;
	/** Every problem with a spec, in words; empty when it can be trained. */
	validate(spec: ModelSpec): string[];
	/**
	 * Every problem with a saved model's files (foreign, truncated, inconsistent), in words; empty
	 * when `load` may read them. Runs on every bundle import, before anything else uses the files.
	 */
	verify(saved: SavedModel): string[];
	describe(saved: SavedModel): ModelDescription;
	/**
	 * The saved model as ONNX operators on the feature matrix `x` (float [N, inputs]): returns
	 * class probabilities (float [N, K]) or the scaled regression value (float [N, 1]). Needs none
	 * of the family's heavy code: it reads the saved files.
	 */
	onnx(saved: SavedModel, graph: GraphBuilder, x: string, task: Task): string;
	implementation(): Promise<FamilyImplementation>;
}
