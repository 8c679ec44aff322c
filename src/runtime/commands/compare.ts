import { readFile } from 'node:fs/promises';
import { modelMissingPolicy } from '../../lib/core/bundle/enforce';
import { loadBundleModel } from '../../lib/core/bundle/predict';
import { unpackBundle, type UnpackedBundle } from '../../lib/core/bundle/unpack';
import { evaluateLabelled, type LabelledScore } from '../../lib/core/drift/monitor';
import {
	comparePaired,
	comparisonText,
	type PairedComparison
} from '../../lib/core/evaluate/paired';
import { DriftwoodError } from '../../lib/core/errors';
import { readFileTable, type ReadFileOptions } from '../read-file';

/** Both models scored on the same labelled rows, and the paired comparison of the two. */
export interface CompareOutput {
	champion: { name: string; version: number; family: string; value: number };
	challenger: { name: string; version: number; family: string; value: number };
	comparison: PairedComparison;
}

/**
 * `driftwood compare champion.zip challenger.zip holdout.csv`: each bundle predicts the holdout
 * file (read as its model reads files), and a paired bootstrap on the same rows says whether the
 * challenger is better beyond noise — the studio's promotion rule, for CI.
 */
export async function compareBundles(
	championPath: string,
	challengerPath: string,
	holdoutPath: string,
	options: ReadFileOptions
): Promise<CompareOutput> {
	const [champion, challenger] = await Promise.all(
		[championPath, challengerPath].map(async (p) => unpackBundle(new Uint8Array(await readFile(p))))
	);
	const a = champion!.manifest.model;
	const b = challenger!.manifest.model;
	if (a.target !== b.target || a.task !== b.task)
		throw new DriftwoodError(
			`The bundles predict different things: the champion "${a.target}" (${a.task}), the challenger "${b.target}" (${b.task}). Compare models of the same target and task.`,
			'bundle'
		);
	if (a.task !== 'regression' && a.labels.join('\u0000') !== b.labels.join('\u0000'))
		throw new DriftwoodError(
			`The bundles know different classes (${a.labels.join(', ')} / ${b.labels.join(', ')}): they cannot be scored on the same rows.`,
			'bundle'
		);
	const scoreOf = async (bundle: UnpackedBundle): Promise<LabelledScore> => {
		const loaded = await loadBundleModel(bundle.manifest, bundle.model);
		try {
			const missing = options.missing ?? modelMissingPolicy(bundle.manifest);
			const { table } = await readFileTable(holdoutPath, { ...options, missing });
			const scored = await evaluateLabelled(loaded, table);
			if (!scored)
				throw new DriftwoodError(
					`"${holdoutPath}" has no "${bundle.manifest.model.target}" column: a comparison needs the true values.`,
					'schema'
				);
			return scored;
		} finally {
			loaded.model.dispose();
		}
	};
	const first = await scoreOf(champion!);
	const second = await scoreOf(challenger!);
	const metric = a.task === 'regression' ? 'r2' : 'accuracy';
	const comparison = comparePaired(metric, first.outcomes, second.outcomes, first.truth);
	if (!comparison)
		throw new DriftwoodError(
			`Fewer than two rows of "${holdoutPath}" could be scored by both models (or the true values do not vary): nothing to compare on.`,
			'schema'
		);
	const side = (bundle: UnpackedBundle, scored: LabelledScore) => ({
		name: bundle.manifest.model.name,
		version: bundle.manifest.model.version,
		family: bundle.manifest.model.family,
		value: scored.performance.value
	});
	return { champion: side(champion!, first), challenger: side(challenger!, second), comparison };
}

/** The comparison as `--json` prints it. */
export function compareJson({ champion, challenger, comparison }: CompareOutput) {
	return {
		metric: comparison.metric,
		champion,
		challenger,
		difference: comparison.difference,
		interval: [comparison.lower, comparison.upper],
		rows: comparison.rows,
		verdict: comparison.verdict,
		/** The exit code's reason: 0 only when the challenger is better beyond noise. */
		better: comparison.verdict === 'better'
	};
}

export function compareText({ champion, challenger, comparison }: CompareOutput): string {
	const name = comparison.metric === 'accuracy' ? 'accuracy' : 'R²';
	const line = (role: string, s: CompareOutput['champion']) =>
		`${role.padEnd(11)} ${s.name} v${s.version} (${s.family})  ${name} ${s.value.toFixed(4)}`;
	return [
		line('champion', champion),
		line('challenger', challenger),
		`Challenger − champion on the same ${comparison.rows} rows (paired bootstrap): ${comparisonText(comparison)}.`,
		comparison.verdict === 'better'
			? 'Verdict: better — promote it (exit 0).'
			: 'Verdict: not better beyond noise — keep the champion (exit 1).',
		''
	].join('\n');
}
