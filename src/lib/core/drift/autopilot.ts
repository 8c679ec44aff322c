import type { PairedComparison } from '../evaluate/paired';
import { comparisonText } from '../evaluate/paired';
import { halfLifeText, validateHalfLife, type HalfLife } from '../model/recency';
import { performanceDropped, type ScoreSignal } from './rules';
import { DEFAULT_HOLDOUT, MIN_PART_ROWS } from './retrain';

/**
 * A monitor's retraining policy on autopilot: when a labelled batch arrives, whether to retrain a
 * challenger, on which rows, with which weights, and whether a win beyond noise promotes it. Set
 * by hand or taken from the policy simulator's recommendation (`source` says which).
 */
export interface AutopilotPolicy {
	enabled: boolean;
	/**
	 * `every`: every `every`-th labelled batch; `drift`: a labelled batch with dataset drift;
	 * `drop`: a labelled batch whose measured score fell beyond noise (the monitor's drop rule).
	 */
	trigger: { kind: 'every'; every: number } | { kind: 'drift' } | { kind: 'drop' };
	/**
	 * The challenger's rows: `all` — the champion's training data and every labelled batch;
	 * `batches` — the last `count` labelled batches only, the arriving one included (a sliding
	 * window, as the simulator's "last W periods").
	 */
	window: { kind: 'all' } | { kind: 'batches'; count: number };
	/** Recency weights on the run's date column; null: every row counts the same. */
	halfLife: HalfLife | null;
	/** The newest share of the arriving batch kept for the comparison (never trained on). */
	holdout: number;
	/** Promote the challenger when it wins beyond noise; off: it waits for a person. */
	autoPromote: boolean;
	/** Where the policy came from: "set by hand", or the simulation it was taken from. */
	source: string;
}

export const DEFAULT_AUTOPILOT: AutopilotPolicy = {
	enabled: false,
	trigger: { kind: 'drop' },
	window: { kind: 'all' },
	halfLife: null,
	holdout: DEFAULT_HOLDOUT,
	autoPromote: false,
	source: 'set by hand'
};

/** Every problem with a policy, in words; empty when it can act. */
export function validateAutopilot(policy: AutopilotPolicy): string[] {
	const problems: string[] = [];
	const t = policy.trigger;
	if (t.kind === 'every' && !(Number.isInteger(t.every) && t.every >= 1 && t.every <= 100))
		problems.push('Retrain every 1 to 100 labelled batches.');
	const w = policy.window;
	if (w.kind === 'batches' && !(Number.isInteger(w.count) && w.count >= 1 && w.count <= 100))
		problems.push('The window holds 1 to 100 labelled batches.');
	if (policy.halfLife) problems.push(...validateHalfLife(policy.halfLife));
	if (!(policy.holdout >= 0.1 && policy.holdout <= 0.5))
		problems.push('Hold out 10 to 50 % of the arriving batch for the comparison.');
	return problems;
}

/** The policy in words: "every 2nd labelled batch · training data + every labelled batch · …". */
export function autopilotText(policy: AutopilotPolicy): string {
	const t = policy.trigger;
	const when =
		t.kind === 'every'
			? t.every === 1
				? 'on every labelled batch'
				: `on every ${ordinal(t.every)} labelled batch`
			: t.kind === 'drift'
				? 'on a labelled batch with dataset drift'
				: 'on a labelled batch whose score fell beyond noise';
	const on =
		policy.window.kind === 'all'
			? 'the training data and every labelled batch'
			: `the last ${policy.window.count} labelled batch${policy.window.count === 1 ? '' : 'es'}`;
	return `Retrain ${when}, on ${on}${policy.halfLife ? `, recency-weighted (half-life ${halfLifeText(policy.halfLife)})` : ''}; compare on the newest ${Math.round(policy.holdout * 100)} % of the batch; ${policy.autoPromote ? 'promote a challenger that wins beyond noise' : 'leave the promotion to a person'}.`;
}

/** What the autopilot reads of a labelled batch. */
export interface AutopilotBatch {
	id: string;
	fileName: string;
	rowCount: number;
	/** Its rows are kept (they can be trained and scored on). */
	usable: boolean;
	datasetDrift: boolean;
	/** The measured score (labelled batches only). */
	performance: (ScoreSignal & { metric: string }) | null;
}

/** The retrain the autopilot asks for: the same choice a person makes in the retrain form. */
export interface AutopilotChoice {
	includeTraining: boolean;
	trainBatchIds: string[];
	evalBatchId: string;
	holdout: number;
	halfLife: HalfLife | null;
}

export type AutopilotPlan =
	{ act: false; reason: string } | { act: true; reason: string; choice: AutopilotChoice };

/**
 * Whether the arriving batch (the last of `labelled`, oldest first) triggers a retrain, and the
 * retrain's rows: the older labelled batches as the window says, and the arriving batch's older
 * rows; its newest `holdout` share is what champion and challenger are compared on.
 */
export function autopilotPlan(
	policy: AutopilotPolicy,
	labelled: AutopilotBatch[],
	performanceDrop: number
): AutopilotPlan {
	const newest = labelled.at(-1);
	if (!policy.enabled) return { act: false, reason: 'The autopilot is off.' };
	if (!newest) return { act: false, reason: 'No labelled batch yet: the autopilot acts on those.' };
	if (!newest.usable)
		return {
			act: false,
			reason: `The rows of "${newest.fileName}" were not kept: nothing to train or compare on.`
		};
	const compared = Math.round(newest.rowCount * policy.holdout);
	if (compared < MIN_PART_ROWS || newest.rowCount - compared < MIN_PART_ROWS)
		return {
			act: false,
			reason: `"${newest.fileName}" has ${newest.rowCount} rows: too few to hold out ${Math.round(policy.holdout * 100)} % to compare on and train on the rest (each part needs ${MIN_PART_ROWS}).`
		};
	const t = policy.trigger;
	let why: string | null = null;
	if (t.kind === 'every') {
		if (labelled.length % t.every === 0)
			why = `labelled batch ${labelled.length} (the policy retrains on every ${t.every === 1 ? '' : `${ordinal(t.every)} `}one)`;
	} else if (t.kind === 'drift') {
		if (newest.datasetDrift) why = `dataset drift on "${newest.fileName}"`;
	} else if (newest.performance && performanceDropped(newest.performance, performanceDrop)) {
		const p = newest.performance;
		why = `measured ${p.metric} ${p.value.toFixed(3)} on "${newest.fileName}", its whole 95 % band more than ${performanceDrop} below the test score ${p.reference.toFixed(3)}`;
	}
	if (!why)
		return {
			act: false,
			reason: `"${newest.fileName}" does not trigger the policy (${
				t.kind === 'every'
					? `labelled batch ${labelled.length}; it retrains on every ${ordinal(t.every)}`
					: t.kind === 'drift'
						? 'no dataset drift'
						: 'its score is within noise of the test score'
			}).`
		};
	// The window counts the arriving batch (its older rows are trained on): the rest are older ones.
	const older = labelled.slice(0, -1).filter((b) => b.usable);
	const keep = policy.window.kind === 'all' ? older.length : policy.window.count - 1;
	const window = keep > 0 ? older.slice(Math.max(0, older.length - keep)) : [];
	return {
		act: true,
		reason: why,
		choice: {
			includeTraining: policy.window.kind === 'all',
			trainBatchIds: window.map((b) => b.id),
			evalBatchId: newest.id,
			holdout: policy.holdout,
			halfLife: policy.halfLife
		}
	};
}

/** After the comparison: promote or not, and the words the registry history keeps. */
export function autopilotDecision(
	policy: AutopilotPolicy,
	comparison: PairedComparison | null,
	champion: number,
	challenger: number
): { promote: boolean; note: string } {
	const evidence = comparison ? comparisonText(comparison) : 'no paired comparison was possible';
	if (comparison?.verdict === 'better' && policy.autoPromote)
		return { promote: true, note: `Autopilot promoted v${challenger}: ${evidence}.` };
	if (comparison?.verdict === 'better')
		return {
			promote: false,
			note: `Autopilot: v${challenger} against v${champion}, ${evidence}; auto-promote is off, so it waits for a person.`
		};
	return {
		promote: false,
		note: `Autopilot kept v${champion} as champion: v${challenger} against it, ${evidence}.`
	};
}

/** 2 → "2nd", 3 → "3rd", 11 → "11th": how a person counts batches. */
export function ordinal(n: number): string {
	const tens = n % 100;
	const suffix =
		tens >= 11 && tens <= 13
			? 'th'
			: (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
	return `${n}${suffix}`;
}
