import { DriftwoodError } from '../errors';
import type { CodedColumn, Column, FloatColumn, Table } from './types';

/**
 * The rows of several tables, one after another. Every part must have the first part's columns
 * (same names, same storage; extra columns are ignored). Coded columns get the union of the parts'
 * categories: the first part's in its order, then new ones as they appear, so the first part's
 * codes are unchanged.
 */
export function appendTables(parts: Table[]): Table {
	const [first] = parts;
	if (!first) return { rowCount: 0, columns: [] };
	const rowCount = parts.reduce((sum, t) => sum + t.rowCount, 0);
	const columns = first.columns.map((column): Column => {
		const pieces = parts.map((part, i) => {
			const piece = part.columns.find((c) => c.name === column.name);
			if (!piece || piece.storage !== column.storage) {
				throw new DriftwoodError(
					`Part ${i + 1} has no ${column.storage === 'float' ? 'numeric' : 'text'} column "${column.name}" to append.`,
					'schema'
				);
			}
			return piece;
		});
		return column.storage === 'float'
			? appendFloat(column, pieces as FloatColumn[], rowCount)
			: appendCoded(column, pieces as CodedColumn[], rowCount);
	});
	return { rowCount, columns };
}

function appendFloat(head: FloatColumn, pieces: FloatColumn[], rowCount: number): FloatColumn {
	const values = new Float64Array(rowCount);
	let at = 0;
	for (const piece of pieces) {
		values.set(piece.values, at);
		at += piece.values.length;
	}
	return { storage: 'float', name: head.name, type: head.type, values };
}

function appendCoded(head: CodedColumn, pieces: CodedColumn[], rowCount: number): CodedColumn {
	const categories = [...head.categories];
	const index = new Map(categories.map((c, i) => [c, i]));
	const codes = new Int32Array(rowCount);
	let at = 0;
	for (const piece of pieces) {
		const remap = Int32Array.from(piece.categories, (category) => {
			let code = index.get(category);
			if (code === undefined) {
				code = categories.length;
				index.set(category, code);
				categories.push(category);
			}
			return code;
		});
		for (let i = 0; i < piece.codes.length; i++) {
			const code = piece.codes[i]!;
			codes[at + i] = code < 0 ? -1 : remap[code]!;
		}
		at += piece.codes.length;
	}
	return { storage: 'coded', name: head.name, type: head.type, codes, categories };
}
