import { featureColumns } from '../../recipe/transform';
import type { FittedRecipe } from '../../recipe/types';
import { DriftwoodError } from '../../errors';
import type { TrainedModel } from '../family';
import type { Task } from '../task';
import { sampledContributions, type GroupContributions } from './sampled';
import { applyProbabilityMap, type ProbabilityMap } from '../../calibration/probabilities';

/** One row explained: its raw output(s), the expected output(s) and each input column's share. */
export interface RowExplanation {
	/** 1-based row of the table. */
	row: number;
	/**
	 * What is explained, per output: the regression value (target units), the log-odds of the
	 * positive class (binary), or each class's raw score (multiclass, before the softmax).
	 */
	output: number[];
	/** The expected output over the training rows, per output. */
	base: number[];
	/** Per input column, its contribution per output; `base + Σ contributions = output`. */
	contributions: Record<string, number[]>;
	/** Estimates only: each contribution's standard error. */
	errors?: Record<string, number[]>;
}

export interface MatrixExplanations {
	/** What each output is: 'value', the positive class's log-odds, or a class's raw score. */
	outputs: string[];
	/** How the contributions were computed, in words (exact, or an estimate and its samples). */
	method: string;
	/** True when the values are estimates: each row then carries their standard errors. */
	estimated: boolean;
	rows: RowExplanation[];
}

/** Sampled orders per row for a model explained by sampling. */
const SAMPLES = 64;

/** What a model is explained with: the model, its recipe and task, and its background rows. */
export interface ExplainSubject {
	model: TrainedModel;
	recipe: FittedRecipe;
	task: Task;
	labels: string[];
	targetScale: { center: number; scale: number } | null;
	/** The background rows through the recipe (read only for a model explained by sampling). */
	background: () => Float32Array;
	/**
	 * A calibrated classifier's map: its own output is explained. Its probabilities are
	 * softmax(a · log p + b) of the model's; on the explained scale (the log-odds, a class's raw
	 * score or log-probability — softmax ignores a shift shared by every class) that is
	 * a · output + b, so every contribution scales by a and the base becomes a · base + b, exactly.
	 */
	map?: ProbabilityMap | null;
}

/** Background rows a network or an ensemble is explained against (evenly spaced). */
export const BACKGROUND_ROWS = 100;

/** Evenly spaced picks of `count` of `rows` (all of them when fewer). */
export function spaced(rows: Int32Array, count: number): Int32Array {
	if (rows.length <= count) return rows;
	const step = rows.length / count;
	return Int32Array.from({ length: count }, (_, i) => rows[Math.floor(i * step)]!);
}

/** `explainTable` on rows already through the recipe (`n` rows of `x`). */
export async function explainMatrix(
	subject: ExplainSubject,
	x: Float32Array,
	n: number
): Promise<MatrixExplanations> {
	const { model, task, labels } = subject;
	const columns = featureColumns(subject.recipe);
	const names = [...new Set(columns)];
	const inputs = columns.length;
	const scale = task === 'regression' ? (subject.targetScale ?? { center: 0, scale: 1 }) : null;
	let found: GroupContributions;
	let method: string;
	let logProbabilities = false;
	if (model.contributions) {
		const { outputs, base, phi } = model.contributions(x);
		const at = columns.map((c) => names.indexOf(c));
		const grouped = new Float64Array(n * outputs * names.length);
		for (let r = 0; r < n * outputs; r++)
			for (let j = 0; j < inputs; j++) grouped[r * names.length + at[j]!]! += phi[r * inputs + j]!;
		found = { outputs, base, phi: grouped, error: new Float64Array(grouped.length) };
		method = 'exact: path-dependent TreeSHAP over the trees’ training rows per node';
	} else {
		const background = subject.background();
		const outputs = task === 'multiclass' ? labels.length : 1;
		logProbabilities = !model.rawOutputs;
		const f = model.rawOutputs
			? (m: Float32Array) => model.rawOutputs!(m)
			: (m: Float32Array) => outputsOfProbabilities(model.predict(m), task, outputs);
		const exact = model.family === 'linear';
		const groups = names.map((name) => columns.flatMap((c, j) => (c === name ? [j] : [])));
		found = await sampledContributions(f, outputs, x, inputs, groups, background, {
			samples: SAMPLES,
			seed: 42,
			exact
		});
		const m = background.length / inputs;
		method = exact
			? `exact: a linear model's values against ${m} of its training rows`
			: `estimate: ${SAMPLES} sampled orders of the columns per row against ${m} of the model's training rows (each value with its standard error)`;
	}
	const { outputs, base, phi, error } = found;
	// Each output is gain · (model's output) + shift: a regression's target scale, a calibrated
	// classifier's map (binary: one output, the log-odds, shifted by b₁ − b₀), else as it is.
	const map = task === 'regression' ? null : (subject.map ?? null);
	const gain = scale ? scale.scale : map ? map.scale : 1;
	const shift = (k: number) =>
		scale
			? scale.center
			: !map
				? 0
				: task === 'binary'
					? map.bias[1]! - map.bias[0]!
					: map.bias[k]!;
	const baseOut = Array.from(base, (b, k) => b * gain + shift(k));
	const estimated = error.some((e) => e > 0);
	const rows: RowExplanation[] = [];
	const g = names.length;
	// One row's values per column and output (plain loops: this runs for every row of a file).
	const per = (source: Float64Array, i: number, unit: number) => {
		const out: Record<string, number[]> = {};
		for (let c = 0; c < g; c++) {
			const values = new Array<number>(outputs);
			for (let k = 0; k < outputs; k++) values[k] = source[(i * outputs + k) * g + c]! * unit;
			out[names[c]!] = values;
		}
		return out;
	};
	for (let i = 0; i < n; i++) {
		const contributions = per(phi, i, gain);
		const output = baseOut.slice();
		for (let c = 0; c < g; c++) {
			const values = contributions[names[c]!]!;
			for (let k = 0; k < outputs; k++) output[k]! += values[k]!;
		}
		rows.push({
			row: i + 1,
			output,
			base: baseOut,
			contributions,
			...(estimated ? { errors: per(error, i, Math.abs(gain)) } : {})
		});
	}
	// The guard, against what the deployed model says (its calibrated probabilities, if calibrated).
	const predicted = await model.predict(x);
	assertAdditive(
		rows,
		task,
		map ? applyProbabilityMap(map, predicted, labels.length) : predicted,
		scale
	);
	const name = logProbabilities ? 'log-probability' : 'raw score';
	return {
		outputs:
			task === 'regression'
				? ['value']
				: task === 'binary'
					? [`log-odds of ${labels[1]}`]
					: labels.map((l) => `${name} of ${l}`),
		method,
		estimated,
		rows
	};
}

/** A model's probabilities as the outputs explained: the log-odds (binary), log-probabilities, or the value. */
async function outputsOfProbabilities(
	predicted: Promise<Float64Array>,
	task: string,
	outputs: number
): Promise<Float64Array> {
	const p = await predicted;
	const clip = (v: number) => Math.min(1 - 1e-15, Math.max(1e-15, v));
	if (task === 'regression') return p;
	const n = p.length / (task === 'binary' ? 2 : outputs);
	if (task === 'binary')
		return Float64Array.from({ length: n }, (_, i) => {
			const q = clip(p[i * 2 + 1]!);
			return Math.log(q / (1 - q));
		});
	return p.map((v) => Math.log(clip(v)));
}

/**
 * The guard against a silently wrong explanation: each row's `base + Σ contributions` must be
 * what the model predicts — the value, or the probabilities its log-odds / raw scores give.
 */
function assertAdditive(
	rows: RowExplanation[],
	task: string,
	predicted: Float64Array,
	scale: { center: number; scale: number } | null
): void {
	for (const r of rows) {
		const i = r.row - 1;
		let expected: number[];
		let got: number[];
		if (task === 'regression') {
			expected = [predicted[i]! * scale!.scale + scale!.center];
			got = r.output;
		} else if (task === 'binary') {
			expected = [predicted[i * 2 + 1]!];
			got = [1 / (1 + Math.exp(-r.output[0]!))];
		} else {
			const k = r.output.length;
			const max = Math.max(...r.output);
			const e = r.output.map((v) => Math.exp(v - max));
			const sum = e.reduce((a, b) => a + b, 0);
			expected = Array.from({ length: k }, (_, c) => predicted[i * k + c]!);
			got = e.map((v) => v / sum);
		}
		got.forEach((v, k) => {
			const tolerance = 1e-6 * Math.max(1, Math.abs(expected[k]!), scale ? scale.scale : 1);
			if (!(Math.abs(v - expected[k]!) <= tolerance))
				throw new DriftwoodError(
					`Row ${r.row}'s contributions add up to ${v}, but the model predicts ${expected[k]}: the explanation is wrong and is not shown.`,
					'explain'
				);
		});
	}
}
