import { columnValueText } from '../table/access';
import type { Table } from '../table/types';
import type { Predictions } from './predict';
import { boundColumns } from '../conformal/predictions';

/** Columns a download adds after the probabilities: their header and each row's cells. */
export interface ExtraColumns {
	header: string[];
	cells: (row: number) => string[];
}

/**
 * The predictions as CSV: the input columns as they were read, then `prediction`, then
 * `probability_<label>` per class, then the bounds (`level`, `lower` / `upper` or `set`) when the
 * result has them, then `extra` columns. RFC 4180 quoting; cells that a spreadsheet would run as a
 * formula are prefixed with a quote mark.
 */
export function predictionsCsv(
	table: Table,
	result: Predictions,
	/** More columns at the end (a row's contributions). */
	extra?: ExtraColumns
): string {
	const extras = [
		...(result.bounds ? [boundColumns(result.bounds, result.labels)] : []),
		...(extra ? [extra] : [])
	];
	const header = [
		...table.columns.map((c) => c.name),
		'prediction',
		...result.labels.map((l) => `probability_${l}`),
		...extras.flatMap((e) => e.header)
	];
	const k = result.labels.length;
	const lines = [header.map(csvCell).join(',')];
	for (let i = 0; i < table.rowCount; i++) {
		const row = table.columns.map((c) => csvCell(columnValueText(c, i)));
		const p = result.predictions[i]!;
		row.push(csvCell(typeof p === 'number' ? String(p) : p));
		for (let c = 0; c < k; c++) row.push(String(result.probabilities![i * k + c]));
		for (const e of extras) row.push(...e.cells(i).map(csvCell));
		lines.push(row.join(','));
	}
	return `${lines.join('\n')}\n`;
}

/** A plain number, the one thing a cell may start with `-` or `+` for. */
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * One CSV cell (RFC 4180 quoting). A spreadsheet runs a cell that starts with = + - @, a tab or a
 * carriage return as a formula (`-1+cmd|' /C calc'!A0` starts with a digit after its minus, yet
 * is one), so every such cell but a plain number gets a leading quote mark (OWASP's advice).
 */
export function csvCell(text: string): string {
	const safe = /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
