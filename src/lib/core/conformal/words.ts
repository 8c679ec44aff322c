import type { BundleConformal, RunConformal } from './calibrate';
import { DEFAULT_LEVEL, percentText, rowsNeeded, type Bounds } from './conformal';

export { percentText };
import type { Coverage } from './coverage';
import type { RowBound } from './predictions';

/** A value in the target's units, to four significant figures (whole above 1,000). */
function valueText(value: number): string {
	return Math.abs(value) >= 1000
		? Math.round(value).toLocaleString('en-US')
		: String(Number(value.toPrecision(4)));
}

/**
 * Measured coverage in one sentence: the share with its 95 % interval, the mean width or set size,
 * and whether it is below the level by more than chance.
 */
export function coverageText(coverage: Coverage, kind: 'interval' | 'set'): string {
	const measured = `${percentText(coverage.coverage)} (95 % interval ${percentText(coverage.lower)}–${percentText(coverage.upper)}) of ${coverage.rows.toLocaleString('en-US')} labelled rows`;
	const size =
		kind === 'interval'
			? `mean width ${valueText(coverage.width)}`
			: `mean set size ${coverage.width.toFixed(2)}${coverage.empty ? `, ${percentText(coverage.empty)} empty` : ''}`;
	const verdict = coverage.below
		? `below the ${percentText(coverage.level)} level by more than chance`
		: `consistent with the ${percentText(coverage.level)} level`;
	return `${kind === 'interval' ? 'Intervals' : 'Sets'} at ${percentText(coverage.level)} covered ${measured}: ${verdict}; ${size}.`;
}

/** The guarantee's condition, said plainly on a time split. */
export const NOT_EXCHANGEABLE =
	'The split is by time: conformal coverage is guaranteed only for exchangeable rows, and newer rows are not — the measured coverage is the evidence.';

/** What a run's bounds are and how they did on its test rows. */
export function runConformalText(conformal: RunConformal): string[] {
	const { calibration, test, exchangeable } = conformal;
	const on = calibratedOn(conformal);
	const what =
		calibration.kind === 'interval'
			? `Split-conformal intervals, calibrated on ${on}${calibration.spread ? `, wider where the model errs more (${calibration.spread.values.length} bands of the prediction)` : ''}.`
			: `Adaptive prediction sets, calibrated on ${on}.`;
	const lines = [what];
	lines.push(
		test
			? coverageText(test, calibration.kind)
			: `Too few held-out rows for a 90 % bound (${calibration.rows}; ${rowsNeeded(DEFAULT_LEVEL)} are needed): lower levels only.`
	);
	if (!exchangeable) lines.push(NOT_EXCHANGEABLE);
	return lines;
}

/** The held-out rows a calibration read, in words. */
export function calibratedOn(conformal: Pick<BundleConformal, 'calibration' | 'source'>): string {
	const rows = conformal.calibration.rows.toLocaleString('en-US');
	return conformal.source === 'folds'
		? `the out-of-fold predictions of ${rows} training + validation rows (models that did not fit them)`
		: conformal.source === 'validation'
			? `${rows} validation rows`
			: `${rows} held-out rows`;
}

/** A predicted file's bounds in one line (the CLI's `predict --interval`). */
export function boundsText(
	manifest: { conformal?: BundleConformal | null },
	bounds: Bounds
): string {
	const conformal = manifest.conformal!;
	const test = conformal.test;
	const measured = test
		? ` At 90 % the test rows measured ${percentText(test.coverage)} coverage.`
		: '';
	return `${bounds.kind === 'interval' ? 'Intervals' : 'Prediction sets'} at ${percentText(bounds.level)}, calibrated on ${calibratedOn(conformal)}.${measured}${conformal.exchangeable ? '' : ` ${NOT_EXCHANGEABLE}`}`;
}

/** One row's bound in words, for the predict panel. */
export function rowBoundText(bound: RowBound): string {
	const level = percentText(bound.level);
	if ('lower' in bound)
		return `${level} interval: ${valueText(bound.lower)} to ${valueText(bound.upper)}`;
	if (bound.set.length) return `${level} set: ${bound.set.join(', ')}`;
	return `${level} set: empty — the model is right more often than ${level} overall, so at this level some confident rows get no class (an exact ${level} coverage). Raise the level to see a set.`;
}
