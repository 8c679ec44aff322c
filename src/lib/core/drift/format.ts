/* How a drift statistic and a share are written wherever a batch is reported (the CLI, the
   studio's batch report, the HTML report, the alerts), so they read the same everywhere. */

/** A statistic or p-value: four decimals, a tiny non-zero value in exponent form; null as "—". */
export function statisticText(v: number | null): string {
	if (v === null) return '—';
	return Math.abs(v) < 1e-4 && v !== 0 ? v.toExponential(2) : v.toFixed(4);
}

/** A share of rows or features, to a tenth of a percent: "12.5 %". */
export function shareText(share: number): string {
	return `${(share * 100).toFixed(1)} %`;
}

/**
 * A feature's statistic as reported: exact, or — from a warehouse summary, for KS and Wasserstein
 * — the range it is known to lie in ("0.0123–0.0456").
 */
export function featureStatisticText(f: {
	statistic: number;
	bound?: { statistic: [number, number] };
}): string {
	return f.bound ? rangeText(f.bound.statistic) : statisticText(f.statistic);
}

/** A feature's p-value as reported: exact, bounded (from a summary), or "—". */
export function featurePValueText(f: {
	pValue: number | null;
	bound?: { pValue: [number, number] | null };
}): string {
	return f.bound?.pValue ? rangeText(f.bound.pValue) : statisticText(f.pValue);
}

function rangeText([lower, upper]: [number, number]): string {
	return lower === upper ? statisticText(lower) : `${statisticText(lower)}–${statisticText(upper)}`;
}
