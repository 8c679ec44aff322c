import { readFile, writeFile } from 'node:fs/promises';
import { modelMissingPolicy } from '../../lib/core/bundle/enforce';
import type { Explanations } from '../../lib/core/explain/explain';
import { loadBundle } from '../index';
import { readFileTable, type ReadFileOptions } from '../read-file';

/** `driftwood explain`: every row's exact contributions per input column, from a bundle. */
export async function explainFile(
	bundlePath: string,
	path: string,
	options: ReadFileOptions
): Promise<Explanations> {
	const model = await loadBundle(new Uint8Array(await readFile(bundlePath)));
	try {
		const missing = options.missing ?? modelMissingPolicy(model.manifest);
		const { table } = await readFileTable(path, { ...options, missing });
		return await model.explainTable(table);
	} finally {
		model.dispose();
	}
}

/**
 * The explanations as CSV: per row and output, the output, the base and one `shap_<column>`
 * per input column (and `se_<column>`, its standard error, when the values are estimates) (a multiclass model: one line per row and class, its `output` column naming
 * the class).
 */
export function explanationsCsv(explained: Explanations): string {
	const columns = Object.keys(explained.rows[0]?.contributions ?? {});
	const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	const errors = explained.estimated;
	const lines = [
		[
			'row',
			'output',
			'value',
			'base',
			...columns.map((c) => `shap_${c}`),
			...(errors ? columns.map((c) => `se_${c}`) : [])
		]
			.map(quote)
			.join(',')
	];
	for (const r of explained.rows)
		explained.outputs.forEach((name, k) =>
			lines.push(
				[
					String(r.row),
					quote(name),
					String(r.output[k]),
					String(r.base[k]),
					...columns.map((c) => String(r.contributions[c]![k])),
					...(errors ? columns.map((c) => String(r.errors![c]![k])) : [])
				].join(',')
			)
		);
	return `${lines.join('\n')}\n`;
}

/** Writes the CSV. */
export async function writeExplanations(csv: string, out: string): Promise<void> {
	await writeFile(out, csv);
}

/** A short text report: per output, the columns that moved the first rows most. */
export function explanationsText(explained: Explanations, rows = 5): string {
	const lines: string[] = [`Contributions: ${explained.method}.`];
	for (const r of explained.rows.slice(0, rows)) {
		explained.outputs.forEach((name, k) => {
			const top = Object.entries(r.contributions)
				.map(([c, v]) => [c, v[k]!] as const)
				.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
				.slice(0, 3)
				.map(
					([c, v]) =>
						`${c} ${v >= 0 ? '+' : ''}${v.toFixed(4)}${r.errors ? ` ± ${r.errors[c]![k]!.toFixed(4)}` : ''}`
				)
				.join(', ');
			lines.push(
				`row ${r.row} · ${name} ${r.output[k]!.toFixed(4)} = base ${r.base[k]!.toFixed(4)} + … (${top})`
			);
		});
	}
	if (explained.rows.length > rows)
		lines.push(`… ${explained.rows.length - rows} more rows (--out or --json for all)`);
	return `${lines.join('\n')}\n`;
}
