import {
	ConformalError,
	DEFAULT_LEVEL,
	fitSpread,
	intervalScores,
	keptScores,
	setScores,
	type ConformalCalibration
} from './conformal';
import { measureCoverage, type Coverage } from './coverage';
import { seededRandom, shuffleInPlace } from '../stats/random';

/** The conformal part of a bundle's manifest: the calibration, test coverage, the condition. */
export interface BundleConformal {
	calibration: ConformalCalibration;
	/**
	 * Where the held-out predictions came from: `folds` (out-of-fold predictions of the training +
	 * validation rows) or `validation` (the validation rows). Absent in older bundles.
	 */
	source?: ConformalSource;
	/** Coverage at DEFAULT_LEVEL on the test rows; null when the held-out rows are too few for it. */
	test: Coverage | null;
	/**
	 * False on a time split: the guarantee holds for exchangeable rows only, and newer rows are
	 * not; the measured test coverage is then the evidence.
	 */
	exchangeable: boolean;
}

/** The held-out rows a calibration read. */
export type ConformalSource = 'folds' | 'validation';

/** What a run records of its conformal bounds: the bundle's part, and the coverage by level. */
export interface RunConformal extends BundleConformal {
	source: ConformalSource;
	/** Coverage on the test rows at each of REPORTED_LEVELS the held-out rows support. */
	byLevel?: Coverage[];
}

/** Regression matrix (scaled) to target units. */
export function unscaled(
	matrix: ArrayLike<number>,
	scale: { center: number; scale: number } | null
): Float64Array {
	const s = scale ?? { center: 0, scale: 1 };
	return Float64Array.from(matrix, (v) => v * s.scale + s.center);
}

/**
 * Held-out predictions to calibrate on: outputs (target units, or n × k probabilities) of rows
 * by models that did not fit them, their truth, and each row's fold (the model that predicted it).
 */
export interface HeldOut {
	outputs: Float64Array;
	truth: ArrayLike<number>;
	folds: Int32Array;
	/** Each row's draw for the sets (see rowDraws). */
	draws: Float64Array;
}

/** Two seeded halves of held-out rows from one model (the validation rows): folds for the spread. */
export function halves(n: number, seed: number): Int32Array {
	const order = shuffleInPlace(
		Int32Array.from({ length: n }, (_, i) => i),
		seededRandom(seed ^ 0x4a1f)
	);
	const folds = new Int32Array(n);
	for (let i = 0; i < n; i++) folds[order[i]!] = i % 2;
	return folds;
}

/**
 * The conformal calibration of a run from held-out predictions. A regression's spread is
 * cross-fitted: each row's score is divided by a spread fitted on the other folds' rows only, so
 * that no row's own error shapes the spread that scores it (the stored spread is fitted on all).
 * Null without held-out rows.
 */
export function calibrateRun(
	/** Classes (0 for a regression: intervals). */
	classes: number,
	held: HeldOut,
	seed: number
): ConformalCalibration | null {
	if (held.truth.length === 0) return null;
	if (classes > 0) {
		const scores = setScores(held.outputs, held.truth, classes, held.draws);
		return scores.length
			? { kind: 'set', rows: scores.length, scores: keptScores(scores, seed) }
			: null;
	}
	let spread = fitSpread(held.outputs, held.truth);
	const k = held.folds.reduce((m, f) => Math.max(m, f + 1), 0);
	const rowsOf = (keep: (f: number) => boolean) =>
		Array.from(held.folds.keys()).filter((i) => keep(held.folds[i]!));
	const pick = (rows: number[]) => ({
		outputs: rows.map((i) => held.outputs[i]!),
		truth: rows.map((i) => held.truth[i]!)
	});
	const byFold = Array.from({ length: k }, (_, f) => {
		const others = pick(rowsOf((g) => g !== f));
		return fitSpread(others.outputs, others.truth);
	});
	// A spread some fold's rows are too few for: plain residuals for every row.
	if (k < 2 || byFold.some((s) => s === null)) spread = null;
	const scores = spread
		? byFold.flatMap((s, f) => {
				const own = pick(rowsOf((g) => g === f));
				return Array.from(intervalScores(own.outputs, own.truth, s));
			})
		: Array.from(intervalScores(held.outputs, held.truth, null));
	if (scores.length === 0) return null;
	return {
		kind: 'interval',
		rows: scores.length,
		scores: keptScores(Float64Array.from(scores), seed),
		spread
	};
}

/** The levels a run measures its bounds' coverage at (the run page's chart; DEFAULT_LEVEL among them). */
export const REPORTED_LEVELS = [0.5, 0.8, DEFAULT_LEVEL, 0.95];

/** Test coverage at each reported level the calibration supports. */
export function coverageByLevel(
	calibration: ConformalCalibration,
	outputs: ArrayLike<number>,
	truth: ArrayLike<number>,
	k: number,
	draws: ArrayLike<number>
): Coverage[] {
	return REPORTED_LEVELS.flatMap((level) => {
		const c = coverageAt(calibration, level, outputs, truth, k, draws);
		return c ? [c] : [];
	});
}

/** Coverage at a level, or null when the calibration cannot reach it or no row is labelled. */
export function coverageAt(
	calibration: ConformalCalibration,
	level: number,
	outputs: ArrayLike<number>,
	truth: ArrayLike<number>,
	k: number,
	draws: ArrayLike<number>
): Coverage | null {
	try {
		return measureCoverage(calibration, level, outputs, truth, k, draws);
	} catch (error) {
		if (error instanceof ConformalError) return null;
		throw error;
	}
}
