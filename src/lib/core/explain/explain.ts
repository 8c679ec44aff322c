import type { LoadedModel } from '../bundle/predict';
import { enforceSchema, type CellProblem } from '../bundle/enforce';
import { featureColumns, transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { DriftwoodError } from '../errors';
import { referenceTable } from '../bundle/reference';
import { sampledContributions, type GroupContributions } from './sampled';

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

export interface Explanations {
	/** What each output is: 'value', the positive class's log-odds, or a class's raw score. */
	outputs: string[];
	/** How the contributions were computed, in words (exact, or an estimate and its samples). */
	method: string;
	/** True when the values are estimates: each row then carries their standard errors. */
	estimated: boolean;
	rows: RowExplanation[];
	problems: CellProblem[];
}

/** Background rows a network or an ensemble is explained against (evenly spaced in the sample). */
const BACKGROUND_ROWS = 100;
/** Sampled orders per row for a model explained by sampling. */
const SAMPLES = 64;

/**
 * Each input column's contribution to each row's output, the recipe's derived features — one-hot
 * blocks, date parts, missing flags — summed back to the column they came from, a regression's in
 * target units. Trees: exact path-dependent TreeSHAP. A linear model: exact interventional values
 * against the bundle's reference rows (its logits are linear in its inputs). An MLP or an
 * ensemble: sampled permutations against those rows, each value with its standard error. In every
 * case `base + Σ contributions = output`, checked on every row and output against the model's
 * own prediction before anything is returned.
 */
export async function explainTable(loaded: LoadedModel, table: Table): Promise<Explanations> {
	const { manifest, model } = loaded;
	const enforced = enforceSchema(manifest.schema, table);
	const x = transformTable(manifest.recipe, enforced.table);
	const columns = featureColumns(manifest.recipe);
	const names = [...new Set(columns)];
	const inputs = columns.length;
	const task = manifest.model.task;
	const labels = manifest.model.labels;
	const scale = task === 'regression' ? (manifest.targetScale ?? { center: 0, scale: 1 }) : null;
	const n = table.rowCount;
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
		const background = backgroundOf(loaded);
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
	const unit = scale ? scale.scale : 1;
	const baseOut = Array.from(base, (b) => (scale ? b * scale.scale + scale.center : b));
	const estimated = error.some((e) => e > 0);
	const rows: RowExplanation[] = [];
	for (let i = 0; i < n; i++) {
		const per = (source: Float64Array) =>
			Object.fromEntries(
				names.map((name, c) => [
					name,
					Array.from(
						{ length: outputs },
						(_, k) => source[(i * outputs + k) * names.length + c]! * unit
					)
				])
			);
		const contributions = per(phi);
		const output = baseOut.map((b, k) =>
			Object.values(contributions).reduce((sum, v) => sum + v[k]!, b)
		);
		rows.push({
			row: i + 1,
			output,
			base: baseOut,
			contributions,
			...(estimated ? { errors: per(error) } : {})
		});
	}
	assertAdditive(rows, task, await model.predict(x), scale);
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
		rows,
		problems: enforced.problems
	};
}

/** Up to BACKGROUND_ROWS of the bundle's reference rows, through the recipe. */
function backgroundOf(loaded: LoadedModel): Float32Array {
	const { manifest } = loaded;
	const table = referenceTable(loaded);
	if (!table || table.rowCount === 0)
		throw new DriftwoodError(
			'This model version holds no reference rows (it was registered before they were kept): a network or an ensemble is explained against them. Register its run again to explain it.',
			'explain'
		);
	const step = Math.max(1, table.rowCount / BACKGROUND_ROWS);
	const picked = Int32Array.from({ length: Math.min(BACKGROUND_ROWS, table.rowCount) }, (_, i) =>
		Math.floor(i * step)
	);
	const enforced = enforceSchema(manifest.schema, table);
	return transformTable(manifest.recipe, enforced.table, picked);
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

/**
 * A predicted file's contribution columns: `explained` (what the row's values explain: the value,
 * the log-odds, or the predicted class's score), `shap_base`, then `shap_<column>` per input column
 * — for a multiclass model, the predicted class's — so that base + the row's shap values is it.
 */
export function contributionColumns(
	explained: Explanations,
	predictions: (string | number)[],
	labels: string[]
): { header: string[]; cells: (row: number) => string[] } {
	const columns = Object.keys(explained.rows[0]?.contributions ?? {});
	const output = (i: number) =>
		labels.length > 2 ? Math.max(0, labels.indexOf(String(predictions[i]))) : 0;
	return {
		header: ['explained', 'shap_base', ...columns.map((c) => `shap_${c}`)],
		cells: (i) => {
			const row = explained.rows[i]!;
			const k = output(i);
			return [
				explained.outputs[k]!,
				String(row.base[k]),
				...columns.map((c) => String(row.contributions[c]![k]))
			];
		}
	};
}
