import { CancelledError } from '../model/family';
import { runFolds } from '../model/cross-validate';
import { kFolds } from '../model/split';
import type { PreparedTarget } from '../model/task';
import type { ModelSpec } from '../model/spec';
import type { ExperimentConfig, FoldJob, FoldRunner } from '../model/types';
import type { Table } from '../table/types';
import { AuditError } from './errors';

/** How a progress line names a spec's fold fits. */
const FAMILY_WORDS: Record<ModelSpec['kind'], string> = {
	gbdt: 'trees',
	mlp: 'network',
	linear: 'linear',
	ensemble: 'ensemble'
};

/** Share of each fold's training rows that stops each model early (never the rows predicted). */
const INNER_VALIDATION = 0.1;

/** Progress and Cancel, as a backtest has them. */
export interface AuditHooks {
	onProgress?: (done: number, total: number, what: string) => void;
	isCancelled?: () => boolean;
	yieldToEvents?: () => Promise<void>;
	/** Runs the out-of-fold fits (the CLI's threads, the studio's fold workers); absent: in turn here. */
	runFolds?: FoldRunner;
}

/**
 * Out-of-fold predictions for every row with a target: k folds (stratified for classes), each
 * fold predicted by models that never saw it — the recipe fitted on the other folds, each model
 * stopped early on a tenth of those. Several specs (the trees and a network): every spec fits
 * every fold, all in one batch of fold jobs, and a row's prediction is the mean of theirs.
 * Classes: an n × k matrix of probabilities, row by row of `target.rows`; regression: the
 * predicted values (in the target's units).
 */
export async function outOfFold(
	table: Table,
	config: ExperimentConfig,
	target: PreparedTarget,
	specs: ModelSpec[],
	folds: number,
	hooks: AuditHooks = {},
	/** Rows left out of every fit (a second round's flagged rows); still predicted. */
	excluded: ReadonlySet<number> = new Set(),
	/** Work for this thread while other threads finish their folds (`FoldRunner`); may be skipped. */
	meanwhile?: () => void
): Promise<Float64Array> {
	const rows = target.rows;
	const k = target.task === 'regression' ? 1 : target.labels.length;
	const labels = target.task === 'regression' ? undefined : target.classes;
	const position = new Map<number, number>();
	rows.forEach((r, i) => position.set(r, i));
	const split = kFolds(rows, folds, specs[0]!.seed, labels);
	const jobs: FoldJob[] = specs.flatMap((spec) =>
		split.map((fold, f) => {
			const train = fold.train.filter((r) => !excluded.has(r));
			const cut = train.length - Math.max(1, Math.round(train.length * INNER_VALIDATION));
			if (cut < 2)
				throw new AuditError(
					`Fold ${f + 1} leaves ${train.length} rows to learn from: too few. Use fewer folds, or audit more rows.`
				);
			return {
				spec,
				fold: { train: train.subarray(0, cut), validation: fold.validation },
				stop: train.subarray(cut),
				timeOrdered: false,
				fixedSteps: false,
				label: `${FAMILY_WORDS[spec.kind]}, fold ${f + 1} of ${split.length}`
			};
		})
	);
	// The folds run as fold jobs: in turn here, or over other threads (the same numbers).
	const scores = await runFolds(
		{ table, config, target },
		jobs,
		hooks,
		(job, index) => {
			if (hooks.isCancelled?.()) throw new CancelledError();
			hooks.onProgress?.(index - 1, jobs.length, job.label);
		},
		meanwhile
	);
	const out = new Float64Array(rows.length * k);
	scores.forEach(({ predicted }, index) => {
		// Probabilities, or values in the target's units (the fold job scales them back).
		split[index % split.length]!.validation.forEach((r, j) => {
			const at = position.get(r)! * k;
			for (let c = 0; c < k; c++) out[at + c]! += predicted[j * k + c]! / specs.length;
		});
	});
	hooks.onProgress?.(jobs.length, jobs.length, 'done');
	return out;
}
