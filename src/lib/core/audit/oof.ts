import { CancelledError } from '../model/family';
import { familyEntry, fitModel } from '../model/families';
import { fitDataOf, prepareFold } from '../model/fold';
import { kFolds } from '../model/split';
import type { GbdtSpec } from '../model/spec';
import type { PreparedTarget } from '../model/task';
import type { ExperimentConfig } from '../model/types';
import { transformTable } from '../recipe/transform';
import type { Table } from '../table/types';
import { AuditError } from './errors';

/** Share of each fold's training rows that stops the trees early (never the rows predicted). */
const INNER_VALIDATION = 0.1;

/** Progress and Cancel, as a backtest has them. */
export interface AuditHooks {
	onProgress?: (done: number, total: number, what: string) => void;
	isCancelled?: () => boolean;
	yieldToEvents?: () => Promise<void>;
}

/**
 * Out-of-fold predictions for every row with a target: k folds (stratified for classes), each
 * fold predicted by a model that never saw it — the recipe fitted on the other folds, the trees
 * stopped early on a tenth of those. Classes: an n × k matrix of probabilities, row by row of
 * `target.rows`; regression: the predicted values (in the target's units).
 */
export async function outOfFold(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	spec: GbdtSpec,
	folds: number,
	hooks: AuditHooks = {},
	/** Rows left out of every fit (a second round's flagged rows); still predicted. */
	excluded: ReadonlySet<number> = new Set()
): Promise<Float64Array> {
	const rows = target.rows;
	const k = target.task === 'regression' ? 1 : target.labels.length;
	const labels = target.task === 'regression' ? undefined : target.classes;
	const position = new Map<number, number>();
	rows.forEach((r, i) => position.set(r, i));
	const out = new Float64Array(rows.length * k);
	const split = kFolds(rows, folds, spec.seed, labels);
	for (const [f, fold] of split.entries()) {
		if (hooks.isCancelled?.()) throw new CancelledError();
		hooks.onProgress?.(f, split.length, `fold ${f + 1} of ${split.length}`);
		const train = fold.train.filter((r) => !excluded.has(r));
		const cut = train.length - Math.max(1, Math.round(train.length * INNER_VALIDATION));
		if (cut < 2)
			throw new AuditError(
				`Fold ${f + 1} leaves ${train.length} rows to learn from: too few. Use fewer folds, or audit more rows.`
			);
		const prepared = prepareFold(
			table,
			config,
			target,
			train.subarray(0, cut),
			train.subarray(cut),
			familyEntry(spec.kind).readsMissing
		);
		const { model } = await fitModel(fitDataOf(prepared), spec, target.task, hooks);
		try {
			const predicted = await model.predict(
				transformTable(prepared.recipe, table, fold.validation)
			);
			fold.validation.forEach((r, j) => {
				const at = position.get(r)!;
				if (target.task === 'regression') {
					const scale = prepared.targetScale!;
					out[at] = predicted[j]! * scale.scale + scale.center;
				} else out.set(predicted.subarray(j * k, j * k + k), at * k);
			});
		} finally {
			model.dispose();
		}
		await hooks.yieldToEvents?.();
	}
	hooks.onProgress?.(split.length, split.length, 'done');
	return out;
}
