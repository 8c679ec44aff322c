// The drift alarm's false-alarm rate and power, simulated: a 10,000-row reference sample of the
// training distribution (what a model carries) and a batch drawn from that same distribution (no
// drift: every alarm is a false one) or from a shifted one, both drawn afresh for every trial. Shared by the unit test that
// bounds the false-alarm rate and by `npm run bench`, which prints the table.
import { compareFeature } from '../../src/lib/core/drift/feature';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from '../../src/lib/core/drift/thresholds';
import { gaussian, seededRandom } from '../../src/lib/core/stats/random';
import type { Column } from '../../src/lib/core/table/types';

export const REFERENCE_ROWS = 10_000;

/** A feature to simulate: numbers (normal) or categories with Zipf-like frequencies. */
export type FeatureKind = { kind: 'numeric' } | { kind: 'categorical'; levels: number };

function zipf(levels: number): number[] {
	const w = Array.from({ length: levels }, (_, i) => 1 / (i + 1));
	const total = w.reduce((a, b) => a + b, 0);
	return w.map((v) => v / total);
}

/** `rows` draws; `shift` moves the numbers by that many std, or that share of rows to reversed ranks. */
function draw(feature: FeatureKind, rows: number, random: () => number, shift: number): Column {
	if (feature.kind === 'numeric') {
		const values = Float64Array.from({ length: rows }, () => gaussian(random) + shift);
		return { storage: 'float', name: 'x', type: 'numeric', values };
	}
	const p = zipf(feature.levels);
	const cumulative: number[] = [];
	p.reduce((acc, v, i) => (cumulative[i] = acc + v), 0);
	const codes = Int32Array.from({ length: rows }, () => {
		const u = random();
		// The first level whose cumulative share passes u (binary search).
		let lo = 0;
		let hi = feature.levels - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cumulative[mid]! > u) hi = mid;
			else lo = mid + 1;
		}
		const k = lo;
		// A shifted row takes the mirrored rank: rare levels become common.
		return random() < shift ? feature.levels - 1 - k : k;
	});
	const categories = Array.from({ length: feature.levels }, (_, i) => `level_${i}`);
	return { storage: 'coded', name: 'x', type: 'categorical', codes, categories };
}

/**
 * The share of `trials` batches of `batchRows` that the per-feature rule flags: drawn from the
 * reference's distribution (`shift` 0: false alarms) or shifted (power).
 */
export function alarmRate(
	feature: FeatureKind,
	batchRows: number,
	trials: number,
	shift = 0,
	thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
	seed = 11
): number {
	const random = seededRandom(seed + batchRows);
	let alarms = 0;
	for (let t = 0; t < trials; t++) {
		const reference = draw(feature, REFERENCE_ROWS, random, 0);
		const batch = draw(feature, batchRows, random, shift);
		if (compareFeature('x', reference, batch, thresholds, REFERENCE_ROWS).drifted) alarms++;
	}
	return alarms / trials;
}

/** The configurations the issue names: batch sizes and category counts. */
export const BATCH_SIZES = [100, 500, 2_000, 10_000];
export const FEATURES: FeatureKind[] = [
	{ kind: 'numeric' },
	{ kind: 'categorical', levels: 2 },
	{ kind: 'categorical', levels: 10 },
	{ kind: 'categorical', levels: 100 },
	{ kind: 'categorical', levels: 500 }
];

export function featureName(feature: FeatureKind): string {
	return feature.kind === 'numeric' ? 'numeric' : `${feature.levels} levels`;
}
