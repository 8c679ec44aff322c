import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { auditModelWords, runAudit, type AuditResult } from '../../lib/core/audit/audit';
import { repeatedRows, type RepeatedRow } from '../../lib/core/audit/duplicates';
import { enforceSchema } from '../../lib/core/bundle/enforce';
import { flagsCsv, flagsOf, rowsToLeaveOut, scoreText } from '../../lib/core/audit/flags';
import { compareCleaned, type CleanedComparison } from '../../lib/core/audit/compare';
import { comparisonText } from '../../lib/core/evaluate/paired';
import { suggestSplit } from '../../lib/core/model/split';
import { profileTable } from '../../lib/core/profile/profile';
import { computeFor } from '../backend';
import { withFoldPool } from '../fold-pool';
import type { ParseReport, Table } from '../../lib/core/table/types';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { textTable } from './profile';

/** The options of `driftwood audit`. */
export interface AuditOptions extends ReadFileOptions {
	target: string;
	/** A test file checked for rows repeated from the training file. */
	testFile?: string;
	seed?: number;
	/** Also train the original rows and the rows without the label and duplicate flags, scored on the same test rows. */
	compare?: boolean;
	/** Average a network with the trees (true), the trees alone (false); absent: by the table's size. */
	network?: boolean;
}

/** What `driftwood audit` found, with the file's rows to number and print them. */
export interface AuditOutput {
	result: AuditResult;
	table: Table;
	/** Table row → the 1-based data row of the file (rows left out for a wrong field count kept in the count). */
	dataRow: (row: number) => number;
	/** Test rows repeated from the training file, 1-based in each file. */
	repeated: RepeatedRow[] | null;
	testFile: string | null;
	/** With --compare: both trained the same way, scored on the same untouched test rows. */
	compared: CleanedComparison | null;
	/** The split the comparison used, in words. */
	split: string | null;
}

/** `driftwood audit <file> --target <col>`: the data audit of a file, in Node. */
export async function auditFile(path: string, options: AuditOptions): Promise<AuditOutput> {
	const { table, report } = await readFileTable(path, options);
	// The out-of-fold fits are trees and a small network in JavaScript loops: on every core.
	const result = await withFoldPool('loops', (hooks) =>
		runAudit(
			table,
			{
				target: options.target,
				...(options.seed !== undefined ? { seed: options.seed } : {}),
				...(options.network !== undefined ? { network: options.network } : {})
			},
			hooks
		)
	);
	let repeated: RepeatedRow[] | null = null;
	if (options.testFile) {
		const test = await readFileTable(options.testFile, options);
		const schema = table.columns.map((c) => ({ name: c.name, type: c.type, required: false }));
		const features = table.columns.map((c) => c.name).filter((n) => n !== options.target);
		const fitted = enforceSchema(schema, test.table).table;
		const trainRow = dataRowOf(report);
		const testRow = dataRowOf(test.report);
		repeated = repeatedRows(table, fitted, features).map((r) => ({
			test: testRow(r.test),
			train: trainRow(r.train)
		}));
	}
	let compared: CleanedComparison | null = null;
	let split: string | null = null;
	if (options.compare) {
		const profile = profileTable(table, options.target);
		const suggested = suggestSplit(profile, options.target, options.seed ?? 42);
		split = suggested.reason;
		const backend = await computeFor({ kind: 'auto', seed: options.seed ?? 42 });
		const drop = new Set(rowsToLeaveOut(result, ['label', 'duplicate']).rows);
		compared = await withFoldPool(backend, (hooks) =>
			compareCleaned(
				table,
				{
					target: options.target,
					task: result.task,
					// The audit's recipe: its leak suspects left out, or they would decide the comparison.
					recipe: result.recipe,
					split: suggested.spec,
					model: { kind: 'auto', seed: options.seed ?? 42 },
					robustness: false,
					importance: false
				},
				drop,
				hooks
			)
		);
	}
	return {
		result,
		table,
		dataRow: dataRowOf(report),
		repeated,
		testFile: options.testFile ? basename(options.testFile) : null,
		compared,
		split
	};
}

/**
 * Table row → the file's 1-based data row: rows left out for a wrong field count (their physical
 * lines, one line a row) still count, so the numbers match the file a person opens.
 */
function dataRowOf(report: ParseReport): (row: number) => number {
	const skipped = report.raggedLines.map((line) => line - 1).sort((a, b) => a - b);
	return (row) => {
		let n = row + 1;
		for (const s of skipped) if (s <= n) n++;
		return n;
	};
}

/** The audit as `--json` prints it. */
export function auditJson(output: AuditOutput) {
	const { result, dataRow, repeated } = output;
	return {
		task: result.task,
		target: result.target,
		rows: result.rows,
		folds: result.folds,
		rounds: result.rounds,
		models: result.models,
		network_left_out: result.networkLeftOut,
		label_issues: result.labelIssues.map((i) => ({
			row: dataRow(i.row),
			given: i.given,
			suggested: i.suggested,
			score: i.score,
			reason: i.reason
		})),
		residual_issues: result.residualIssues.map((i) => ({
			row: dataRow(i.row),
			given: i.given,
			predicted: i.predicted,
			score: i.score,
			reason: i.reason
		})),
		/** Classes with fewer rows than folds: their rows, not judged (often a typo or a code). */
		rare_classes: result.rareClasses.map((c) => ({
			label: c.label,
			rows: c.rows.map(dataRow),
			reason: c.reason
		})),
		/** `[given][likely true]` in rows, classes in `labels` order. */
		noise_matrix: result.noiseMatrix,
		labels: result.labels,
		outliers: result.outliers.map((o) => ({
			row: dataRow(o.row),
			score: o.score,
			reason: o.reason
		})),
		duplicates: result.duplicates.map((d) => ({
			rows: d.rows.map(dataRow),
			kind: d.kind,
			conflicting: d.conflicting
		})),
		leakage: result.leakage,
		/** With --test: test rows equal to a training row on every feature ({ test, train } rows). */
		repeated_in_test: repeated,
		/** With --compare: { metric, test_rows, original, cleaned, difference, interval, verdict }. */
		compare: output.compared
			? {
					metric: output.compared.metric,
					test_rows: output.compared.testRows,
					original: output.compared.original,
					cleaned: output.compared.cleaned,
					difference: output.compared.comparison?.difference ?? null,
					interval: output.compared.comparison
						? [output.compared.comparison.lower, output.compared.comparison.upper]
						: null,
					verdict: output.compared.comparison?.verdict ?? null
				}
			: null,
		seconds: result.seconds
	};
}

/** A count as the CLI writes counts: with thousands separators. */
const count = (n: number) => n.toLocaleString('en-US');

/** The audit as the CLI prints it. */
export function auditText(output: AuditOutput): string {
	const { result, dataRow, repeated } = output;
	const lines: string[] = [];
	const shown = 15;
	const issues = result.task === 'regression' ? result.residualIssues : result.labelIssues;
	// Under the issues' own table: how many it does not show.
	const more =
		issues.length > shown
			? `  … ${count(issues.length - shown)} more (--json or --out for all)`
			: null;
	lines.push(
		`Audited ${count(result.rows)} rows of "${result.target}" (${result.task}; out-of-fold predictions on ${result.folds} folds of ${auditModelWords(result.models)}; in ${result.seconds.toFixed(1)} s).`,
		''
	);
	if (result.networkLeftOut) lines.push(result.networkLeftOut, '');
	if (result.task === 'regression') {
		lines.push(`Extreme residuals: ${count(issues.length)}`);
		if (issues.length)
			lines.push(
				...textTable(
					['row', 'given', 'predicted', 'score'],
					result.residualIssues
						.slice(0, shown)
						.map((i) => [
							String(dataRow(i.row)),
							String(i.given),
							i.predicted.toPrecision(4),
							i.score.toFixed(1)
						]),
					1
				)
			);
		if (more) lines.push(more);
	} else {
		lines.push(`Label issues: ${count(issues.length)} of ${count(result.rows)} rows`);
		if (result.labelIssues.length)
			lines.push(
				...textTable(
					['row', 'given', 'suggested', 'score'],
					result.labelIssues
						.slice(0, shown)
						.map((i) => [String(dataRow(i.row)), i.given, i.suggested, scoreText(i.score)]),
					3
				)
			);
		if (more) lines.push(more);
		if (result.noiseMatrix) {
			lines.push('', 'Estimated noise (rows): given label by row, likely true label by column');
			lines.push(
				...textTable(
					['given \\ true', ...result.labels],
					result.noiseMatrix.map((row, i) => [
						result.labels[i]!,
						...row.map((v) => count(Math.round(v)))
					]),
					1
				)
			);
		}
	}
	for (const c of result.rareClasses)
		lines.push(`Rare class: ${c.reason} Rows: ${c.rows.slice(0, 10).map(dataRow).join(', ')}`);
	lines.push('', `Outliers: ${count(result.outliers.length)}`);
	for (const o of result.outliers.slice(0, 5)) lines.push(`  row ${dataRow(o.row)}: ${o.reason}`);
	const conflicting = result.duplicates.filter((d) => d.conflicting).length;
	lines.push(
		'',
		`Duplicate groups: ${count(result.duplicates.length)} (${count(conflicting)} with conflicting labels)`
	);
	for (const d of result.duplicates.slice(0, 5))
		lines.push(
			`  rows ${d.rows.map(dataRow).join(', ')}: ${d.kind}${d.conflicting ? ', labels conflict' : ''}`
		);
	lines.push('', `Leakage suspects: ${result.leakage.length}`);
	for (const l of result.leakage) lines.push(`  ${l.reason}`);
	if (repeated)
		lines.push(
			'',
			`Rows of ${output.testFile} repeated from the training file: ${count(repeated.length)}`,
			...repeated.slice(0, 5).map((r) => `  test row ${r.test} = training row ${r.train}`)
		);
	const c = output.compared;
	if (c) {
		const name = c.metric === 'accuracy' ? 'accuracy' : 'R²';
		lines.push(
			'',
			`Trained with and without the flagged rows (labels and duplicates), the same ${c.original.model} spec, scored on the same ${count(c.testRows)} untouched test rows — ${output.split}`,
			`  original: ${name} ${c.original.value.toFixed(4)} (trained on ${count(c.original.trainedOn)} rows)`,
			`  without the flagged rows: ${name} ${c.cleaned.value.toFixed(4)} (trained on ${count(c.cleaned.trainedOn)} rows)`,
			...(c.comparison ? [`  ${comparisonText(c.comparison)}`] : [])
		);
	}
	lines.push('');
	return lines.join('\n');
}

/** The flagged rows as CSV: the row, why, and its values (`--out`). */
export async function writeFlagged(output: AuditOutput, path: string): Promise<number> {
	const flags = flagsOf(output.result, output.dataRow);
	await writeFile(path, flagsCsv(output.table, flags, output.dataRow));
	return flags.length;
}
