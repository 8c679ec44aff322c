import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { runAudit, type AuditResult } from '../../lib/core/audit/audit';
import { repeatedRows, type RepeatedRow } from '../../lib/core/audit/duplicates';
import { enforceSchema } from '../../lib/core/bundle/enforce';
import { flagsCsv, flagsOf } from '../../lib/core/audit/flags';
import type { ParseReport, Table } from '../../lib/core/table/types';
import { readFileTable, type ReadFileOptions } from '../read-file';
import { textTable } from './profile';

/** The options of `driftwood audit`. */
export interface AuditOptions extends ReadFileOptions {
	target: string;
	/** A test file checked for rows repeated from the training file. */
	testFile?: string;
	seed?: number;
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
}

/** `driftwood audit <file> --target <col>`: the data audit of a file, in Node. */
export async function auditFile(path: string, options: AuditOptions): Promise<AuditOutput> {
	const { table, report } = await readFileTable(path, options);
	const result = await runAudit(table, {
		target: options.target,
		...(options.seed !== undefined ? { seed: options.seed } : {})
	});
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
	return {
		result,
		table,
		dataRow: dataRowOf(report),
		repeated,
		testFile: options.testFile ? basename(options.testFile) : null
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
export function auditJson({ result, dataRow, repeated }: AuditOutput) {
	return {
		task: result.task,
		target: result.target,
		rows: result.rows,
		folds: result.folds,
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
		seconds: result.seconds
	};
}

/** The audit as the CLI prints it. */
export function auditText(output: AuditOutput): string {
	const { result, dataRow, repeated } = output;
	const lines: string[] = [];
	const shown = 15;
	const issues = result.task === 'regression' ? result.residualIssues : result.labelIssues;
	lines.push(
		`Audited ${result.rows} rows of "${result.target}" (${result.task}; out-of-fold predictions of the trees on ${result.folds} folds, in ${result.seconds.toFixed(1)} s).`,
		''
	);
	if (result.task === 'regression') {
		lines.push(`Extreme residuals: ${issues.length}`);
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
					2
				)
			);
	} else {
		lines.push(`Label issues: ${issues.length} of ${result.rows} rows`);
		if (result.labelIssues.length)
			lines.push(
				...textTable(
					['row', 'given', 'suggested', 'score'],
					result.labelIssues
						.slice(0, shown)
						.map((i) => [String(dataRow(i.row)), i.given, i.suggested, i.score.toFixed(3)]),
					2
				)
			);
		if (result.noiseMatrix) {
			lines.push('', 'Estimated noise (rows): given label by row, likely true label by column');
			lines.push(
				...textTable(
					['given \\ true', ...result.labels],
					result.noiseMatrix.map((row, i) => [result.labels[i]!, ...row.map((v) => v.toFixed(0))]),
					2
				)
			);
		}
	}
	if (issues.length > shown)
		lines.push(`  … ${issues.length - shown} more (--json or --out for all)`);
	for (const c of result.rareClasses)
		lines.push(`Rare class: ${c.reason} Rows: ${c.rows.slice(0, 10).map(dataRow).join(', ')}`);
	lines.push('', `Outliers: ${result.outliers.length}`);
	for (const o of result.outliers.slice(0, 5)) lines.push(`  row ${dataRow(o.row)}: ${o.reason}`);
	const conflicting = result.duplicates.filter((d) => d.conflicting).length;
	lines.push(
		'',
		`Duplicate groups: ${result.duplicates.length} (${conflicting} with conflicting labels)`
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
			`Rows of ${output.testFile} repeated from the training file: ${repeated.length}`,
			...repeated.slice(0, 5).map((r) => `  test row ${r.test} = training row ${r.train}`)
		);
	lines.push('');
	return lines.join('\n');
}

/** The flagged rows as CSV: the row, why, and its values (`--out`). */
export async function writeFlagged(output: AuditOutput, path: string): Promise<number> {
	const flags = flagsOf(output.result, output.dataRow);
	await writeFile(path, flagsCsv(output.table, flags, output.dataRow));
	return flags.length;
}
