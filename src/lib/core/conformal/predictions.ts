import type { BundleConformal } from './calibrate';
import { boundPredictions, ConformalError, type Bounds } from './conformal';

/**
 * The conformal bounds of a model's predictions at `level`: intervals in the target's units, or
 * sets of labels. Refuses (code `conformal`) a model without a calibration, a level outside
 * (0, 1), or a level its held-out rows are too few for.
 */
export function predictionBounds(
	manifest: {
		conformal?: BundleConformal | null;
		model: { task: string; labels: readonly string[] };
	},
	predictions: (string | number)[],
	probabilities: Float64Array | null,
	level: number,
	/** Each row's draw for a set (see rowDraws). */
	draws: ArrayLike<number>
): Bounds {
	const conformal = manifest.conformal;
	if (!conformal)
		throw new ConformalError(
			'This model carries no conformal calibration (it was trained before bounds existed, or without validation rows): retrain it with a validation share to get intervals or sets.'
		);
	if (manifest.model.task === 'regression')
		return boundPredictions(
			conformal.calibration,
			level,
			Float64Array.from(predictions as number[]),
			1,
			draws
		);
	return boundPredictions(
		conformal.calibration,
		level,
		probabilities!,
		manifest.model.labels.length,
		draws
	);
}

/** One row's bound in words a person or a JSON reader takes: an interval, or a set of labels. */
export type RowBound =
	{ level: number; lower: number; upper: number } | { level: number; set: string[] };

/** Row `i`'s bound, labels named. */
export function rowBound(bounds: Bounds, i: number, labels: readonly string[]): RowBound {
	return bounds.kind === 'interval'
		? { level: bounds.level, lower: bounds.lower[i]!, upper: bounds.upper[i]! }
		: { level: bounds.level, set: bounds.sets[i]!.map((c) => labels[c]!) };
}

/** The file columns of bounds: `level`, then `lower` and `upper`, or `set` (a JSON list of labels). */
export function boundColumns(
	bounds: Bounds,
	labels: readonly string[]
): { header: string[]; cells: (row: number) => string[] } {
	const level = String(bounds.level);
	return bounds.kind === 'interval'
		? {
				header: ['level', 'lower', 'upper'],
				cells: (i) => [level, String(bounds.lower[i]), String(bounds.upper[i])]
			}
		: {
				header: ['level', 'set'],
				cells: (i) => [level, JSON.stringify(bounds.sets[i]!.map((c) => labels[c]!))]
			};
}
