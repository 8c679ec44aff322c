import { DriftwoodError } from '../errors';
import type { Column, Table } from '../table/types';
import { compareFeature } from './feature';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from './thresholds';
import type { DriftReport, FeatureDrift, SchemaReport } from './types';

/** A batch that cannot be compared with its reference (code `drift`). */
export class DriftError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'drift');
		this.name = 'DriftError';
	}
}

/**
 * Compares a batch with the reference feature by feature: the test chosen by type and reference
 * size (Evidently's rule: KS / chi-square / z-test at p < 0.05 up to 1000 reference rows; normed
 * Wasserstein / Jensen–Shannon ≥ 0.1 above), PSI for every feature, schema and quality checks,
 * and dataset drift when at least half of the features drifted.
 */
export function driftReport(
	reference: Table,
	current: Table,
	features: string[],
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	referenceRows = reference.rowCount,
	/** Features that are a date's calendar position: compared, never counted as drifted. */
	calendar: ReadonlySet<string> = new Set()
): DriftReport {
	if (current.rowCount === 0)
		throw new DriftError('The batch has no rows: there is nothing to compare.');
	const byName = new Map(current.columns.map((c) => [c.name, c]));
	const shared = features.filter((f) => byName.has(f));
	if (shared.length === 0) {
		throw new DriftError(
			`The batch shares no column with the reference (expected ${features
				.slice(0, 5)
				.map((f) => `"${f}"`)
				.join(', ')}${features.length > 5 ? ', …' : ''}). Is it the right file?`
		);
	}
	const refByName = new Map(reference.columns.map((c) => [c.name, c]));
	const schema: SchemaReport = {
		missingColumns: features.filter((f) => !byName.has(f)),
		extraColumns: current.columns.map((c) => c.name).filter((n) => !refByName.has(n)),
		typeChanges: []
	};
	const out: FeatureDrift[] = [];
	for (const name of shared) {
		const ref = refByName.get(name);
		if (!ref) continue;
		const cur = byName.get(name)!;
		if (kindOf(ref) !== kindOf(cur))
			schema.typeChanges.push({ name, reference: kindOf(ref), current: kindOf(cur) });
		const drift = compareFeature(name, ref, cur, thresholds, referenceRows);
		out.push(calendar.has(name) ? { ...drift, drifted: false, calendar: true } : drift);
	}
	return assembleReport(out, schema, thresholds, referenceRows, current.rowCount);
}

/**
 * A report from its features (from rows or from a warehouse summary): drifted first, then by PSI;
 * dataset drift when the share of drifted features reaches the threshold.
 */
export function assembleReport(
	features: FeatureDrift[],
	schema: SchemaReport,
	thresholds: DriftThresholds,
	referenceRows: number,
	currentRows: number
): DriftReport {
	const { drifted, counted } = driftCount({ features });
	const driftShare = counted ? drifted / counted : 0;
	const datasetDrift = driftShare >= thresholds.datasetShare;
	const sorted = features
		.slice()
		.sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.psi - a.psi);
	return { features: sorted, schema, datasetDrift, driftShare, referenceRows, currentRows };
}

/** Numbers and instants are compared as numbers; everything else as categories. */
function kindOf(column: Column): 'numeric' | 'categorical' {
	return column.storage === 'float' ? 'numeric' : 'categorical';
}

/**
 * Features drifted, of those that count: every feature but a date's calendar positions (which a
 * batch's dates decide). The one count the share, the verdict, the alerts and the pages use.
 */
export function driftCount(report: Pick<DriftReport, 'features'>): {
	drifted: number;
	counted: number;
} {
	let drifted = 0;
	let counted = 0;
	for (const f of report.features) {
		if (f.calendar) continue;
		counted++;
		if (f.drifted) drifted++;
	}
	return { drifted, counted };
}
