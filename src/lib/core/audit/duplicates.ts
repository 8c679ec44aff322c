import { columnValueText } from '../table/access';
import type { Table } from '../table/types';

/** Rows that repeat one another on every feature. */
export interface DuplicateGroup {
	/** Table row indices, ascending. */
	rows: number[];
	/** `exact`: the same cells; `near`: the same once numbers are rounded to 4 significant digits and text is trimmed and lower-cased. */
	kind: 'exact' | 'near';
	/** Their targets differ: at most one of them is right. */
	conflicting: boolean;
}

/** A cell as an exact key: the number's own digits, or the text; missing as one token. */
function exactKey(table: Table, column: number, row: number): string {
	const c = table.columns[column]!;
	if (c.storage === 'float') {
		const v = c.values[row]!;
		return Number.isNaN(v) ? '\u0000' : String(v);
	}
	const code = c.codes[row]!;
	return code < 0 ? '\u0000' : c.categories[code]!;
}

/** A cell as a near key: numbers to 4 significant digits, text trimmed and lower-cased. */
function nearKey(table: Table, column: number, row: number): string {
	const c = table.columns[column]!;
	if (c.storage === 'float') {
		const v = c.values[row]!;
		return Number.isNaN(v) ? '\u0000' : Number(v.toPrecision(4)).toString();
	}
	const code = c.codes[row]!;
	return code < 0 ? '\u0000' : c.categories[code]!.trim().toLowerCase();
}

/**
 * Groups of rows equal on every feature (`features`: column names), exact first, then near
 * duplicates that are not exact ones; each marked conflicting when their targets differ.
 */
export function duplicateGroups(
	table: Table,
	features: string[],
	target: string,
	rows: Int32Array
): DuplicateGroup[] {
	const index = features.map((f) => table.columns.findIndex((c) => c.name === f));
	const targetIndex = table.columns.findIndex((c) => c.name === target);
	const groupsBy = (key: (column: number, row: number) => string) => equalOnEvery(rows, index, key);
	const conflicting = (group: number[]) =>
		new Set(group.map((r) => exactKey(table, targetIndex, r))).size > 1;
	const exact = groupsBy((c, r) => exactKey(table, c, r));
	const near = groupsBy((c, r) => nearKey(table, c, r));
	// A near group that is one exact group and nothing more says nothing new.
	const exactKeys = new Set(exact.map((g) => g.join(',')));
	return [
		...exact.map((g) => ({ rows: g, kind: 'exact' as const, conflicting: conflicting(g) })),
		...near
			.filter((g) => !exactKeys.has(g.join(',')))
			.map((g) => ({ rows: g, kind: 'near' as const, conflicting: conflicting(g) }))
	];
}

/**
 * The groups (two rows or more) of `rows` whose cells are equal on every column of `columns`,
 * each group in the order of `rows`, groups in the order of their first row. Refined one column
 * at a time, keeping only rows that still share a key with another: on real tables a column or
 * two leaves few candidates, so most cells never have their key made.
 */
function equalOnEvery(
	rows: Int32Array,
	columns: number[],
	key: (column: number, row: number) => string
): number[][] {
	let groups: number[][] = [Array.from(rows)];
	for (const column of columns) {
		const next: number[][] = [];
		for (const group of groups) {
			const byKey = new Map<string, number[]>();
			for (const r of group) {
				const k = key(column, r);
				const list = byKey.get(k);
				if (list) list.push(r);
				else byKey.set(k, [r]);
			}
			for (const list of byKey.values()) if (list.length > 1) next.push(list);
		}
		groups = next;
		if (!groups.length) return [];
	}
	groups = groups.filter((g) => g.length > 1);
	const position = new Map<number, number>();
	rows.forEach((r, i) => position.set(r, i));
	return groups.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!);
}

/** A test row that repeats a training row on every feature (a leak into the test score). */
export interface RepeatedRow {
	/** The row of the test table. */
	test: number;
	/** The first training row it repeats. */
	train: number;
}

/** Rows of `test` equal, on every feature, to a row of `train` (read as the same columns). */
export function repeatedRows(train: Table, test: Table, features: string[]): RepeatedRow[] {
	const key = (table: Table, row: number) =>
		features
			.map((f) => {
				const c = table.columns.findIndex((col) => col.name === f);
				return c < 0 ? '\u0000' : columnValueText(table.columns[c]!, row);
			})
			.join('\u0001');
	const seen = new Map<string, number>();
	for (let r = 0; r < train.rowCount; r++) {
		const k = key(train, r);
		if (!seen.has(k)) seen.set(k, r);
	}
	const repeated: RepeatedRow[] = [];
	for (let r = 0; r < test.rowCount; r++) {
		const at = seen.get(key(test, r));
		if (at !== undefined) repeated.push({ test: r, train: at });
	}
	return repeated;
}
