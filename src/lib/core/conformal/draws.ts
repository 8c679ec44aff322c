import type { Table } from '../table/types';

/**
 * Each row's draw u ∈ [0, 1) for randomised prediction sets, from the row's own input values: a
 * hash (FNV-1a, then an avalanche) of the named columns' values — a number's float64 bits, a
 * category's text, a missing value as its own token. The same inputs always get the same draw
 * (one row, one set, in the studio, the runtime and the CLI), and different rows independent
 * ones. (A draw from the row's probabilities instead gave every row that a model maps to the
 * same probabilities the same draw — a near-separable table's sharpened outputs, or a small
 * tree model's leaves — and coverage drifted from the level.)
 */
export function rowDraws(
	table: Table,
	columns: readonly string[],
	rows?: Int32Array
): Float64Array {
	const n = rows ? rows.length : table.rowCount;
	const byName = new Map(table.columns.map((c) => [c.name, c]));
	const picked = columns.map((name) => byName.get(name) ?? null);
	const view = new DataView(new ArrayBuffer(8));
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const r = rows ? rows[i]! : i;
		let h = 0x811c9dc5;
		const mix = (byte: number) => {
			h = Math.imul(h ^ byte, 0x01000193);
		};
		for (const column of picked) {
			if (!column) {
				mix(0xfe);
				continue;
			}
			if (column.storage === 'float') {
				const v = column.values[r]!;
				if (v !== v) mix(0xff);
				else {
					view.setFloat64(0, v === 0 ? 0 : v);
					for (let b = 0; b < 8; b++) mix(view.getUint8(b));
				}
			} else {
				const code = column.codes[r]!;
				if (code < 0) mix(0xff);
				else {
					const text = column.categories[code]!;
					for (let c = 0; c < text.length; c++) {
						const unit = text.charCodeAt(c);
						mix(unit & 0xff);
						mix(unit >>> 8);
					}
				}
			}
			// A separator, so that ("ab", "c") and ("a", "bc") differ.
			mix(0x1f);
		}
		h ^= h >>> 16;
		h = Math.imul(h, 0x85ebca6b);
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35);
		h ^= h >>> 16;
		out[i] = (h >>> 0) / 4294967296;
	}
	return out;
}
