import type { LoadedModel } from '../bundle/predict';
import { enforceSchema, type CellProblem } from '../bundle/enforce';
import { featureColumns, transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { DriftwoodError } from '../errors';

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
}

export interface Explanations {
	/** What each output is: 'value', the positive class's log-odds, or a class's raw score. */
	outputs: string[];
	rows: RowExplanation[];
	problems: CellProblem[];
}

/**
 * Exact contributions of each input column to each row's output: the model's own (TreeSHAP for
 * the trees), the recipe's derived features — one-hot blocks, date parts, missing flags — summed
 * back to the column they came from, a regression's in target units. Checks `base + Σ = output`
 * on every row and output (to 1e-6 of the output's scale) before anything is returned.
 */
export async function explainTable(loaded: LoadedModel, table: Table): Promise<Explanations> {
	const { manifest, model } = loaded;
	if (!model.contributions)
		throw new DriftwoodError(
			`Exact contributions are computed for gradient-boosted trees in this version; this bundle holds a ${model.family === 'mlp' ? 'neural network (MLP)' : model.family === 'linear' ? 'linear model' : `${model.family} model`}. Train it with --model gbdt to explain its predictions.`,
			'explain'
		);
	const enforced = enforceSchema(manifest.schema, table);
	const x = transformTable(manifest.recipe, enforced.table);
	const { outputs, base, phi } = model.contributions(x);
	const columns = featureColumns(manifest.recipe);
	const names = [...new Set(columns)];
	const at = columns.map((c) => names.indexOf(c));
	const inputs = columns.length;
	const task = manifest.model.task;
	const scale = task === 'regression' ? (manifest.targetScale ?? { center: 0, scale: 1 }) : null;
	const labels = manifest.model.labels;
	const baseOut = Array.from(base, (b) => (scale ? b * scale.scale + scale.center : b));
	const rows: RowExplanation[] = [];
	for (let i = 0; i < table.rowCount; i++) {
		const sums = names.map(() => new Array<number>(outputs).fill(0));
		for (let k = 0; k < outputs; k++)
			for (let j = 0; j < inputs; j++)
				sums[at[j]!]![k]! += phi[(i * outputs + k) * inputs + j]! * (scale ? scale.scale : 1);
		const output = baseOut.map((b, k) => sums.reduce((s, c) => s + c[k]!, b));
		rows.push({
			row: i + 1,
			output,
			base: baseOut,
			contributions: Object.fromEntries(names.map((n, c) => [n, sums[c]!]))
		});
	}
	assertAdditive(rows, task, await model.predict(x), scale);
	return {
		outputs:
			task === 'regression'
				? ['value']
				: task === 'binary'
					? [`log-odds of ${labels[1]}`]
					: labels.map((l) => `raw score of ${l}`),
		rows,
		problems: enforced.problems
	};
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
