import { wilsonInterval } from '../evaluate/interval';
import { boundPredictions, type ConformalCalibration } from './conformal';

/** How conformal bounds did on labelled rows (the test rows of a run, a monitored batch). */
export interface Coverage {
	level: number;
	/** Labelled rows scored. */
	rows: number;
	/** Share of them whose truth was inside the interval or the set. */
	coverage: number;
	/** The 95 % Wilson interval of that share. */
	lower: number;
	upper: number;
	/** Mean interval width (target units) or mean set size (classes). */
	width: number;
	/** Sets: share of rows whose set was empty (the model needed no class at this level). */
	empty?: number;
	/** The coverage is below the level by more than chance (the level above its 95 % interval). */
	below: boolean;
}

/**
 * Coverage of the bounds at `level` on rows with known truth: `predicted` in target units with
 * `truth` values (regression), or n × k probabilities with `truth` class indices (−1: unknown).
 * Null when no row has a truth.
 */
export function measureCoverage(
	calibration: ConformalCalibration,
	level: number,
	predicted: ArrayLike<number>,
	truth: ArrayLike<number>,
	k: number,
	/** Each row's draw (sets; see rowDraws). */
	draws: ArrayLike<number>
): Coverage | null {
	const bounds = boundPredictions(calibration, level, predicted, k, draws);
	let rows = 0;
	let covered = 0;
	let width = 0;
	let empty = 0;
	for (let i = 0; i < truth.length; i++) {
		const y = truth[i]!;
		if (bounds.kind === 'interval') {
			if (!Number.isFinite(y)) continue;
			rows++;
			if (y >= bounds.lower[i]! && y <= bounds.upper[i]!) covered++;
			width += bounds.upper[i]! - bounds.lower[i]!;
		} else {
			if (!(y >= 0 && y < k)) continue;
			const set = bounds.sets[i]!;
			rows++;
			if (set.includes(y)) covered++;
			width += set.length;
			if (set.length === 0) empty++;
		}
	}
	if (rows === 0) return null;
	const { lower, upper } = wilsonInterval(covered, rows);
	return {
		level,
		rows,
		coverage: covered / rows,
		lower,
		upper,
		width: width / rows,
		...(bounds.kind === 'set' ? { empty: empty / rows } : {}),
		below: upper < level
	};
}
