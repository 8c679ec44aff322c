/** One row of a side-by-side comparison: a field and its value in each run. */
export interface ComparisonRow {
	field: string;
	values: string[];
	/** True when the runs disagree on this field. */
	differs: boolean;
}

/**
 * Flattens nested plain objects to "a.b.c" → text, so that runs can be lined up field by field.
 * Arrays are shown whole ("64, 32").
 */
export function flatten(
	value: unknown,
	prefix = '',
	out: Record<string, string> = {}
): Record<string, string> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, inner] of Object.entries(value))
			flatten(inner, prefix ? `${prefix}.${key}` : key, out);
	} else if (prefix) {
		out[prefix] = Array.isArray(value)
			? value.join(', ')
			: value === null || value === undefined
				? '—'
				: typeof value === 'number'
					? formatNumber(value)
					: String(value);
	}
	return out;
}

function formatNumber(v: number): string {
	return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/** Lines up flattened runs: every field any run has, in first-seen order. */
export function compareRuns(runs: Record<string, string>[]): ComparisonRow[] {
	const fields: string[] = [];
	const seen = new Set<string>();
	for (const run of runs) {
		for (const field of Object.keys(run)) {
			if (!seen.has(field)) {
				seen.add(field);
				fields.push(field);
			}
		}
	}
	return fields.map((field) => {
		const values = runs.map((run) => run[field] ?? '—');
		return { field, values, differs: values.some((v) => v !== values[0]) };
	});
}
