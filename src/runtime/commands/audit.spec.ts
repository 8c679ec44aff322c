import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../lib/core/audit/audit';
import type { Table } from '../../lib/core/table/types';
import { auditText, type AuditOutput } from './audit';

const labels = ['w0', 'w1', 'w2'];
const result: AuditResult = {
	task: 'multiclass',
	target: 'target',
	labels,
	rows: 124,
	folds: 5,
	rounds: 2,
	models: ['gbdt', 'mlp'],
	networkLeftOut: null,
	labelIssues: Array.from({ length: 18 }, (_, i) => ({
		row: i,
		given: labels[i % 3]!,
		suggested: labels[(i + 1) % 3]!,
		score: 1 - i / 100,
		reason: ''
	})),
	residualIssues: [],
	rareClasses: [],
	noiseMatrix: [
		[30, 5, 3],
		[9, 36, 11],
		[3, 4, 22]
	],
	outliers: [],
	duplicates: [],
	leakage: [],
	recipe: { steps: [] } as unknown as AuditResult['recipe'],
	seconds: 2.2
};
const output: AuditOutput = {
	result,
	table: {} as Table,
	dataRow: (row) => row + 1,
	repeated: null,
	testFile: null,
	compared: null,
	split: null
};

describe('the audit as the CLI prints it', () => {
	it('says which models judged, lines up labels left and numbers right, and counts the rest under its own table', () => {
		const lines = auditText(output).split('\n');
		expect(lines[0]).toBe(
			'Audited 124 rows of "target" (multiclass; out-of-fold predictions on 5 folds of the trees and a network, averaged; in 2.2 s).'
		);
		// Label columns left-aligned, the score right.
		expect(lines).toContain('2    w1     w2         0.990');
		// The rows not shown are counted right under the label issues, not under the noise matrix.
		const more = lines.indexOf('  … 3 more (--json or --out for all)');
		const noise = lines.findIndex((l) => l.startsWith('Estimated noise'));
		expect(more).toBeGreaterThan(0);
		expect(more).toBeLessThan(noise);
		// Counts right-aligned under their class.
		expect(lines.slice(noise + 1, noise + 6)).toEqual([
			'given \\ true  w0  w1  w2',
			'------------  --  --  --',
			'w0            30   5   3',
			'w1             9  36  11',
			'w2             3   4  22'
		]);
	});

	it('writes counts with thousands separators, and a probability short of 1 never as 1.000', () => {
		const big: AuditResult = {
			...result,
			rows: 30000,
			labelIssues: Array.from({ length: 5955 }, (_, i) => ({
				row: i,
				given: 'w0',
				suggested: 'w1',
				score: 0.9999987,
				reason: ''
			})),
			noiseMatrix: [
				[9012.4, 1200, 3],
				[9, 8000, 11],
				[3, 4, 11758]
			]
		};
		const lines = auditText({ ...output, result: big }).split('\n');
		expect(lines[0]).toMatch(/^Audited 30,000 rows of "target"/);
		expect(lines).toContain('Label issues: 5,955 of 30,000 rows');
		expect(lines).toContain('1    w0     w1         >0.999');
		expect(lines).toContain('  … 5,940 more (--json or --out for all)');
		expect(lines).toContain('w0            9,012  1,200       3');
	});

	it('says when the network was left out', () => {
		const text = auditText({
			...output,
			result: {
				...result,
				models: ['gbdt'],
				networkLeftOut: 'The network was left out, the trees judged alone: The loss became NaN.'
			}
		});
		expect(text).toMatch(/predictions on 5 folds of the trees; in 2\.2 s\)/);
		expect(text).toContain(
			'The network was left out, the trees judged alone: The loss became NaN.'
		);
	});
});
