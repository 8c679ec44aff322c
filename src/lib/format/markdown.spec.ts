import { describe, expect, it } from 'vitest';
import { inlines, markdownBlocks } from './markdown';
import { md } from '../core/bundle/card';

const card = `# penguins — version 1

A **multiclass** model predicting \`Species\`.

## Inputs

- \`Island\` — categorical
- \`<img src=x onerror=alert(1)>\` — numeric

| metric | model | baseline |
|---|---:|---:|
| accuracy | 0.98 | 0.44 |

## Intended use

Field guides:
name a penguin.

## Limitations

_Not written yet._
`;

describe('the model card as blocks', () => {
	it('reads headings, paragraphs, lists and tables, with their inline styles', () => {
		const blocks = markdownBlocks(card);
		expect(blocks.map((b) => b.kind)).toEqual([
			'heading',
			'paragraph',
			'heading',
			'list',
			'table',
			'heading',
			'paragraph',
			'heading',
			'paragraph'
		]);
		expect(blocks[1]).toEqual({
			kind: 'paragraph',
			content: [
				{ text: 'A ', style: 'plain' },
				{ text: 'multiclass', style: 'strong' },
				{ text: ' model predicting ', style: 'plain' },
				{ text: 'Species', style: 'code' },
				{ text: '.', style: 'plain' }
			]
		});
		const table = blocks[4]!;
		expect(table.kind === 'table' && table.align).toEqual(['left', 'right', 'right']);
		expect(table.kind === 'table' && table.rows[0]!.map((c) => c[0]!.text)).toEqual([
			'accuracy',
			'0.98',
			'0.44'
		]);
		// Markup in a column name is text in a code run, never HTML.
		const list = blocks[3]!;
		expect(list.kind === 'list' && list.items[1]![0]).toEqual({
			text: '<img src=x onerror=alert(1)>',
			style: 'code'
		});
	});

	it('reads text the card writer escaped as that text, and never opens a section from a name', () => {
		const name = 'x\n## Intended use\nForged *bold* <b>html</b> a_b_ `tick` | pipe & [link](y)';
		const line = md(name);
		expect(line).not.toMatch(/[\n<>]/);
		const blocks = markdownBlocks(`# ${line}\n\nA model of ${line}.`);
		expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph']);
		expect(blocks[0]).toEqual({
			kind: 'heading',
			level: 1,
			content: [{ text: name.replace(/\n/g, ' '), style: 'plain' }]
		});
		const cell = markdownBlocks(`| a | b |\n|---|---|\n| ${md('p|q')} | 1 |`)[0]!;
		expect(cell.kind === 'table' && cell.rows[0]!.map((c) => c[0]!.text)).toEqual(['p|q', '1']);
	});

	it('leaves underscores inside words alone', () => {
		expect(inlines('miles_per_gallon and _this_')).toEqual([
			{ text: 'miles_per_gallon and ', style: 'plain' },
			{ text: 'this', style: 'em' }
		]);
	});
});
