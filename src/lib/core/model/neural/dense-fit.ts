import { DriftwoodError } from '../../errors';
import { gaussian, seededRandom, shuffleInPlace } from '../../stats/random';
import {
	CancelledError,
	YIELD_MS,
	type EpochLog,
	type FitData,
	type FitOutcome,
	type TrainHooks
} from '../family';
import { outputOf, type Activation, type NeuralSpec } from '../spec';
import type { Task } from '../task';
import { balancedWeights } from '../weights';
import { sparseOf, sparseRows, type SparseRows } from './sparse';
import {
	activateRow,
	affine,
	mergeNets,
	SELU_ALPHA,
	SELU_SCALE,
	type DenseWeights
} from './dense-model';

export type { DenseWeights } from './dense-model';

/** The trained layers, input to output, and how training went. */
export interface DenseFit extends FitOutcome {
	layers: DenseWeights[];
}

const BETA1 = 0.9;
const BETA2 = 0.999;
/** tfjs's Adam epsilon (its backend epsilon) and its cross-entropy clip. */
const EPSILON = 1e-7;

/**
 * Trains the network `buildModel` describes — dense layers with `spec.activation`, inverted
 * dropout after each hidden layer, a sigmoid / softmax / linear output, L2 on every kernel, Adam
 * with tfjs's defaults, mini-batches of `spec.batchSize` over a seeded permutation of the rows
 * each epoch (drawn in proportion to the row weights when there are any), seeded input noise,
 * early stopping on the validation loss that restores the best weights — in plain float64 loops.
 *
 * With `spec.seeds` > 1 that many networks train in lockstep from different seeds, and the model
 * is their average (of the output layer's inputs: the mean logit, or the mean value), written as
 * one dense network whose hidden layers hold every member's units side by side (`mergeNets`).
 * Early stopping watches the average's validation loss. An MLP's test score on a few hundred rows
 * moves by tenths of R² from one seed to the next; the average of three moves far less.
 *
 * Why not `model.fit`: for the networks Driftwood trains (tens of units) tfjs spends ~1 ms of
 * bookkeeping per step whatever the arithmetic, so a 700-row table took seconds per fit and the
 * automatic choice fits the MLP up to eight times. The loops do the same arithmetic in
 * microseconds and give the same model for the same seed on every device. A network with wider
 * layers trains on the tfjs backend (see `engine.ts`).
 */
export async function fitDense(
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks = {}
): Promise<DenseFit> {
	const output = outputOf(task, data.classes);
	const count = spec.kind === 'mlp' ? (spec.seeds ?? 1) : 1;
	const rows = spec.inputNoise > 0 ? sparseRows(0, 0) : sparseOf(data.x, data.inputs);
	const members = Array.from({ length: count }, (_, m) => new Member(data, rows, spec, task, m));
	const merged = (): DenseWeights[] =>
		count === 1 ? members[0]!.layers : mergeNets(members.map((m) => m.layers));
	const widths = [data.inputs, ...merged().map((w) => w.bias.length)];
	const judge = new Network(widths, spec, output.activation, VALIDATION_BLOCK);
	const validation = validationBlocks(data, VALIDATION_BLOCK);
	const clock = { last: performance.now() };
	const history: EpochLog[] = [];
	let best = Infinity;
	let bestEpoch = 0;
	let bestLayers: DenseWeights[] | null = null;
	let stoppedEarly = false;
	for (let epoch = 1; epoch <= spec.epochs; epoch++) {
		const started = performance.now();
		let loss = 0;
		for (const member of members) loss += (await member.epoch(hooks, clock)) / count;
		if (!Number.isFinite(loss))
			throw new DriftwoodError(
				`The loss became ${loss} at epoch ${epoch}: lower the learning rate, or check the features for extreme values.`,
				'diverged'
			);
		const penalty = members.reduce((sum, m) => sum + m.penalty(), 0) / count;
		const now = merged();
		const valLoss = data.yVal.length
			? evaluateLoss(judge, now, validation, data.yVal) + penalty
			: null;
		const monitored = valLoss ?? loss;
		if (monitored < best - 1e-7) {
			best = monitored;
			bestEpoch = epoch;
			bestLayers = now.map((w) => ({ kernel: w.kernel.slice(), bias: w.bias.slice() }));
		}
		history.push({
			epoch,
			loss,
			valLoss,
			seconds: (performance.now() - started) / 1000,
			tensors: 0
		});
		hooks.onEpoch?.(history[history.length - 1]!);
		if (spec.patience > 0 && epoch - bestEpoch >= spec.patience) {
			stoppedEarly = epoch < spec.epochs;
			break;
		}
	}
	return { layers: bestLayers ?? merged(), history, bestEpoch, stoppedEarly };
}

/** Rows per block when the validation loss is computed. */
const VALIDATION_BLOCK = 256;

/** One network training: its weights, Adam's moments, its own seeded streams. */
class Member {
	readonly layers: DenseWeights[];
	private readonly net: Network;
	private readonly adam: { m: Float64Array[]; v: Float64Array[] }[];
	private readonly grads: DenseWeights[];
	private readonly random: () => number;
	private readonly order: Int32Array;
	private readonly batch: SparseRows;
	private readonly classWeight: Float64Array | null;
	private readonly cumulative: Float64Array | null;
	private step = 0;
	/**
	 * Σ kernel² of the current weights, for the L2 term: kept by the Adam step as it writes each
	 * weight (in the same order a fresh sum would add them), not summed again for every batch.
	 */
	private squares = 0;

	constructor(
		private readonly data: FitData,
		/** The training rows' non-zero cells (shared by the members). */
		private readonly rows: SparseRows,
		private readonly spec: NeuralSpec,
		task: Task,
		index: number
	) {
		const output = outputOf(task, data.classes);
		const widths = [data.inputs, ...(spec.kind === 'mlp' ? spec.hidden : []), output.units];
		// Member 0 draws exactly what a single network of this seed draws.
		const seed = spec.seed + index * 1_000_003;
		this.random = seededRandom(seed ^ 0x5eed);
		const initRandom = seededRandom(seed);
		this.layers = widths
			.slice(1)
			.map((units, l) =>
				initialLayer(widths[l]!, units, l < widths.length - 2 ? spec.activation : null, initRandom)
			);
		this.net = new Network(widths, spec, output.activation, spec.batchSize);
		this.adam = this.layers.map((w) => ({
			m: [new Float64Array(w.kernel.length), new Float64Array(w.bias.length)],
			v: [new Float64Array(w.kernel.length), new Float64Array(w.bias.length)]
		}));
		this.grads = this.layers.map((w) => ({
			kernel: new Float64Array(w.kernel.length),
			bias: new Float64Array(w.bias.length)
		}));
		this.classWeight =
			spec.classWeights === 'balanced' && task !== 'regression'
				? balancedWeights(data.y, data.classes)
				: null;
		this.cumulative = data.rowWeights ? cumulativeOf(data.rowWeights) : null;
		this.order = Int32Array.from({ length: data.y.length }, (_, i) => i);
		this.batch = sparseRows(spec.batchSize, spec.batchSize * data.inputs);
		for (const w of this.layers) for (const v of w.kernel) this.squares += v * v;
	}

	/** One epoch of mini-batches; its mean training loss (with the L2 term). */
	async epoch(hooks: TrainHooks, clock: { last: number }): Promise<number> {
		const { data, spec, order, batch, random, layers, rows: all } = this;
		const d = data.inputs;
		const n = data.y.length;
		if (this.cumulative) drawWeighted(this.cumulative, order, random);
		else shuffleInPlace(order, random);
		let lossSum = 0;
		for (let from = 0; from < n; from += spec.batchSize) {
			const rows = Math.min(spec.batchSize, n - from);
			// The batch's rows as (feature, value) pairs: only the non-zero cells, unless input
			// noise makes every cell non-zero.
			let at = 0;
			for (let b = 0; b < rows; b++) {
				const r = order[from + b]!;
				batch.start[b] = at;
				if (spec.inputNoise > 0) {
					for (let j = 0; j < d; j++) {
						batch.index[at] = j;
						batch.value[at++] = data.x[r * d + j]! + spec.inputNoise * gaussian(random);
					}
				} else {
					for (let p = all.start[r]!; p < all.start[r + 1]!; p++) {
						batch.index[at] = all.index[p]!;
						batch.value[at++] = all.value[p]!;
					}
				}
			}
			batch.start[rows] = at;
			const targets = (b: number) => data.y[order[from + b]!]!;
			const classWeight = this.classWeight;
			const weightOf = classWeight ? (b: number) => classWeight[targets(b)]! : () => 1;
			this.net.forward(layers, batch, rows, random);
			const loss = this.net.backward(layers, this.grads, batch, rows, targets, weightOf);
			lossSum += rows * (loss + this.penalty());
			this.step++;
			let squares = 0;
			for (let l = 0; l < layers.length; l++) {
				const g = this.grads[l]!;
				const w = layers[l]!;
				const { m, v } = this.adam[l]!;
				squares = adamStep(
					w.kernel,
					g.kernel,
					m[0]!,
					v[0]!,
					spec.learningRate,
					this.step,
					2 * spec.l2,
					squares
				);
				adamStep(w.bias, g.bias, m[1]!, v[1]!, spec.learningRate, this.step, 0, 0);
			}
			this.squares = squares;
			if (hooks.yieldToEvents && performance.now() - clock.last >= YIELD_MS) {
				await hooks.yieldToEvents();
				clock.last = performance.now();
			}
			if (hooks.isCancelled?.()) throw new CancelledError();
		}
		return lossSum / Math.max(1, n);
	}

	/** The L2 term: l2 · Σ kernel². */
	penalty(): number {
		return this.spec.l2 === 0 ? 0 : this.spec.l2 * this.squares;
	}
}

/**
 * The mean weighted loss (without the L2 term) of `layers` on rows `x` (n × inputs) and its
 * gradients, without dropout: what one training step computes, for checking the arithmetic.
 */
export function denseLossAndGradients(
	layers: DenseWeights[],
	spec: NeuralSpec,
	task: Task,
	classes: number,
	x: Float64Array,
	y: ArrayLike<number>,
	weights?: ArrayLike<number>
): { loss: number; gradients: DenseWeights[] } {
	const output = outputOf(task, classes);
	const widths = [
		layers[0]!.kernel.length / layers[0]!.bias.length,
		...layers.map((w) => w.bias.length)
	];
	const net = new Network(widths, spec, output.activation, y.length);
	const gradients = layers.map((w) => ({
		kernel: new Float64Array(w.kernel.length),
		bias: new Float64Array(w.bias.length)
	}));
	const rows = sparseOf(x, widths[0]!);
	net.forward(layers, rows, y.length, null);
	const loss = net.backward(
		layers,
		gradients,
		rows,
		y.length,
		(b) => y[b]!,
		(b) => (weights ? weights[b]! : 1)
	);
	return { loss, gradients };
}

/** tfjs's initialisers as `buildModel` sets them: He normal for relu layers, else Glorot uniform; zero bias. */
function initialLayer(
	inputs: number,
	units: number,
	activation: Activation | null,
	random: () => number
): DenseWeights {
	const kernel = new Float64Array(inputs * units);
	if (activation === 'relu') {
		// A truncated normal (redrawn beyond two standard deviations) with variance 2 / fan-in.
		const std = Math.sqrt(2 / inputs);
		for (let i = 0; i < kernel.length; i++) {
			let z = gaussian(random);
			while (Math.abs(z) > 2) z = gaussian(random);
			kernel[i] = z * std;
		}
	} else {
		const limit = Math.sqrt(6 / (inputs + units));
		for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * random() - 1) * limit;
	}
	return { kernel, bias: new Float64Array(units) };
}

/** The mean loss (no dropout, no weights) of the current layers on the validation rows. */
function evaluateLoss(
	net: Network,
	layers: DenseWeights[],
	blocks: SparseRows[],
	y: Float32Array
): number {
	let sum = 0;
	blocks.forEach((rows, i) => {
		const count = rows.start.length - 1;
		net.forward(layers, rows, count, null);
		for (let b = 0; b < count; b++) sum += net.rowLoss(b, y[i * net.batch + b]!);
	});
	return sum / Math.max(1, y.length);
}

/** The validation rows' non-zero cells, in blocks of `block` rows (computed once per fit). */
function validationBlocks(data: FitData, block: number): SparseRows[] {
	const d = data.inputs;
	const m = data.yVal.length;
	const out: SparseRows[] = [];
	for (let from = 0; from < m; from += block)
		out.push(sparseOf(data.xVal.subarray(from * d, Math.min(m, from + block) * d), d));
	return out;
}

/** Adam's update with bias correction, as tfjs applies it. */
function adamStep(
	w: Float64Array,
	g: Float64Array,
	m: Float64Array,
	v: Float64Array,
	rate: number,
	step: number,
	/** The L2 term's gradient factor (2 · l2 for kernels), added to g here: one pass, not two. */
	decay: number,
	/** A running Σ w² the new weights are added to (returned): the L2 term's sum, for free. */
	squares: number
): number {
	const lr = rate / (1 - BETA1 ** step);
	const c2 = 1 / (1 - BETA2 ** step);
	for (let i = 0; i < w.length; i++) {
		const wi = w[i]!;
		const gi = g[i]! + decay * wi;
		const mi = BETA1 * m[i]! + (1 - BETA1) * gi;
		const vi = BETA2 * v[i]! + (1 - BETA2) * gi * gi;
		m[i] = mi;
		v[i] = vi;
		const next = wi - (lr * mi) / (Math.sqrt(vi * c2) + EPSILON);
		w[i] = next;
		squares += next * next;
	}
	return squares;
}

/** Forward and backward passes over one batch, with the activations kept between them. */
class Network {
	/** Per layer l ≥ 1: the activations (batch × width), after dropout for hidden layers. */
	private readonly act: Float64Array[];
	/** Per hidden layer: the dropout scale of each unit (0 or 1 / (1 − rate)). */
	private readonly mask: Float64Array[];
	private readonly delta: Float64Array[];

	constructor(
		private readonly widths: number[],
		private readonly spec: NeuralSpec,
		private readonly out: 'sigmoid' | 'softmax' | 'linear',
		readonly batch: number
	) {
		this.act = widths.map((w) => new Float64Array(batch * w));
		this.mask = widths.map((w) => new Float64Array(batch * w));
		this.delta = widths.map((w) => new Float64Array(batch * w));
	}

	/** The outputs of `rows` rows of `x`; dropout when `random` is given (training). */
	forward(layers: DenseWeights[], x: SparseRows, rows: number, random: (() => number) | null) {
		const last = layers.length - 1;
		for (let l = 0; l <= last; l++) {
			const inW = this.widths[l]!;
			const outW = this.widths[l + 1]!;
			const out = this.act[l + 1]!;
			const { kernel, bias } = layers[l]!;
			if (l === 0) sparseAffine(x, kernel, bias, out, outW, rows);
			else affine(this.act[l]!, inW, kernel, bias, out, outW, rows);
			for (let b = 0; b < rows; b++) {
				const o = b * outW;
				if (l < last) {
					hidden(out, this.mask[l + 1]!, o, outW, this.spec, random);
				} else {
					activateRow(out, o, outW, this.out);
				}
			}
		}
	}

	/** Row b's loss against its target (a class index, or the scaled value). */
	rowLoss(b: number, y: number): number {
		const outW = this.widths[this.widths.length - 1]!;
		const out = this.act[this.act.length - 1]!;
		if (this.out === 'linear') return (out[b]! - y) ** 2;
		const clip = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));
		if (this.out === 'sigmoid') {
			const p = clip(out[b]!);
			return -(y === 1 ? Math.log(p) : Math.log(1 - p));
		}
		return -Math.log(clip(out[b * outW + y]!));
	}

	/**
	 * The batch's mean weighted loss (without the L2 term), and its gradients written into
	 * `grads` (the L2 term is the caller's). Expects `forward` with dropout just before.
	 */
	backward(
		layers: DenseWeights[],
		grads: DenseWeights[],
		x: SparseRows,
		rows: number,
		target: (b: number) => number,
		weight: (b: number) => number
	): number {
		const last = layers.length - 1;
		const outW = this.widths[last + 1]!;
		const out = this.act[last + 1]!;
		const top = this.delta[last + 1]!;
		let loss = 0;
		for (let b = 0; b < rows; b++) {
			const y = target(b);
			const w = weight(b) / rows;
			loss += w * this.rowLoss(b, y);
			// ∂loss/∂logit: p − y for sigmoid / softmax with cross-entropy, 2(p − y) for squared error.
			if (this.out === 'linear') top[b] = 2 * w * (out[b]! - y);
			else if (this.out === 'sigmoid') top[b] = w * (out[b]! - y);
			else
				for (let j = 0; j < outW; j++)
					top[b * outW + j] = w * (out[b * outW + j]! - (j === y ? 1 : 0));
		}
		for (let l = last; l >= 0; l--) {
			const inW = this.widths[l]!;
			const oW = this.widths[l + 1]!;
			const dOut = this.delta[l + 1]!;
			const { kernel } = layers[l]!;
			const g = grads[l]!;
			if (l === 0) {
				sparseGradients(x, dOut, oW, rows, g.kernel, g.bias);
				continue;
			}
			const input = this.act[l]!;
			gradients(input, inW, dOut, oW, rows, g.kernel, g.bias);
			const dIn = this.delta[l]!;
			const mask = this.mask[l]!;
			backprop(kernel, dOut, oW, inW, rows, dIn);
			// Through the dropout scale and the activation of hidden layer l (from its output).
			if (this.spec.activation === 'relu')
				// relu's derivative is 1 where the output is positive: input / scale > 0 exactly when
				// input > 0 (a kept unit's scale is positive), so no division.
				for (let i = 0; i < rows * inW; i++) {
					const scale = mask[i]!;
					dIn[i] = scale === 0 ? 0 : dIn[i]! * scale * (input[i]! > 0 ? 1 : 0);
				}
			else
				for (let i = 0; i < rows * inW; i++) {
					const scale = mask[i]!;
					dIn[i] =
						scale === 0 ? 0 : dIn[i]! * scale * derivative(input[i]! / scale, this.spec.activation);
				}
		}
		return loss;
	}
}

/**
 * A hidden layer's row `o … o + width`: the activation, then inverted dropout when training
 * (`random` given), the scale of each unit kept in `mask` for the backward pass.
 */
function hidden(
	out: Float64Array,
	mask: Float64Array,
	o: number,
	width: number,
	spec: NeuralSpec,
	random: (() => number) | null
): void {
	activateRow(out, o, width, spec.activation);
	if (!random || spec.dropout === 0) {
		mask.fill(1, o, o + width);
		return;
	}
	const keep = 1 - spec.dropout;
	for (let j = o; j < o + width; j++) {
		const scale = random() < keep ? 1 / keep : 0;
		mask[j] = scale;
		out[j]! *= scale;
	}
}

/** out = x · kernel + bias for `rows` sparse rows. */
function sparseAffine(
	x: SparseRows,
	kernel: Float64Array,
	bias: Float64Array,
	out: Float64Array,
	outW: number,
	rows: number
): void {
	const { start, index, value } = x;
	for (let b = 0; b < rows; b++) {
		const o = b * outW;
		const from = start[b]!;
		const to = start[b + 1]!;
		// Four units at a time, their sums in registers: each unit's sum adds the same terms in the
		// same order as one unit at a time would (bias, then the row's cells in order).
		let j = 0;
		for (; j + 3 < outW; j += 4) {
			let s0 = bias[j]!;
			let s1 = bias[j + 1]!;
			let s2 = bias[j + 2]!;
			let s3 = bias[j + 3]!;
			for (let p = from; p < to; p++) {
				const v = value[p]!;
				const k = index[p]! * outW + j;
				s0 += v * kernel[k]!;
				s1 += v * kernel[k + 1]!;
				s2 += v * kernel[k + 2]!;
				s3 += v * kernel[k + 3]!;
			}
			out[o + j] = s0;
			out[o + j + 1] = s1;
			out[o + j + 2] = s2;
			out[o + j + 3] = s3;
		}
		for (; j < outW; j++) {
			let sum = bias[j]!;
			for (let p = from; p < to; p++) sum += value[p]! * kernel[index[p]! * outW + j]!;
			out[o + j] = sum;
		}
	}
}

/** The first layer's gradients from sparse rows: xᵀ · dOut and the column sums of dOut. */
function sparseGradients(
	x: SparseRows,
	dOut: Float64Array,
	outW: number,
	rows: number,
	gKernel: Float64Array,
	gBias: Float64Array
): void {
	gKernel.fill(0);
	gBias.fill(0);
	const { start, index, value } = x;
	for (let b = 0; b < rows; b++) {
		const o = b * outW;
		const from = start[b]!;
		const to = start[b + 1]!;
		for (let j = 0; j < outW; j++) gBias[j]! += dOut[o + j]!;
		// Four units' deltas held in registers across the row's cells; each gradient still adds
		// the rows in order, one term per row, as one unit at a time would.
		let j = 0;
		for (; j + 3 < outW; j += 4) {
			const d0 = dOut[o + j]!;
			const d1 = dOut[o + j + 1]!;
			const d2 = dOut[o + j + 2]!;
			const d3 = dOut[o + j + 3]!;
			for (let p = from; p < to; p++) {
				const v = value[p]!;
				const k = index[p]! * outW + j;
				gKernel[k]! += v * d0;
				gKernel[k + 1]! += v * d1;
				gKernel[k + 2]! += v * d2;
				gKernel[k + 3]! += v * d3;
			}
		}
		for (; j < outW; j++) {
			const dj = dOut[o + j]!;
			for (let p = from; p < to; p++) gKernel[index[p]! * outW + j]! += value[p]! * dj;
		}
	}
}

/** The kernel's and bias's gradients: inputᵀ · dOut and the column sums of dOut. */
function gradients(
	input: Float64Array,
	inW: number,
	dOut: Float64Array,
	outW: number,
	rows: number,
	gKernel: Float64Array,
	gBias: Float64Array
): void {
	gKernel.fill(0);
	gBias.fill(0);
	for (let b = 0; b < rows; b++) {
		const o = b * outW;
		for (let j = 0; j < outW; j++) gBias[j]! += dOut[o + j]!;
		for (let i = 0; i < inW; i++) {
			const v = input[b * inW + i]!;
			if (v === 0) continue;
			const k = i * outW;
			for (let j = 0; j < outW; j++) gKernel[k + j]! += v * dOut[o + j]!;
		}
	}
}

/** dIn = dOut · kernelᵀ. */
function backprop(
	kernel: Float64Array,
	dOut: Float64Array,
	outW: number,
	inW: number,
	rows: number,
	dIn: Float64Array
): void {
	for (let b = 0; b < rows; b++) {
		const o = b * outW;
		for (let i = 0; i < inW; i++) {
			const k = i * outW;
			let sum = 0;
			for (let j = 0; j < outW; j++) sum += kernel[k + j]! * dOut[o + j]!;
			dIn[b * inW + i] = sum;
		}
	}
}

/** The activation's derivative, from its output `a` (each of the four is monotone). */
function derivative(a: number, activation: Activation): number {
	switch (activation) {
		case 'relu':
			return a > 0 ? 1 : 0;
		case 'tanh':
			return 1 - a * a;
		case 'elu':
			return a > 0 ? 1 : a + 1;
		case 'selu':
			return a > 0 ? SELU_SCALE : a + SELU_SCALE * SELU_ALPHA;
	}
}

/** Running sums of the weights (the last is their total). */
export function cumulativeOf(weights: Float32Array): Float64Array {
	const out = new Float64Array(weights.length);
	let sum = 0;
	weights.forEach((w, i) => (out[i] = sum += Math.max(0, w)));
	return out;
}

/** Fills `order` with row indices drawn with replacement, each in proportion to its weight. */
export function drawWeighted(
	cumulative: Float64Array,
	order: Int32Array,
	random: () => number
): void {
	const total = cumulative[cumulative.length - 1]!;
	for (let i = 0; i < order.length; i++) {
		const u = random() * total;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cumulative[mid]! > u) hi = mid;
			else lo = mid + 1;
		}
		order[i] = lo;
	}
}
