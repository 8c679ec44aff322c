import type { ProbabilityCalibration } from './probabilities';

const NAMES = { platt: 'Platt scaling', temperature: 'temperature scaling' } as const;

/**
 * A run's probability calibration in one sentence: what was tried, the held-out log loss before
 * and after (cross-fitted, with its standard error), kept or not, and the test log loss.
 */
export function calibrationText(
	c: ProbabilityCalibration & { test: { raw: number | null; calibrated: number | null } }
): string {
	const held = `held-out log loss ${c.raw.toFixed(4)} → ${c.calibrated.toFixed(4)} (± ${c.error.toFixed(4)}, each of ${c.rows.toLocaleString('en-US')} rows scored by a map fitted without it)`;
	if (!c.map)
		return `Probabilities as the model gives them: ${NAMES[c.method]} would move the ${held}: a gain under two standard errors, not kept.`;
	const test =
		c.test.raw !== null && c.test.calibrated !== null
			? ` Test log loss ${c.test.raw.toFixed(4)} → ${c.test.calibrated.toFixed(4)}.`
			: '';
	return `Probabilities calibrated by ${NAMES[c.method]}: ${held}.${test}`;
}
