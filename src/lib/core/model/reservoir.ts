import { columnValueText } from '../table/access';
import type { ColumnType, Table } from '../table/types';
import { seededRandom } from '../stats/random';

/** Raw values of some reference rows, per column: what drift is measured against. */
export interface ReferenceSample {
	/** Rows the sample was drawn from (the training split). */
	rows: number;
	columns: { name: string; numeric: boolean; values: (number | string | null)[] }[];
}

/** A reference sample holds at most this many rows. */
export const REFERENCE_SAMPLE_ROWS = 10_000;

/**
 * A seeded reservoir sample (Algorithm R) of `rows`, at most `size`, of the listed columns,
 * as plain JSON values: numbers for numeric and datetime columns, text otherwise, null if missing.
 */
export function sampleReference(
	table: Table,
	rows: Int32Array,
	columns: string[],
	seed: number,
	size = REFERENCE_SAMPLE_ROWS
): ReferenceSample {
	const random = seededRandom(seed ^ 0x7e5e);
	const picked = Array.from(rows.subarray(0, Math.min(size, rows.length)));
	for (let i = size; i < rows.length; i++) {
		const j = Math.floor(random() * (i + 1));
		if (j < size) picked[j] = rows[i]!;
	}
	picked.sort((a, b) => a - b);
	return {
		rows: rows.length,
		columns: columns.map((name) => {
			const column = table.columns.find((c) => c.name === name)!;
			const numeric = column.storage === 'float';
			return {
				name,
				numeric,
				values: picked.map((r) => {
					if (numeric) {
						const v = column.values[r]!;
						return Number.isFinite(v) ? v : null;
					}
					const text = columnValueText(column, r);
					return column.codes[r]! < 0 ? null : text;
				})
			};
		})
	};
}

/**
 * The sample back as a columnar table, for the drift report. `types` restores what JSON lost:
 * which numbers are instants (a model refuses plain numbers for a datetime input).
 */
export function sampleTable(
	sample: ReferenceSample,
	types: ReadonlyMap<string, ColumnType> = new Map()
): Table {
	const rowCount = sample.columns[0]?.values.length ?? 0;
	return {
		rowCount,
		columns: sample.columns.map((c) => {
			if (c.numeric)
				return {
					storage: 'float',
					name: c.name,
					type: types.get(c.name) === 'datetime' ? 'datetime' : 'numeric',
					values: Float64Array.from(c.values, (v) => (typeof v === 'number' ? v : NaN))
				};
			const categories: string[] = [];
			const index = new Map<string, number>();
			const codes = Int32Array.from(c.values, (v) => {
				if (v === null) return -1;
				const text = String(v);
				let code = index.get(text);
				if (code === undefined) {
					code = categories.length;
					index.set(text, code);
					categories.push(text);
				}
				return code;
			});
			const type = types.get(c.name);
			const coded = type === 'boolean' || type === 'text' || type === 'id' ? type : 'categorical';
			return { storage: 'coded', name: c.name, type: coded, codes, categories };
		})
	};
}
