import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { profileTable } from '../lib/core/profile/profile';
import type { TableProfile } from '../lib/core/profile/types';
import { describeDelimiter } from '../lib/core/table/csv';
import { SNIFF_BYTES, sniffDialect } from '../lib/core/table/dialect';
import { readTable } from '../lib/core/table/read';
import { formatDateTime } from '../lib/core/table/datetime';
import {
	InputError,
	type ColumnType,
	type Dialect,
	type Encoding,
	type ParseReport
} from '../lib/core/table/types';

interface Output {
	write(text: string): unknown;
}

const USAGE = `Usage: driftwood <command> [options]

Commands:
  profile <file>   Read a CSV, TSV or JSON file and print its dialect, schema and profile.

Options for profile:
  --json               Print JSON instead of a table
  --target <column>    Also rank every feature's association with this column
  --delimiter <char>   Override the detected delimiter (use "tab" for a tab)
  --encoding <name>    utf-8 (default), windows-1252 or iso-8859-1
  --no-header          The first row is data, not column names
  -h, --help           Show this help
`;

const ENCODINGS: readonly Encoding[] = ['utf-8', 'windows-1252', 'iso-8859-1'];

/** Runs the CLI; returns the exit code (0 ok, 1 bad input, 2 bad usage). */
export async function main(argv: string[], out: Output, err: Output): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				json: { type: 'boolean', default: false },
				target: { type: 'string' },
				delimiter: { type: 'string' },
				encoding: { type: 'string' },
				'no-header': { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		});
	} catch (error) {
		err.write(`driftwood: ${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const [command, file, ...rest] = parsed.positionals;
	if (parsed.values.help || !command) {
		(parsed.values.help ? out : err).write(USAGE);
		return parsed.values.help ? 0 : 2;
	}
	if (command !== 'profile') {
		err.write(`driftwood: unknown command "${command}"\n\n${USAGE}`);
		return 2;
	}
	if (!file || rest.length > 0) {
		err.write(`driftwood: profile takes exactly one file\n\n${USAGE}`);
		return 2;
	}
	const encoding = parsed.values.encoding;
	if (encoding !== undefined && !ENCODINGS.includes(encoding as Encoding)) {
		err.write(`driftwood: unknown encoding "${encoding}" (use ${ENCODINGS.join(', ')})\n`);
		return 2;
	}
	try {
		const result = await profileFile(file, {
			target: parsed.values.target ?? null,
			delimiter: parsed.values.delimiter,
			encoding: encoding as Encoding | undefined,
			header: !parsed.values['no-header']
		});
		out.write(
			parsed.values.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : formatText(result)
		);
		return 0;
	} catch (error) {
		if (error instanceof InputError || isFileError(error)) {
			const hint =
				error instanceof InputError && error.code === 'encoding'
					? ' (pass --encoding windows-1252)'
					: '';
			err.write(`driftwood: ${describeFileError(error, file)}${hint}\n`);
			return 1;
		}
		throw error;
	}
}

interface ProfileResult {
	file: string;
	dialect: Dialect;
	report: ParseReport;
	profile: TableProfile;
}

async function profileFile(
	path: string,
	options: { target: string | null; delimiter?: string; encoding?: Encoding; header: boolean }
): Promise<ProfileResult> {
	const { size } = await stat(path);
	const handle = await open(path);
	const head = new Uint8Array(Math.min(size, SNIFF_BYTES));
	await handle.read(head, 0, head.length, 0);
	await handle.close();
	const sniffed = sniffDialect(head, basename(path));
	const dialect: Dialect = {
		...sniffed,
		delimiter: options.delimiter === 'tab' ? '\t' : (options.delimiter ?? sniffed.delimiter),
		encoding: options.encoding ?? sniffed.encoding,
		header: options.header && sniffed.header
	};
	const { table, report } = await readTable(createReadStream(path, { highWaterMark: 1 << 20 }), {
		dialect,
		totalBytes: size,
		sample: head
	});
	if (options.target !== null && !table.columns.some((c) => c.name === options.target)) {
		throw new InputError(
			`There is no column "${options.target}" to use as the target.`,
			'no-columns'
		);
	}
	return { file: path, dialect, report, profile: profileTable(table, options.target) };
}

function toJson({ file, dialect, report, profile }: ProfileResult) {
	return {
		file,
		dialect,
		rows: profile.rowCount,
		raggedRows: { count: report.raggedCount, lines: report.raggedLines },
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

function formatText({ file, dialect, report, profile }: ProfileResult): string {
	const lines: string[] = [];
	const format =
		dialect.format === 'json'
			? 'JSON records'
			: `delimiter ${describeDelimiter(dialect.delimiter)}, decimal "${dialect.decimal}", ${dialect.header ? 'header row' : 'no header'}, line endings ${dialect.lineEnding}${dialect.bom ? ', BOM' : ''}`;
	lines.push(
		`${file}: ${profile.rowCount} rows × ${profile.columns.length} columns (${dialect.encoding}; ${format})`
	);
	if (report.raggedCount > 0) {
		lines.push(
			`${report.raggedCount} ragged rows left out (lines ${report.raggedLines.slice(0, 10).join(', ')}${report.raggedCount > 10 ? ', …' : ''})`
		);
	}
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
		short(c.std, 'numeric'),
		...[c.min, c.p25, c.p50, c.p75, c.max].map((v) => short(v, c.type))
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
			.join('  ')
			.trimEnd();
	lines.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
	lines.push('');
	if (profile.warnings.length === 0) lines.push('No quality warnings.');
	else lines.push('Warnings:', ...profile.warnings.map((w) => `  - ${w.message}`));
	return `${lines.join('\n')}\n`;
}

function short(value: number | null, type: ColumnType): string {
	if (value === null) return '';
	if (type === 'datetime') return formatDateTime(Math.round(value));
	if (!Number.isFinite(value)) return String(value);
	return Number(value.toPrecision(6)).toString();
}

function isFileError(error: unknown): error is NodeJS.ErrnoException {
	return (
		error instanceof Error &&
		typeof (error as NodeJS.ErrnoException).code === 'string' &&
		'syscall' in error
	);
}

function describeFileError(error: Error, file: string): string {
	if (!isFileError(error)) return error.message;
	if (error.code === 'ENOENT') return `cannot read "${file}": no such file.`;
	if (error.code === 'EISDIR') return `cannot read "${file}": it is a folder, not a file.`;
	if (error.code === 'EACCES') return `cannot read "${file}": permission denied.`;
	return `cannot read "${file}": ${error.message}`;
}
