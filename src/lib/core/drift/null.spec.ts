// The per-feature alarm on batches with no drift at all: drawn from the reference's own
// distribution, at the batch sizes and category counts monitors meet. The sized rule (default)
// must alarm at most 5 % of the time; Evidently's fixed distances alarm on most small batches.
import { describe, expect, it } from 'vitest';
import { alarmRate, BATCH_SIZES, FEATURES, featureName } from '../../../../tests/unit/drift-null';
import { DEFAULT_THRESHOLDS } from './thresholds';

const TRIALS = 200;
// 5 % plus two standard errors of a rate measured on TRIALS batches.
const BOUND = 0.05 + 2 * Math.sqrt((0.05 * 0.95) / TRIALS);

describe('drift that is not noise', () => {
	it.each(FEATURES.map((f) => [featureName(f), f] as const))(
		'%s: batches from the reference itself alarm at most 5 % of the time, at every size',
		(_, feature) => {
			const rates = BATCH_SIZES.map((m) => alarmRate(feature, m, TRIALS));
			console.log(
				`${featureName(feature)} false alarms at ${BATCH_SIZES.join(' / ')} rows: ${rates.join(' / ')}`
			);
			for (const rate of rates) expect(rate).toBeLessThanOrEqual(BOUND);
		},
		120_000
	);

	it('Evidently’s fixed rule, kept as an option, cries wolf on small batches of many levels', () => {
		const evidently = { ...DEFAULT_THRESHOLDS, rule: 'evidently' as const };
		expect(alarmRate({ kind: 'categorical', levels: 100 }, 500, 50, 0, evidently)).toBeGreaterThan(
			0.5
		);
		expect(alarmRate({ kind: 'numeric' }, 100, 50, 0, evidently)).toBeGreaterThan(0.3);
	});

	it('still finds a real shift: power on shifted batches of 500 and 2,000 rows', () => {
		const shifted = [
			[{ kind: 'numeric' as const }, 0.3],
			[{ kind: 'categorical' as const, levels: 10 }, 0.2],
			[{ kind: 'categorical' as const, levels: 100 }, 0.2],
			[{ kind: 'categorical' as const, levels: 500 }, 0.2]
		] as const;
		for (const [feature, shift] of shifted)
			for (const m of [500, 2_000]) {
				const power = alarmRate(feature, m, 40, shift);
				console.log(`${featureName(feature)} power at ${m} rows (shift ${shift}): ${power}`);
				expect(power).toBeGreaterThanOrEqual(0.9);
			}
	}, 120_000);
});
