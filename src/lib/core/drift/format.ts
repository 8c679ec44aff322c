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
