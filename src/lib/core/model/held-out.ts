import { halves, type HeldOut, type ConformalSource } from '../conformal/calibrate';
import { rowDraws } from '../conformal/draws';
import type { Table } from '../table/types';
import { outOfFoldPredictions } from './choose-folds';
import type { ModelSpec } from './spec';
import type { Split } from './split';
import type { PreparedTarget } from './task';
import type { ExperimentConfig, ExperimentHooks } from './types';

/** The truth of table rows: values (regression) or class indices. */
export function truthOf(target: PreparedTarget, rows: Int32Array): Float64Array {
	return target.task === 'regression'
		? Float64Array.from(rows, (r) => target.values[r]!)
		: Float64Array.from(rows, (r) => target.classes[r]!);
}

/**
 * A run's predictions of rows by models that did not fit them, which probability calibration and
 * conformal bounds are fitted on: on small data the out-of-fold predictions of the training +
 * validation rows by `spec` (the kept model's settings, fixed steps; null: none are made), else
 * the validation rows' (`validation`: outputs in target units, or probabilities; two seeded
 * halves as folds). Null without either.
 */
export async function heldOutPredictions(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	split: Split,
	times: Float64Array | undefined,
	hooks: ExperimentHooks,
	spec: ModelSpec | null,
	validation: Float64Array | null,
	/** The model's input columns (its schema): what each row's draw hashes. */
	inputs: readonly string[]
): Promise<{ held: HeldOut | null; source: ConformalSource | null }> {
	const outOfFold = spec
		? await outOfFoldPredictions(table, config, spec, target, split, times, hooks)
		: null;
	if (outOfFold)
		return {
			held: {
				outputs: outOfFold.outputs,
				truth: truthOf(target, outOfFold.rows),
				folds: outOfFold.folds,
				draws: rowDraws(table, inputs, outOfFold.rows)
			},
			source: 'folds'
		};
	if (validation && split.validation.length > 0)
		return {
			held: {
				outputs: validation,
				truth: truthOf(target, split.validation),
				folds: halves(split.validation.length, config.split.seed),
				draws: rowDraws(table, inputs, split.validation)
			},
			source: 'validation'
		};
	return { held: null, source: null };
}
