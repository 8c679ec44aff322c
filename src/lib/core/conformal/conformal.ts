import { DriftwoodError } from '../errors';
import { seededRandom, sampleIndices } from '../stats/random';
import { sortFloat64 } from '../stats/sort';

/**
 * Split-conformal bounds (Vovk et al.; Lei et al. 2018 for the normalised interval; Romano,
 * Sesia & Candès 2020 for adaptive prediction sets). A score is computed on held-out rows the
 * model never fitted; at level 1 − α the bound uses the ⌈(n + 1)(1 − α)⌉-th smallest score, which
 * covers a new row with probability at least 1 − α when rows are exchangeable.
 *
 * Regression: score = |y − ŷ| / spread(ŷ), the spread a piecewise-constant function of the
 * prediction (bands of the held-out predictions, each band's mean absolute error, cross-fitted
 * by calibrateRun), so the interval ŷ ± q·spread(ŷ) is wide where the model errs widely and
 * narrow where it does not. The spread is read from the prediction alone, never from the inputs,
 * so it cannot disagree with the recipe a refit replaces.
 *
 * Classification: randomised APS. Classes in order of probability; the score of the true class is
 * the probability of the classes above it plus u times its own. The set at q takes each class
 * while that sum stays ≤ q. u ∈ [0, 1) is each row's draw from its own input values (rowDraws),
 * so one row always gets one set — in the studio, the runtime and the CLI alike. An empty set is
 * possible and honest: when the top class alone is right more often than the level, some rows
 * need no class at all to keep the coverage exact.
 */

/** Calibration scores kept in a bundle at most (a seeded sample of the held-out rows beyond). */
export const MAX_CONFORMAL_SCORES = 5000;
/** The level the studio, the CLI and the run report use unless asked for another. */
export const DEFAULT_LEVEL = 0.9;
/** Spread bands at most (deciles of the training predictions). */
const MAX_BANDS = 10;
/** Rows a spread band needs at least. */
const MIN_BAND_ROWS = 30;
/** Pseudo-rows of the overall spread each band is shrunk toward. */
const BAND_PRIOR_ROWS = 20;
/** No band's spread is below this share of the overall spread (a band fitted too well). */
const BAND_FLOOR = 0.2;

/** A conformal bound that cannot be given (code `conformal`). */
export class ConformalError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'conformal');
		this.name = 'ConformalError';
	}
}

/** The spread of errors as a step function of the prediction (target units). */
export interface Spread {
	/** Band boundaries (ascending, one fewer than `values`): band i holds ŷ < edges[i]. */
	edges: number[];
	/** Each band's spread (> 0). */
	values: number[];
}

/** What a model carries to bound its predictions: the sorted held-out scores. */
export type ConformalCalibration =
	| { kind: 'interval'; rows: number; scores: number[]; spread: Spread | null }
	| { kind: 'set'; rows: number; scores: number[] };

/** Refuses a level outside (0, 1). */
export function checkLevel(level: number): void {
	if (!(level > 0 && level < 1))
		throw new ConformalError(
			`The coverage level must be between 0 and 1 (e.g. 0.9 for 90 %); got ${level}.`
		);
}

/** The smallest number of held-out rows that supports a level: ⌈(n + 1)·level⌉ ≤ n. */
export function rowsNeeded(level: number): number {
	checkLevel(level);
	// n ≥ level / (1 − level), with a guard against 0.9 / 0.1 = 8.999… in floating point.
	return Math.max(1, Math.ceil(level / (1 - level) - 1e-9));
}

/** The conformal quantile of sorted scores at `level`; refuses when the rows are too few. */
export function conformalQuantile(calibration: ConformalCalibration, level: number): number {
	checkLevel(level);
	const n = calibration.scores.length;
	const rank = Math.ceil((n + 1) * level - 1e-9);
	if (rank > n)
		throw new ConformalError(
			`A ${percentText(level, 2)} bound needs at least ${rowsNeeded(level)} held-out rows; this model was calibrated on ${n}. Pick a lower level, or train with a larger validation share.`
		);
	return calibration.scores[rank - 1]!;
}

/** The spread at a prediction (1 when the calibration has none). */
export function spreadAt(spread: Spread | null, predicted: number): number {
	if (!spread) return 1;
	let band = 0;
	while (band < spread.edges.length && !(predicted < spread.edges[band]!)) band++;
	return spread.values[band]!;
}

/**
 * Bands of the rows' predictions (up to deciles, each with enough rows), each band's mean
 * absolute error shrunk toward the overall one and floored. Null when the rows are too few for
 * two bands or every error is 0 (then the interval is ŷ ± q).
 */
export function fitSpread(predicted: ArrayLike<number>, truth: ArrayLike<number>): Spread | null {
	const pairs: { p: number; r: number }[] = [];
	for (let i = 0; i < predicted.length; i++) {
		const p = predicted[i]!;
		const y = truth[i]!;
		if (Number.isFinite(p) && Number.isFinite(y)) pairs.push({ p, r: Math.abs(y - p) });
	}
	const bands = Math.min(MAX_BANDS, Math.floor(pairs.length / MIN_BAND_ROWS));
	if (bands < 2) return null;
	const overall = pairs.reduce((s, x) => s + x.r, 0) / pairs.length;
	if (!(overall > 0)) return null;
	pairs.sort((a, b) => a.p - b.p);
	const edges: number[] = [];
	const values: number[] = [];
	let start = 0;
	for (let b = 0; b < bands; b++) {
		let end = b === bands - 1 ? pairs.length : Math.round(((b + 1) * pairs.length) / bands);
		// Equal predictions stay in one band: the edge is where the prediction changes.
		while (end < pairs.length && end > start && pairs[end]!.p === pairs[end - 1]!.p) end++;
		if (end <= start) continue;
		let sum = 0;
		for (let i = start; i < end; i++) sum += pairs[i]!.r;
		const shrunk = (sum + BAND_PRIOR_ROWS * overall) / (end - start + BAND_PRIOR_ROWS);
		values.push(Math.max(shrunk, BAND_FLOOR * overall));
		if (end < pairs.length) edges.push((pairs[end - 1]!.p + pairs[end]!.p) / 2);
		start = end;
		if (end === pairs.length) break;
	}
	return values.length >= 2 ? { edges, values } : null;
}

/** Normalised absolute residuals of held-out rows (rows with a missing truth skipped). */
export function intervalScores(
	predicted: ArrayLike<number>,
	truth: ArrayLike<number>,
	spread: Spread | null
): Float64Array {
	const out: number[] = [];
	for (let i = 0; i < predicted.length; i++) {
		const y = truth[i]!;
		if (Number.isFinite(y)) out.push(Math.abs(y - predicted[i]!) / spreadAt(spread, predicted[i]!));
	}
	return Float64Array.from(out);
}

/** Classes of row `i` in order of probability (ties by index, as argmax breaks them). */
function ranked(probabilities: ArrayLike<number>, i: number, k: number): number[] {
	const order = Array.from({ length: k }, (_, j) => j);
	return order.sort((a, b) => probabilities[i * k + b]! - probabilities[i * k + a]! || a - b);
}

/**
 * Randomised APS scores of held-out rows with known classes (−1 or out of range: skipped), each
 * row's draw from `draws` (see rowDraws).
 */
export function setScores(
	probabilities: ArrayLike<number>,
	classes: ArrayLike<number>,
	k: number,
	draws: ArrayLike<number>
): Float64Array {
	if (draws.length !== classes.length)
		throw new Error(
			`Set scores need one draw per row: ${draws.length} draws for ${classes.length} rows.`
		);
	const out: number[] = [];
	for (let i = 0; i < classes.length; i++) {
		const truth = classes[i]!;
		if (!(truth >= 0 && truth < k)) continue;
		const u = draws[i]!;
		let above = 0;
		for (const c of ranked(probabilities, i, k)) {
			const p = probabilities[i * k + c]!;
			if (c === truth) {
				out.push(above + u * p);
				break;
			}
			above += p;
		}
	}
	return Float64Array.from(out);
}

/** The prediction set of row `i` (its draw u) at quantile q: class indices by probability. */
export function predictionSet(
	probabilities: ArrayLike<number>,
	i: number,
	k: number,
	q: number,
	u: number
): number[] {
	const set: number[] = [];
	let above = 0;
	for (const c of ranked(probabilities, i, k)) {
		const p = probabilities[i * k + c]!;
		if (above + u * p > q) break;
		set.push(c);
		above += p;
	}
	return set;
}

/** Sorted scores, thinned to a seeded sample when there are more than a bundle keeps. */
export function keptScores(scores: Float64Array, seed: number): number[] {
	let kept = scores;
	if (scores.length > MAX_CONFORMAL_SCORES) {
		const picked = sampleIndices(scores.length, MAX_CONFORMAL_SCORES, seededRandom(seed ^ 0xc0f0));
		kept = Float64Array.from(picked, (i) => scores[i]!);
	}
	return Array.from(sortFloat64(Float64Array.from(kept)));
}

/** Bounds of predictions at a level: intervals (regression) or sets (classes). */
export type Bounds =
	| { kind: 'interval'; level: number; lower: Float64Array; upper: Float64Array }
	| { kind: 'set'; level: number; sets: number[][] };

/**
 * Bounds a model's predictions: `predicted` in target units (regression) or row-major n × k
 * probabilities (classes, with each row's draw: see rowDraws).
 */
export function boundPredictions(
	calibration: ConformalCalibration,
	level: number,
	predicted: ArrayLike<number>,
	k: number,
	draws: ArrayLike<number>
): Bounds {
	const q = conformalQuantile(calibration, level);
	if (calibration.kind === 'interval') {
		const lower = new Float64Array(predicted.length);
		const upper = new Float64Array(predicted.length);
		for (let i = 0; i < predicted.length; i++) {
			const half = q * spreadAt(calibration.spread, predicted[i]!);
			lower[i] = predicted[i]! - half;
			upper[i] = predicted[i]! + half;
		}
		return { kind: 'interval', level, lower, upper };
	}
	const n = predicted.length / k;
	// Every row needs its own draw: a missing one would read as NaN and put every class in its set.
	if (draws.length !== n)
		throw new Error(`Prediction sets need one draw per row: ${draws.length} draws for ${n} rows.`);
	const sets = Array.from({ length: n }, (_, i) => predictionSet(predicted, i, k, q, draws[i]!));
	return { kind: 'set', level, sets };
}
/** A level or a share as a percentage, to `digits` decimals when it needs them (90 %, 91.2 %). */
export function percentText(share: number, digits = 1): string {
	return `${Number((share * 100).toFixed(digits))} %`;
}
