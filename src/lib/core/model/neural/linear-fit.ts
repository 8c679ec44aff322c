import { CancelledError, YIELD_MS, type EpochLog, type FitData, type TrainHooks } from '../family';
import type { NeuralSpec } from '../spec';
import type { Task } from '../task';
import { balancedWeights } from '../weights';
import { minimize } from './lbfgs';
import { sparseOf, type SparseRows } from './sparse';

/** The exact weights of a linear model: kernel d × k (row-major) and bias k. */
export interface LinearWeights {
	kernel: Float64Array;
	bias: Float64Array;
	history: EpochLog[];
	iterations: number;
}

/**
 * Fits linear, logistic or softmax regression exactly: the minimum of the mean (class-weighted)
 * loss + l2 · ‖kernel‖² — the objective the tfjs model would be trained on (its L2 regulariser
 * leaves the bias alone) — by L-BFGS in float64, `spec.epochs` iterations at most. Convex, so the
 * result depends on neither seed nor learning rate, and no early stopping is needed: the
 * validation loss is recorded per iteration for the curve only.
 */
export async function fitLinearExact(
	data: FitData,
	spec: NeuralSpec,
	task: Task,
	hooks: TrainHooks = {}
): Promise<LinearWeights> {
	const d = data.inputs;
	const k = task === 'multiclass' ? data.classes : 1;
	const rowWeights = rowWeightsOf(data.y, spec, task, data.classes, data.rowWeights);
	const objective = (
		x: Float32Array,
		y: Float32Array,
		weights: Float64Array | null,
		l2: number
	) => {
		// Only the non-zero cells: one-hot blocks make most of them zero.
		const rows = sparseOf(x, d);
		return (w: Float64Array) => lossAndGradient(w, rows, y, weights, d, k, task, l2);
	};
	const train = objective(data.x, data.y, rowWeights, spec.l2);
	const validation = data.yVal.length ? objective(data.xVal, data.yVal, null, 0) : null;
	const history: EpochLog[] = [];
	const t0 = performance.now();
	let lastYield = t0;
	let cancelled = false;
	const start = new Float64Array(d * k + k);
	const result = await minimize(train, start, {
		maxIterations: spec.epochs,
		onIteration: async (iteration, value, w) => {
			history.push({
				epoch: iteration,
				loss: value,
				valLoss: validation ? validation(w).value : null,
				seconds: (performance.now() - t0) / 1000,
				tensors: 0
			});
			hooks.onEpoch?.(history[history.length - 1]!);
			if (hooks.yieldToEvents && performance.now() - lastYield >= YIELD_MS) {
				await hooks.yieldToEvents();
				lastYield = performance.now();
			}
			cancelled = hooks.isCancelled?.() ?? false;
			return !cancelled;
		}
	});
	if (cancelled) throw new CancelledError();
	return {
		kernel: result.w.slice(0, d * k),
		bias: result.w.slice(d * k),
		history,
		iterations: Math.max(1, result.iterations)
	};
}

/** Per row: the class weight ('balanced') times the row's own weight (recency), or null. */
function rowWeightsOf(
	y: Float32Array,
	spec: NeuralSpec,
	task: Task,
	classes: number,
	own: Float32Array | undefined
): Float64Array | null {
	const byClass =
		spec.classWeights === 'balanced' && task !== 'regression' ? balancedWeights(y, classes) : null;
	if (!byClass && !own) return null;
	return Float64Array.from(y, (c, i) => (byClass ? byClass[c]! : 1) * (own ? own[i]! : 1));
}

/** Mean loss + l2‖kernel‖² and its gradient; w = kernel (d × k, row-major) then bias (k). */
function lossAndGradient(
	w: Float64Array,
	x: SparseRows,
	y: Float32Array,
	weights: Float64Array | null,
	d: number,
	k: number,
	task: Task,
	l2: number
): { value: number; gradient: Float64Array } {
	const n = y.length;
	const gradient = new Float64Array(w.length);
	const z = new Float64Array(k);
	let total = 0;
	const eps = 1e-7;
	for (let i = 0; i < n; i++) {
		const [from, to] = [x.start[i]!, x.start[i + 1]!];
		for (let c = 0; c < k; c++) z[c] = w[d * k + c]!;
		for (let p = from; p < to; p++) {
			const v = x.value[p]!;
			const j = x.index[p]! * k;
			for (let c = 0; c < k; c++) z[c]! += v * w[j + c]!;
		}
		const weight = weights ? weights[i]! : 1;
		// dz = ∂loss/∂z per output, then spread over the row's features.
		if (task === 'regression') {
			const r = z[0]! - y[i]!;
			total += weight * r * r;
			z[0] = 2 * weight * r;
		} else if (task === 'binary') {
			const p = 1 / (1 + Math.exp(-z[0]!));
			const pc = Math.min(1 - eps, Math.max(eps, p));
			total -= weight * (y[i]! === 1 ? Math.log(pc) : Math.log(1 - pc));
			z[0] = weight * (p - y[i]!);
		} else {
			let max = -Infinity;
			for (let c = 0; c < k; c++) max = Math.max(max, z[c]!);
			let sum = 0;
			for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - max);
			const label = y[i]!;
			total -= weight * Math.max(Math.log(eps), z[label]! - max - Math.log(sum));
			for (let c = 0; c < k; c++)
				z[c] = weight * (Math.exp(z[c]! - max) / sum - (c === label ? 1 : 0));
		}
		for (let c = 0; c < k; c++) gradient[d * k + c]! += z[c]!;
		for (let p = from; p < to; p++) {
			const v = x.value[p]!;
			const j = x.index[p]! * k;
			for (let c = 0; c < k; c++) gradient[j + c]! += v * z[c]!;
		}
	}
	let penalty = 0;
	for (let j = 0; j < d * k; j++) penalty += w[j]! * w[j]!;
	for (let j = 0; j < w.length; j++) gradient[j]! /= n || 1;
	for (let j = 0; j < d * k; j++) gradient[j]! += 2 * l2 * w[j]!;
	return { value: total / (n || 1) + l2 * penalty, gradient };
}
