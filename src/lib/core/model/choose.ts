import { DriftwoodError } from '../errors';
import { familyEntry, fitModel } from './families';
import type { FitData, FitOutcome, TrainedModel } from './family';
import type { MetricSet } from './results';
import { score } from './score';
import { candidatesOf, type ModelChoice, type ModelSpec } from './spec';
import type { PreparedTarget } from './task';
import { primaryMetric } from './task';
import type { Candidate, ExperimentHooks } from './types';

/** The model a run keeps: its spec, the trained model, its curve, and every candidate's score. */
export interface Chosen {
	spec: ModelSpec;
	model: TrainedModel;
	outcome: FitOutcome;
	/** The winner's validation metrics (empty without validation rows). */
	validation: MetricSet;
	/** The winner's validation matrix (null without validation rows). */
	validationMatrix: Float64Array | null;
	candidates: Candidate[];
}

/** Higher is better: the primary metric, then the lower validation loss. */
function better(a: Candidate, b: Candidate): boolean {
	const [sa, sb] = [a.validation ?? -Infinity, b.validation ?? -Infinity];
	if (sa !== sb) return sa > sb;
	return (a.loss ?? Infinity) < (b.loss ?? Infinity);
}

/**
 * Trains each candidate of `choice` on the same prepared split and keeps the best by validation
 * score (never by test), disposing the others. One spec is one candidate. An automatic choice
 * without validation rows is refused: it would have nothing honest to choose by.
 */
export async function trainChoice(
	data: FitData,
	choice: ModelChoice,
	target: PreparedTarget,
	validationRows: Int32Array,
	targetScale: { center: number; scale: number } | null,
	hooks: ExperimentHooks
): Promise<Chosen> {
	const specs = candidatesOf(choice);
	if (specs.length > 1 && validationRows.length === 0)
		throw new DriftwoodError(
			'The automatic choice picks the model by its validation score: give the split a validation share (or pick one model family).',
			'experiment'
		);
	const primary = primaryMetric(target.task);
	const candidates: Candidate[] = [];
	let best: (Chosen & { candidate: Candidate }) | null = null;
	for (let index = 0; index < specs.length; index++) {
		const spec = specs[index]!;
		if (specs.length > 1) {
			hooks.onCandidate?.({ index: index + 1, total: specs.length, model: spec });
			hooks.onStage?.(
				'training',
				`candidate ${index + 1} of ${specs.length}: ${familyEntry(spec.kind).label}`
			);
		}
		const started = performance.now();
		const { model, outcome } = await fitModel(data, spec, target.task, hooks);
		const seconds = (performance.now() - started) / 1000;
		let kept = false;
		try {
			const matrix = validationRows.length ? await model.predict(data.xVal) : null;
			const validation = matrix ? score(matrix, validationRows, target, targetScale).metrics : {};
			const loss = (target.task === 'regression' ? validation.rmse : validation.log_loss) ?? null;
			const candidate: Candidate = {
				model: spec,
				validation: validation[primary] ?? null,
				loss,
				seconds,
				chosen: false
			};
			candidates.push(candidate);
			if (!best || better(candidate, best.candidate)) {
				best?.model.dispose();
				best = {
					spec,
					model,
					outcome,
					validation,
					validationMatrix: matrix,
					candidates,
					candidate
				};
				kept = true;
			}
		} finally {
			if (!kept) model.dispose();
		}
	}
	best!.candidate.chosen = true;
	const { candidate: _candidate, ...chosen } = best!;
	void _candidate;
	return chosen;
}

/**
 * The chosen spec, to be trained again on the training and validation rows together: as many
 * epochs (iterations) as validation chose, and no early stopping, since no rows are left out.
 */
export function refitSpec(spec: ModelSpec, best: number): ModelSpec {
	const steps = Math.max(1, best);
	return spec.kind === 'gbdt'
		? { ...spec, maxIterations: steps, patience: 0 }
		: { ...spec, epochs: steps, patience: 0 };
}
