import { profileTable } from '../../lib/core/profile/profile';
import type { TableProfile } from '../../lib/core/profile/types';
import { describeDelimiter } from '../../lib/core/table/csv';
import { formatDateTime } from '../../lib/core/table/datetime';
import { missingTokenLines } from '../../lib/core/table/missing';
import {
	InputError,
	type ColumnType,
	type Dialect,
	type ParseReport
} from '../../lib/core/table/types';
import { readFileTable, type ReadFileOptions } from '../read-file';

/** A profiled file: its dialect, parse report and profile. */
export interface ProfileResult {
	file: string;
	dialect: Dialect;
	report: ParseReport;
	profile: TableProfile;
}

/** `driftwood profile`: the schema, dialect and profile of a file. */
export async function profileFile(
	path: string,
	target: string | null,
	options: ReadFileOptions
): Promise<ProfileResult> {
	const { table, dialect, report } = await readFileTable(path, options);
	if (target !== null && !table.columns.some((c) => c.name === target)) {
		throw new InputError(`There is no column "${target}" to use as the target.`, 'no-columns');
	}
	return { file: path, dialect, report, profile: profileTable(table, target) };
}

/** The profile as `driftwood profile --json` writes it. */
export function profileJson({ file, dialect, report, profile }: ProfileResult) {
	return {
		file,
		dialect,
		rows: profile.rowCount,
		raggedRows: { count: report.raggedCount, lines: report.raggedLines },
		missingTokens: report.missingTokens ?? [],
		duplicateRows: profile.duplicateRows,
		target: profile.target,
		columns: profile.columns.map((c) => ({
			name: c.name,
			type: c.type,
			count: c.count,
			missing: c.missing,
			unique: c.unique,
			mean: c.mean,
			std: c.std,
			min: c.min,
			max: c.max,
			p25: c.p25,
			p50: c.p50,
			p75: c.p75,
			top: c.top,
			association: c.association
		})),
		correlation: profile.correlation,
		warnings: profile.warnings
	};
}

/** The profile as `driftwood profile` prints it. */
export function profileText({ file, dialect, report, profile }: ProfileResult): string {
	const lines: string[] = [];
	const format =
		dialect.format === 'json'
			? 'JSON records'
			: dialect.format === 'jsonl'
				? 'JSON Lines'
				: dialect.format === 'parquet'
					? 'Parquet'
					: dialect.format === 'arrow'
						? 'Arrow IPC'
						: `delimiter ${describeDelimiter(dialect.delimiter)}, decimal "${dialect.decimal}", ${dialect.header ? 'header row' : 'no header'}, line endings ${dialect.lineEnding}${dialect.bom ? ', BOM' : ''}`;
	lines.push(
		`${file}: ${profile.rowCount} rows × ${profile.columns.length} columns (${dialect.encoding}; ${format})`
	);
	if (report.raggedCount > 0) {
		lines.push(
			`${report.raggedCount} ragged rows left out (lines ${report.raggedLines.slice(0, 10).join(', ')}${report.raggedCount > 10 ? ', …' : ''})`
		);
	}
	const tokens = missingTokenLines(report.missingTokens ?? [], profile.rowCount);
	if (tokens.length)
		lines.push(
			'Cells that may mean "no value" (--na <tokens> or --keep-na to read them otherwise):',
			...tokens.map((t) => `  ${t}`)
		);
	lines.push('');
	const header = [
		'column',
		'type',
		'count',
		'missing',
		'unique',
		'mean',
		'std',
		'min',
		'p25',
		'p50',
		'p75',
		'max'
	];
	const rows = profile.columns.map((c) => [
		c.name,
		c.type + (c.name === profile.target ? ' (target)' : ''),
		String(c.count),
		String(c.missing),
		String(c.unique),
		short(c.mean, c.type),
		c.type === 'datetime' ? duration(c.std) : short(c.std, 'numeric'),
		...[c.min, c.p25, c.p50, c.p75, c.max].map((v) => short(v, c.type))
	]);
	lines.push(...textTable(header, rows, 2));
	lines.push('');
	if (profile.warnings.length === 0) lines.push('No quality warnings.');
	else lines.push('Warnings:', ...profile.warnings.map((w) => `  - ${w.message}`));
	return `${lines.join('\n')}\n`;
}

/** Columns padded to their widest cell; the first `leftAligned` columns are text. */
export function textTable(header: string[], rows: string[][], leftAligned: number): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (i < leftAligned ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * A value as it is: whole numbers in full (a maximum of 7,043,545 is not 7043550), others to six
 * significant digits but never fewer than two decimals' worth of a large number.
 */
export function short(value: number | null, type: ColumnType): string {
	if (value === null) return '';
	if (type === 'datetime') return formatDateTime(Math.round(value));
	if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
	if (Math.abs(value) >= 1e5) return String(Number(value.toFixed(2)));
	return Number(value.toPrecision(6)).toString();
}

/** A spread of instants (milliseconds) in days, hours or seconds. */
function duration(ms: number | null): string {
	if (ms === null) return '';
	const day = 86_400_000;
	if (ms >= day) return `${Number((ms / day).toPrecision(4))} days`;
	if (ms >= 3_600_000) return `${Number((ms / 3_600_000).toPrecision(4))} hours`;
	return `${Number((ms / 1000).toPrecision(4))} s`;
}
