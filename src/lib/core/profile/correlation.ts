import type { CorrelationMatrix } from './types';

const MIN_PAIRS = 3;

/**
 * Pearson's r of `x` and `y` over the rows where both are present (pandas' pairwise-complete
 * rule). Null when fewer than three rows pair up or either side is constant.
 */
export function pearson(x: Float64Array, y: Float64Array): number | null {
	let n = 0;
	let mx = 0;
	let my = 0;
	for (let i = 0; i < x.length; i++) {
		const a = x[i]!;
		const b = y[i]!;
		if (Number.isNaN(a) || Number.isNaN(b)) continue;
		n++;
		mx += a;
		my += b;
	}
	if (n < MIN_PAIRS) return null;
	mx /= n;
	my /= n;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < x.length; i++) {
		const a = x[i]!;
		const b = y[i]!;
		if (Number.isNaN(a) || Number.isNaN(b)) continue;
		sxy += (a - mx) * (b - my);
		sxx += (a - mx) * (a - mx);
		syy += (b - my) * (b - my);
	}
	if (sxx === 0 || syy === 0) return null;
	const r = sxy / Math.sqrt(sxx * syy);
	return Math.max(-1, Math.min(1, r));
}

/** The correlation matrix of numeric columns (symmetric, 1 on the diagonal). */
export function correlationMatrix(names: string[], columns: Float64Array[]): CorrelationMatrix {
	const k = columns.length;
	const values: (number | null)[][] = Array.from({ length: k }, () => new Array(k).fill(null));
	for (let i = 0; i < k; i++) {
		values[i]![i] = 1;
		for (let j = i + 1; j < k; j++) {
			const r = pearson(columns[i]!, columns[j]!);
			values[i]![j] = r;
			values[j]![i] = r;
		}
	}
	return { names, values };
}
