import { findColumn } from '../../recipe/fit';
import { transformTable } from '../../recipe/transform';
import type { Table } from '../../table/types';
import { BACKGROUND_ROWS, explainMatrix, spaced, type ExplainSubject } from './matrix';

/** Test rows a run explains for its page (fewer for a model explained by sampling: it is slower). */
export const RUN_EXPLAIN_ROWS = 300;
const RUN_SAMPLED_ROWS = 100;

/** A run's contributions on a sample of its test rows: the global view beside permutation importance. */
export interface RunContributions {
	/** How they were computed, in words (exact TreeSHAP, a linear model's exact values, an estimate). */
	method: string;
	estimated: boolean;
	/** Test rows explained. */
	rows: number;
	/** What each row's contributions in `dependence` explain: the value, the log-odds, a class's score. */
	output: string;
	/** Per input column, the mean |contribution| over the rows (summed over a multiclass model's classes). */
	columns: { column: string; meanAbs: number }[];
	/**
	 * Per input column, each explained row's value and its contribution (for a multiclass model, to
	 * the row's predicted class): the dependence plot.
	 */
	dependence: {
		column: string;
		numeric: boolean;
		values: (number | string | null)[];
		contributions: number[];
	}[];
}

/**
 * Explains a sample of a run's test rows with the tested model (what its permutation importance
 * read) against a background of its training rows. `subject.background` is ignored: the
 * background is `fitRows` through the recipe.
 */
export async function runContributions(
	subject: Omit<ExplainSubject, 'background'>,
	table: Table,
	testRows: Int32Array,
	fitRows: Int32Array
): Promise<RunContributions> {
	const sampled = !subject.model.contributions && subject.model.family !== 'linear';
	const rows = spaced(testRows, sampled ? RUN_SAMPLED_ROWS : RUN_EXPLAIN_ROWS);
	const explained = await explainMatrix(
		{
			...subject,
			background: () => transformTable(subject.recipe, table, spaced(fitRows, BACKGROUND_ROWS))
		},
		transformTable(subject.recipe, table, rows),
		rows.length
	);
	const names = Object.keys(explained.rows[0]?.contributions ?? {});
	const outputs = explained.outputs.length;
	// Each row's explained output: its predicted class for a multiclass model (the top raw score).
	const own = explained.rows.map((r) =>
		outputs > 1 ? r.output.indexOf(Math.max(...r.output)) : 0
	);
	const columns = names
		.map((column) => ({
			column,
			meanAbs:
				explained.rows.reduce(
					(sum, r) => sum + r.contributions[column]!.reduce((s, v) => s + Math.abs(v), 0),
					0
				) / Math.max(1, explained.rows.length)
		}))
		.sort((a, b) => b.meanAbs - a.meanAbs);
	const dependence = names.map((name) => {
		const column = findColumn(table, name);
		const values = Array.from(rows, (r): number | string | null => {
			if (column.storage === 'float') {
				const v = column.values[r]!;
				return Number.isFinite(v) ? v : null;
			}
			const code = column.codes[r]!;
			return code < 0 ? null : column.categories[code]!;
		});
		return {
			column: name,
			numeric: column.storage === 'float',
			values,
			contributions: explained.rows.map((r, i) => r.contributions[name]![own[i]!]!)
		};
	});
	return {
		method: explained.method,
		estimated: explained.estimated,
		rows: rows.length,
		output: outputs > 1 ? 'the predicted class’s score' : explained.outputs[0]!,
		columns,
		dependence
	};
}
