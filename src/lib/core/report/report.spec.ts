import { describe, expect, it } from 'vitest';
import { renderModelCard } from '../bundle/card';
import type { BatchCheckInput } from '../drift/json';
import type { FeatureDrift } from '../drift/types';
import { figureHtml } from './html';
import { markdownToHtml } from './markdown';
import { modelReport } from './model-report';

const EVIL = '<img src=x onerror="alert(1)">';

function feature(name: string, drifted: boolean): FeatureDrift {
	return {
		name,
		test: 'wasserstein',
		statistic: drifted ? 0.4 : 0.01,
		pValue: null,
		psi: drifted ? 0.5 : 0.01,
		psiBand: drifted ? 'significant' : 'stable',
		drifted,
		score: drifted ? 0.4 : 0.01,
		referenceMissing: 0,
		currentMissing: 0.1,
		outOfRange: 0.02,
		unseen: [],
		bins: { labels: ['a', 'b'], reference: [5, 5], current: [2, 8] }
	};
}

function check(rows: number, drifted: boolean): BatchCheckInput {
	return {
		report: {
			features: [feature(EVIL, drifted), feature('age', false)],
			schema: { missingColumns: [], extraColumns: ['note'], typeChanges: [] },
			datasetDrift: drifted,
			driftShare: drifted ? 0.5 : 0,
			referenceRows: 1000,
			currentRows: rows
		},
		predictionDrift: null,
		performance: null
	};
}

describe('markdownToHtml', () => {
	it('writes the card subset (headings one level down, lists, tables, bold, code) and escapes the rest', () => {
		const html = markdownToHtml(
			[
				'# Model — version 2',
				'',
				'A model predicting **price** from `a|b`.',
				'',
				'## Inputs',
				'',
				'- `size` — numeric',
				'- snake\\_case and _emphasis_.',
				'',
				'| metric | model |',
				'|---|---|',
				'| r2 | 0.91 |',
				'',
				'Tom &amp; Jerry & co <b>x</b>'
			].join('\n')
		);
		expect(html).toContain('<h2>Model — version 2</h2>');
		expect(html).toContain('<h3>Inputs</h3>');
		expect(html).toContain('<strong>price</strong>');
		expect(html).toContain('<code>a|b</code>');
		expect(html).toContain('<li><code>size</code> — numeric</li>');
		expect(html).toContain('snake_case and <em>emphasis</em>.');
		expect(html).toContain('<th scope="col">metric</th>');
		expect(html).toContain('<td>0.91</td>');
		// An entity the card wrote stays one; a bare & and raw HTML become text.
		expect(html).toContain('Tom &amp; Jerry &amp; co &lt;b&gt;x&lt;/b&gt;');
	});

	it('turns no name in a real card into markup', () => {
		const card = renderModelCard(
			{
				format: 'driftwood-bundle',
				formatVersion: 2,
				createdAt: '2026-12-05T00:00:00Z',
				producer: 'test',
				model: {
					name: EVIL,
					version: 1,
					family: 'linear',
					task: 'regression',
					labels: [],
					target: '`<script>alert(1)</script>`'
				},
				schema: [{ name: '<svg onload=alert(1)>', type: 'numeric', required: true }],
				recipe: { version: 1, target: 't', steps: [] },
				metrics: { test: { r2: 0.5 }, baseline: { r2: 0 }, validation: { r2: 0.5 } },
				lineage: {
					datasetName: '<iframe>',
					datasetVersion: 1,
					tableId: 'abc',
					runId: 'r',
					trainedAt: 'now'
				}
			} as unknown as Parameters<typeof renderModelCard>[0],
			{
				rows: { train: 1, validation: 1, test: 1 },
				robustness: [],
				importance: [],
				intendedUse: '<script>x</script>',
				limitations: ''
			} as unknown as Parameters<typeof renderModelCard>[1]
		);
		const html = markdownToHtml(card);
		expect(html).not.toMatch(/<(script|img|svg|iframe)/i);
		expect(html).toContain('&lt;img src=x onerror=');
	});
});

describe('modelReport', () => {
	it('judges each batch as the monitor does, escapes every name and holds no script', () => {
		const html = modelReport({
			model: 'm v1',
			card: '# m — version 1',
			batches: [
				{ name: 'calm.csv', check: check(500, false), figures: [] },
				{
					name: `${EVIL}.csv`,
					check: check(500, true),
					figures: [
						{ svg: '<svg onclick="x()"><script>bad()</script><rect/></svg>', description: EVIL }
					]
				}
			],
			generatedAt: new Date('2026-12-05T10:00:00Z')
		});
		expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
		expect(html).toContain('<title>Report — m v1</title>');
		expect(html).toContain('Batches (2)');
		expect(html).toContain('OK: No dataset drift');
		expect(html).toContain('FAIL: Dataset drift: 1 of 2 features drifted');
		expect(html).toContain('<p class="verdict alert">');
		expect(html).toContain('not an input of the model (ignored)');
		// Names are text: no tag but ours, no event handler inside any tag (attribute values,
		// escaped, aside).
		const tags = html.replace(/"[^"]*"/g, '""');
		expect(tags).not.toMatch(/<script|<img|<[a-z][^>]*\son[a-z]+=/i);
		expect(html).toContain('<rect/>');
		// No external resource: nothing to fetch when it opens.
		expect(tags).not.toMatch(/<[a-z][^>]*\s(src|href)=|@import|url\(/i);
	});

	it('stays the same size whatever the batch rows (summaries only)', () => {
		const size = (rows: number) =>
			modelReport({
				model: 'm',
				card: '',
				batches: [{ name: 'b', check: check(rows, false), figures: [] }],
				generatedAt: new Date(0)
			}).length;
		expect(Math.abs(size(1_000_000) - size(100))).toBeLessThan(20);
	});

	it('leads a run’s report with its metrics beside the baseline, then its charts', () => {
		const html = modelReport({
			model: 'run r',
			card: '# r',
			evaluation: {
				metrics: {
					validation: { accuracy: 0.9, log_loss: null },
					test: { accuracy: 0.875, log_loss: 0.31 },
					baseline: { accuracy: 0.5, log_loss: 0.69 }
				},
				figures: [{ svg: '<svg></svg>', description: 'Confusion' }]
			}
		});
		expect(html).toContain('<h2>Evaluation on the test rows</h2>');
		expect(html).toContain(
			'<tr><td>accuracy</td><td>0.9000</td><td>0.8750</td><td>0.5000</td></tr><tr><td>log_loss</td><td>—</td><td>0.3100</td><td>0.6900</td></tr>'
		);
		expect(html).toContain('aria-labelledby="figure-evaluation-1"');
		// Not a batch report: no batch section at all.
		expect(html).not.toContain('No batch');
		expect(html).toContain(
			'The run’s evaluation on its test rows, and the card its model would carry'
		);
	});

	it('says when it holds no batch', () => {
		expect(modelReport({ model: 'm', card: '', batches: [] })).toContain(
			'No batch is in this report'
		);
	});
});

describe('figureHtml', () => {
	it('is one image labelled by its escaped caption, the chart inside without labels or scripts', () => {
		expect(
			figureHtml(
				{
					svg: '<svg aria-label="plot"><g aria-label="bar" onmouseover="x()"><rect/></g></svg>',
					description: 'a "b" <c>'
				},
				'f-1'
			)
		).toBe(
			'<figure><div role="img" aria-labelledby="f-1"><svg><g><rect/></g></svg></div><figcaption id="f-1">a &quot;b&quot; &lt;c&gt;</figcaption></figure>'
		);
	});
});
