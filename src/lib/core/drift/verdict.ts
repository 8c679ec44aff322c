import { batchAlerts, type AlertInput, type DriftAlertKind } from './alerts';
import { PERFORMANCE_DROP } from './rules';
import { driftCount } from './report';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';

/** Fail (a CI gate), warn, or all clear. */
export type VerdictLevel = 'fail' | 'warn' | 'ok';

/** The one-line answer to "is this batch all right?", from every finding, not the drift share alone. */
export interface BatchVerdict {
	level: VerdictLevel;
	headline: string;
	/** Each finding, short ("prediction drift", "values out of range"). */
	findings: string[];
	/**
	 * A schema break, dataset drift, or a performance drop beyond noise: `driftwood drift` exits 1
	 * (a CI gate).
	 */
	failsGate: boolean;
}

/** What `batchVerdict` reads of a checked batch (a CLI report of two files has no model parts). */
export type VerdictInput = AlertInput;

/** Each alert's short name in a verdict, in the order findings are listed (none: not a finding). */
const FINDINGS: Partial<Record<DriftAlertKind, string>> = {
	'dataset-drift': 'dataset drift',
	'small-batch': 'too few rows to judge',
	'prediction-drift': 'prediction drift',
	'out-of-range': 'values out of range',
	'performance-drop': 'performance drop',
	'below-baseline': 'no better than the baseline',
	'coverage-drop': 'bounds under-cover',
	'unreliable-estimate': 'estimate unreliable',
	'unseen-categories': 'unseen categories',
	'missing-rate': 'missing values changed',
	'type-change': 'type changes'
};

/**
 * The verdict on a batch. Fail: the batch lacks columns the model needs (so its predictions were
 * skipped), the dataset drifted, or the score fell (measured or estimated) with its whole 95 %
 * band more than the drop below the test score. Warn: any other finding (prediction drift,
 * values out of range, an unreliable estimate, unseen categories, type or missing-rate changes).
 * OK: nothing found.
 */
export function batchVerdict(
	check: VerdictInput,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	performanceDrop = PERFORMANCE_DROP
): BatchVerdict {
	const { report } = check;
	const { drifted, counted } = driftCount(report);
	const driftLine = `${drifted} of ${counted} features drifted`;
	// The findings are the alerts' kinds: the verdict and the alert list cannot disagree.
	const kinds = new Set(batchAlerts(check, thresholds, performanceDrop).map((a) => a.kind));
	const findings = (Object.keys(FINDINGS) as DriftAlertKind[])
		.filter((kind) => kinds.has(kind))
		.map((kind) => FINDINGS[kind]!);

	const missing = [...report.schema.missingColumns, ...(report.schema.unreadableColumns ?? [])];
	if (missing.length) {
		const lacks = report.schema.missingColumns.length ? 'lacks' : 'cannot read';
		const names = missing
			.slice(0, 4)
			.map((m) => `"${m}"`)
			.join(', ');
		return {
			level: 'fail',
			headline: `Schema failure: predictions skipped — the batch ${lacks} ${names}${missing.length > 4 ? ', …' : ''}`,
			findings: ['schema failure', ...findings],
			failsGate: true
		};
	}
	if (report.datasetDrift) {
		const rest = findings.filter((f) => f !== 'dataset drift');
		return {
			level: 'fail',
			headline: `Dataset drift: ${driftLine}${rest.length ? `; also ${rest.join(', ')}` : ''}`,
			findings,
			failsGate: true
		};
	}
	// The model itself got worse, its whole 95 % band below the line: the plainest reason to act.
	if (kinds.has('performance-drop')) {
		const rest = findings.filter((f) => f !== 'performance drop');
		return {
			level: 'fail',
			headline: `Performance drop beyond noise; ${driftLine}${rest.length ? `; also ${rest.join(', ')}` : ''}`,
			findings,
			failsGate: true
		};
	}
	if (findings.length) {
		return {
			level: 'warn',
			headline: `No dataset drift (${driftLine}), but ${findings.join(', ')}`,
			findings,
			failsGate: false
		};
	}
	return { level: 'ok', headline: `No dataset drift: ${driftLine}`, findings, failsGate: false };
}
