import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibration, oneVsRest } from './classification';
import { classificationReport } from './metrics';
import { regressionMetrics } from './regression';
import { R2_BOOTSTRAP_MAX_ROWS, r2DeltaInterval, r2Interval, wilsonInterval } from './interval';
import { seededRandom } from '../stats/random';

interface ClassCase {
	y_true: number[];
	proba: number[];
	k: number;
	expected: Record<string, number | number[]>;
}
const reference = JSON.parse(
	readFileSync(
		new URL('../../../../tests/fixtures/reference/metrics.json', import.meta.url),
		'utf8'
	)
) as {
	binary: ClassCase;
	multiclass: ClassCase;
	wilson: { k: number; n: number; lower: number; upper: number }[];
	regression: {
		y_true: number[];
		y_pred: number[];
		expected: Record<string, number>;
		mape_without_zero: number;
	};
};

function close(actual: number | null | undefined, expected: number, what: string): void {
	expect(actual, what).not.toBeNull();
	expect(
		Math.abs((actual as number) - expected),
		`${what}: ${actual} vs ${expected}`
	).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const SCALARS = [
	'accuracy',
	'balanced_accuracy',
	'precision',
	'recall',
	'f1',
	'f1_macro',
	'f1_micro',
	'log_loss',
	'roc_auc',
	'pr_auc'
] as const;

describe.each(['binary', 'multiclass'] as const)(
	'%s classification metrics equal scikit-learn',
	(kind) => {
		const c = reference[kind];
		const report = classificationReport(Int32Array.from(c.y_true), Float64Array.from(c.proba), c.k);

		it.each(SCALARS)('%s', (name) => {
			close(report.metrics[name], c.expected[name] as number, name);
		});

		it('confusion matrix and per-class F1', () => {
			expect(report.confusion).toEqual(c.expected.confusion);
			if (c.expected.per_class_f1) {
				(c.expected.per_class_f1 as number[]).forEach((f, i) =>
					close(report.perClass.f1[i], f, `f1[${i}]`)
				);
			}
		});
	}
);

describe('calibration', () => {
	it('bins like sklearn calibration_curve(strategy="uniform"), edges included', () => {
		const c = reference.binary;
		const { isPositive, scores } = oneVsRest(
			Int32Array.from(c.y_true),
			Float64Array.from(c.proba),
			2,
			1
		);
		const { bins, ece } = calibration(isPositive, scores);
		const observed = c.expected.calibration_observed as number[];
		const confidence = c.expected.calibration_confidence as number[];
		expect(bins).toHaveLength(observed.length);
		bins.forEach((b, i) => {
			close(b.observed, observed[i]!, `observed[${i}]`);
			close(b.confidence, confidence[i]!, `confidence[${i}]`);
		});
		// ECE by its definition from the same bins.
		const n = scores.length;
		close(
			ece,
			bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.observed - b.confidence), 0),
			'ece'
		);
	});

	it('is zero for perfectly calibrated bins', () => {
		const { ece } = calibration(Uint8Array.from([0, 1, 1, 0]), Float64Array.from([0.5, 0.5, 1, 0]));
		expect(ece).toBe(0);
	});
});

describe('regression metrics equal scikit-learn', () => {
	const r = reference.regression;
	const metrics = regressionMetrics(Float64Array.from(r.y_true), Float64Array.from(r.y_pred));
	it.each(Object.keys(r.expected))('%s', (name) => {
		close(metrics[name as keyof typeof metrics], r.expected[name]!, name);
	});

	it('says MAPE is undefined with a true 0, and equals sklearn without it', () => {
		expect(metrics.mape).toBeNull();
		const keep = r.y_true.map((_, i) => i).filter((i) => i !== 3);
		const without = regressionMetrics(
			Float64Array.from(keep, (i) => r.y_true[i]!),
			Float64Array.from(keep, (i) => r.y_pred[i]!)
		);
		close(without.mape, r.mape_without_zero, 'mape');
	});

	it('scores a constant truth as sklearn does', () => {
		expect(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 2])).r2).toBe(1);
		expect(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 3])).r2).toBe(0);
	});
});

describe('score intervals', () => {
	it('gives the Wilson interval SciPy gives', () => {
		for (const c of reference.wilson) {
			const { lower, upper } = wilsonInterval(c.k, c.n);
			expect(lower, `${c.k} of ${c.n}`).toBeCloseTo(c.lower, 12);
			expect(upper, `${c.k} of ${c.n}`).toBeCloseTo(c.upper, 12);
		}
	});

	it('bootstraps an R² band that holds the R² and narrows with more rows', () => {
		const random = seededRandom(3);
		const rows = (n: number) => {
			const y = Float64Array.from({ length: n }, () => random() * 10);
			const p = y.map((v) => v + (random() - 0.5) * 4);
			return { y, p };
		};
		const small = rows(60);
		const large = rows(6000);
		const a = r2Interval(small.y, small.p)!;
		const b = r2Interval(large.y, large.p)!;
		const r2 = regressionMetrics(large.y, large.p).r2;
		expect(b.lower).toBeLessThan(r2);
		expect(b.upper).toBeGreaterThan(r2);
		expect(b.upper - b.lower).toBeLessThan((a.upper - a.lower) / 4);
		// The same rows, the same band (seeded); no band without variation.
		expect(r2Interval(small.y, small.p)).toEqual(a);
		expect(r2Interval([1, 1, 1], [1, 2, 3])).toBeNull();
	});

	it('gives the bootstrap’s band by the delta method on many rows (heavy-tailed errors too)', () => {
		const random = seededRandom(11);
		for (const heavy of [false, true]) {
			const n = R2_BOOTSTRAP_MAX_ROWS;
			const y = Float64Array.from({ length: n }, () => random() * 10);
			// Errors with a heavy tail: a cubed uniform, scaled.
			const p = y.map((v) => v + (heavy ? 6 * (random() - 0.5) ** 3 * 8 : (random() - 0.5) * 4));
			const bootstrap = r2Interval(y, p)!;
			const delta = r2DeltaInterval(y, p)!;
			const width = bootstrap.upper - bootstrap.lower;
			expect(Math.abs(delta.lower - bootstrap.lower), `heavy ${heavy}`).toBeLessThan(width * 0.1);
			expect(Math.abs(delta.upper - bootstrap.upper), `heavy ${heavy}`).toBeLessThan(width * 0.1);
		}
		// Above the bootstrap's rows, the delta method answers.
		const big = Float64Array.from({ length: R2_BOOTSTRAP_MAX_ROWS + 1 }, (_, i) => i % 97);
		const guess = big.map((v, i) => v + (i % 7) - 3);
		expect(r2Interval(big, guess)).toEqual(r2DeltaInterval(big, guess));
	});
});
