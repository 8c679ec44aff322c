import { DriftwoodError } from '../errors';

/**
 * The guard every prediction passes: a model output that is NaN or infinite (damaged weights, an
 * overflow on extreme inputs) is refused with the row it happened on, never returned as a
 * prediction. Class probabilities must also lie in [0, 1].
 */
export function assertFiniteOutputs(
	values: ArrayLike<number>,
	perRow: number,
	probabilities: boolean
): void {
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		const bad = !Number.isFinite(v) || (probabilities && (v < -1e-6 || v > 1 + 1e-6));
		if (bad) {
			const row = Math.floor(i / perRow) + 1;
			throw new DriftwoodError(
				`The model produced ${Number.isNaN(v) ? 'NaN' : String(v)} ${probabilities ? 'as a probability' : 'as its output'} for row ${row}, so no predictions were returned. ` +
					'Its weights are damaged or the inputs lie far outside what it was trained on: check the row, or retrain and export the model again.',
				'non-finite'
			);
		}
	}
}
