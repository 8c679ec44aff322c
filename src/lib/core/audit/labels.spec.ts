import { describe, expect, it } from 'vitest';
import { findLabelIssues, labelRates, WRONG_ABOVE } from './labels';

// Two classes, eight rows; p(class 1) per row. Row 3 is labelled 0 and looks like 1; row 7 is
// labelled 1 and leans to 0. By hand: thresholds 0.675 and 0.725, the confident joint
// [[3, 1], [1, 3]], so a true 0 is labelled 1 a quarter of the time and a true 1 labelled 0 too.
const given = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
const p1 = [0.1, 0.2, 0.1, 0.9, 0.9, 0.8, 0.9, 0.3];
const proba = Float64Array.from(p1.flatMap((p) => [1 - p, p]));

describe('label issues', () => {
	it('estimates the noise matrix as the calibrated confident joint, and its rates by column', () => {
		const { noiseMatrix, thresholds } = findLabelIssues(given, proba, 2, 'posterior');
		expect(thresholds[0]).toBeCloseTo(0.675, 12);
		expect(thresholds[1]).toBeCloseTo(0.725, 12);
		expect(noiseMatrix).toEqual([
			[3, 1],
			[1, 3]
		]);
		expect(labelRates(noiseMatrix)).toEqual([
			[0.75, 0.25],
			[0.25, 0.75]
		]);
		// A class no row is likely to truly be keeps its own label.
		expect(
			labelRates([
				[4, 0],
				[2, 0]
			])
		).toEqual([
			[4 / 6, 0],
			[2 / 6, 1]
		]);
	});

	it('posterior: flags a label only when it is more likely wrong than right, by Bayes with the rates', () => {
		const { issues } = findLabelIssues(given, proba, 2, 'posterior');
		// Row 3: 0.25 · 0.9 against 0.75 · 0.1 → wrong with probability 0.75.
		// Row 7: 0.25 · 0.7 against 0.75 · 0.3 → 0.4375: the models lean to 0, the odds do not.
		expect(issues).toHaveLength(1);
		expect(issues[0]).toMatchObject({ index: 3, given: 0, suggested: 1 });
		expect(issues[0]!.score).toBeCloseTo(0.75, 12);
		expect(WRONG_ABOVE).toBe(0.5);
	});

	it('prune: both pruning rules and a confident other class (row 7 too), scored 1 − p(given)', () => {
		const { issues } = findLabelIssues(given, proba, 2, 'prune');
		expect(issues.map((i) => [i.index, i.suggested])).toEqual([
			[3, 1],
			[7, 0]
		]);
		expect(issues[0]!.score).toBeCloseTo(0.9, 12);
		expect(issues[1]!.score).toBeCloseTo(0.7, 12);
	});

	it('posterior: every flag is more likely wrong than right and names the likeliest true class; no row left is', () => {
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		let flags = 0;
		for (let trial = 0; trial < 20; trial++) {
			const k = 2 + (trial % 4);
			const n = 60 + trial * 7;
			// A true class per row, probabilities that favour it, and a quarter of labels moved.
			const truth = Array.from({ length: n }, () => Math.floor(random() * k));
			const labels = Int32Array.from(truth, (t) =>
				random() < 0.25 ? (t + 1 + Math.floor(random() * (k - 1))) % k : t
			);
			const p = new Float64Array(n * k);
			for (let r = 0; r < n; r++) {
				let sum = 0;
				for (let j = 0; j < k; j++)
					sum += p[r * k + j] = random() ** 2 + (j === truth[r] ? 0.6 : 0);
				for (let j = 0; j < k; j++) p[r * k + j]! /= sum;
			}
			const { issues, noiseMatrix } = findLabelIssues(labels, p, k, 'posterior');
			const rates = labelRates(noiseMatrix);
			const flagged = new Map(issues.map((i) => [i.index, i]));
			for (let r = 0; r < n; r++) {
				const g = labels[r]!;
				const w = Array.from({ length: k }, (_, j) => rates[g]![j]! * p[r * k + j]!);
				const total = w.reduce((a, b) => a + b, 0);
				const wrong = 1 - w[g]! / total;
				const issue = flagged.get(r);
				if (issue) {
					expect(issue.score).toBeCloseTo(wrong, 12);
					expect(issue.score).toBeGreaterThan(WRONG_ABOVE);
					const others = w.map((x, j) => (j === g ? -1 : x));
					expect(issue.suggested).toBe(others.indexOf(Math.max(...others)));
					expect(p[r * k + issue.suggested]!).toBeGreaterThan(p[r * k + g]!);
				} else {
					// Left: not more likely wrong, or the models call it by its label after all.
					const others = w.map((x, j) => (j === g ? -1 : x));
					const likeliest = others.indexOf(Math.max(...others));
					expect(wrong <= WRONG_ABOVE || p[r * k + likeliest]! <= p[r * k + g]!).toBe(true);
				}
			}
			flags += issues.length;
			for (let i = 1; i < issues.length; i++)
				expect(issues[i - 1]!.score).toBeGreaterThanOrEqual(issues[i]!.score);
		}
		expect(flags).toBeGreaterThan(100);
	});
});
