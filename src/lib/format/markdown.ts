/**
 * The Markdown of a model card as blocks a page renders with plain elements (never as HTML: the
 * card holds column names and text from users). The subset the card writer uses: `#` headings,
 * paragraphs, `-` lists, pipe tables, and inline `code`, **bold** and _emphasis_. Anything else
 * reads as a paragraph of its text.
 */

/** A run of text with one style. */
export interface Inline {
	text: string;
	style: 'plain' | 'code' | 'strong' | 'em';
}

export type Block =
	| { kind: 'heading'; level: 1 | 2 | 3; content: Inline[] }
	| { kind: 'paragraph'; content: Inline[] }
	| { kind: 'list'; items: Inline[][] }
	| { kind: 'table'; header: Inline[][]; rows: Inline[][][]; align: ('left' | 'right')[] };

// Emphasis only between word boundaries: `miles_per_gallon` stays a name.
const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|(?<!\w)_[^_\s][^_]*_(?!\w))/;

// A backslash-escaped character (the card writer escapes names) is held as a private-use code
// point while styles are found, so `\_x\_` stays the text `_x_`, then given back.
const ESCAPED = /\\([\\`*_[\]#|!<>&-])/g;
const HELD = 0xe000;
const hold = (text: string) =>
	text.replace(ESCAPED, (_, c: string) => String.fromCharCode(HELD + c.charCodeAt(0)));
const release = (text: string) =>
	text.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - HELD));
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const entities = (text: string) => text.replace(/&(lt|gt|amp);/g, (e) => ENTITIES[e]!);

/** Inline styles of one line of text. */
export function inlines(text: string): Inline[] {
	const out: Inline[] = [];
	for (const part of hold(text).split(INLINE)) {
		if (!part) continue;
		if (part.length > 2 && part.startsWith('`') && part.endsWith('`'))
			out.push({ text: release(part.slice(1, -1)), style: 'code' });
		else if (part.length > 4 && part.startsWith('**') && part.endsWith('**'))
			out.push({ text: release(entities(part.slice(2, -2))), style: 'strong' });
		else if (part.length > 2 && part.startsWith('_') && part.endsWith('_'))
			out.push({ text: release(entities(part.slice(1, -1))), style: 'em' });
		else out.push({ text: release(entities(part)), style: 'plain' });
	}
	return out;
}

// An escaped pipe (`\|`) is a character of its cell, not a border.
const cells = (line: string) =>
	line
		.trim()
		.replace(/^\|/, '')
		.replace(/(?<!\\)\|$/, '')
		.split(/(?<!\\)\|/)
		.map((c) => c.trim());

const isRule = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** The blocks of a Markdown text. */
export function markdownBlocks(markdown: string): Block[] {
	const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
	const blocks: Block[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		if (!line.trim()) {
			i++;
			continue;
		}
		const heading = /^(#{1,3})\s+(.*)$/.exec(line);
		if (heading) {
			blocks.push({
				kind: 'heading',
				level: heading[1]!.length as 1 | 2 | 3,
				content: inlines(heading[2]!.trim())
			});
			i++;
		} else if (/^\s*[-*]\s+/.test(line)) {
			const items: Inline[][] = [];
			while (i < lines.length && /^\s*[-*]\s+/.test(lines[i]!))
				items.push(inlines(lines[i++]!.replace(/^\s*[-*]\s+/, '')));
			blocks.push({ kind: 'list', items });
		} else if (line.trim().startsWith('|') && i + 1 < lines.length && isRule(lines[i + 1]!)) {
			const header = cells(line).map(inlines);
			const align = cells(lines[i + 1]!).map((c) => (c.endsWith(':') ? 'right' : 'left'));
			i += 2;
			const rows: Inline[][][] = [];
			while (i < lines.length && lines[i]!.trim().startsWith('|'))
				rows.push(cells(lines[i++]!).map(inlines));
			blocks.push({ kind: 'table', header, rows, align });
		} else {
			const text: string[] = [];
			while (
				i < lines.length &&
				lines[i]!.trim() &&
				!/^(#{1,3})\s/.test(lines[i]!) &&
				!/^\s*[-*]\s+/.test(lines[i]!) &&
				!lines[i]!.trim().startsWith('|')
			)
				text.push(lines[i++]!.trim());
			if (!text.length) text.push(lines[i++]!.trim());
			blocks.push({ kind: 'paragraph', content: inlines(text.join(' ')) });
		}
	}
	return blocks;
}
