import { csvCell } from '../bundle/csv-out';
import { columnValueText } from '../table/access';
import type { Table } from '../table/types';
import type { AuditResult } from './audit';

/** The kinds of flag an audit raises, in the order a person reads them. */
export const FLAG_KINDS = ['label', 'residual', 'duplicate', 'outlier', 'rare class'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** One flagged row, whatever flagged it: one line of the audit's table and of its CSV. */
export interface Flag {
	/** Table row index. */
	row: number;
	kind: FlagKind;
	/** The suggested label (label issues), the prediction (residuals), else ''. */
	suggested: string;
	/** Higher is more doubtful; comparable within a kind. */
	score: number;
	reason: string;
}

/**
 * A flag's score as the table shows it: three decimals (whole numbers from 10: robust standard
 * deviations), and a probability short of 1 never shown as 1.000.
 */
export function scoreText(score: number): string {
	if (score >= 10) return score.toFixed(0);
	const text = score.toFixed(3);
	return text === '1.000' && score < 1 ? '>0.999' : text;
}

/**
 * Every flag of an audit, one per row and kind: label issues, residuals, duplicates (conflicting
 * ones, and every copy after the first of a group that agrees), outliers, rows of rare classes.
 */
export function flagsOf(
	result: AuditResult,
	rowName: (row: number) => number = (r) => r + 1
): Flag[] {
	const flags: Flag[] = [
		...result.labelIssues.map((i) => ({
			row: i.row,
			kind: 'label' as const,
			suggested: i.suggested,
			score: i.score,
			reason: i.reason
		})),
		...result.residualIssues.map((i) => ({
			row: i.row,
			kind: 'residual' as const,
			suggested: String(+i.predicted.toPrecision(6)),
			score: i.score,
			reason: i.reason
		})),
		...result.duplicates.flatMap((d) =>
			// Conflicting copies: every one is in doubt. Agreeing copies: the first is kept.
			(d.conflicting ? d.rows : d.rows.slice(1)).map((row) => ({
				row,
				kind: 'duplicate' as const,
				suggested: '',
				score: d.conflicting ? 1 : 0.5,
				reason: `${d.kind === 'exact' ? 'Equal' : 'Nearly equal'} on every feature to row${d.rows.length > 2 ? 's' : ''} ${d.rows
					.filter((r) => r !== row)
					.map(rowName)
					.join(', ')}${d.conflicting ? ', with another label: at most one of them is right' : ''}.`
			}))
		),
		...result.outliers.map((o) => ({
			row: o.row,
			kind: 'outlier' as const,
			suggested: '',
			score: o.score,
			reason: o.reason
		})),
		...result.rareClasses.flatMap((c) =>
			c.rows.map((row) => ({
				row,
				kind: 'rare class' as const,
				suggested: '',
				score: 1,
				reason: c.reason
			}))
		)
	];
	return flags;
}

/**
 * Flags in reading order: by row, or most doubtful first. Scores are on each kind's own scale (a
 * probability, robust standard deviations, a fixed mark), so by score means kind by kind, in
 * FLAG_KINDS order, the most doubtful of each kind first.
 */
export function orderFlags(flags: readonly Flag[], by: 'score' | 'row'): Flag[] {
	const rank = (f: Flag) => FLAG_KINDS.indexOf(f.kind);
	return [...flags].sort((a, b) =>
		by === 'row' ? a.row - b.row : rank(a) - rank(b) || b.score - a.score || a.row - b.row
	);
}

/** The rows an audit's flags of these kinds would leave out, and how many of each kind. */
export function rowsToLeaveOut(
	result: AuditResult,
	kinds: readonly FlagKind[]
): { rows: Int32Array; byKind: Map<FlagKind, number> } {
	const chosen = new Set(kinds);
	const rows = new Set<number>();
	const byKind = new Map<FlagKind, number>();
	for (const flag of flagsOf(result)) {
		if (!chosen.has(flag.kind)) continue;
		if (!rows.has(flag.row)) byKind.set(flag.kind, (byKind.get(flag.kind) ?? 0) + 1);
		rows.add(flag.row);
	}
	return { rows: Int32Array.from(rows).sort(), byKind };
}

/** Flags as CSV: the row (as `rowName` numbers it), why, and the row's values. */
export function flagsCsv(
	table: Table,
	flags: Flag[],
	rowName: (row: number) => number = (r) => r + 1
): string {
	const header = [
		'row',
		'issue',
		'suggested',
		'score',
		'reason',
		...table.columns.map((c) => c.name)
	];
	const lines = [header.map(csvCell).join(',')];
	for (const f of flags)
		lines.push(
			[
				String(rowName(f.row)),
				f.kind,
				f.suggested,
				String(f.score),
				f.reason,
				...table.columns.map((c) => columnValueText(c, f.row))
			]
				.map(csvCell)
				.join(',')
		);
	return lines.join('\n') + '\n';
}

/** Rows left out per issue type, in words: "5,950 labels, 1 duplicate". */
export function flaggedKindsText(byKind: Iterable<[string, number]>): string {
	return [...byKind]
		.map(([kind, n]) => `${n.toLocaleString('en-US')} ${kind}${n === 1 ? '' : 's'}`)
		.join(', ');
}

/** An audit that preceded training, as the card and the run page say it. */
export function auditLineageText(audit: {
	of: number;
	target: string;
	leftOut: number;
	byKind: Record<string, number>;
}): string {
	const detail = flaggedKindsText(Object.entries(audit.byKind));
	return `Audited before training: this data is version ${audit.of} of the dataset without ${audit.leftOut.toLocaleString('en-US')} rows its audit on "${audit.target}" flagged (${detail}).`;
}
