import { escapeHtml } from './html';

/**
 * The model card's Markdown as HTML, for a report: the subset the card is written in — headings
 * (`#`, `##`, `###`), bullet lists, pipe tables, paragraphs, `**bold**`, `_emphasis_`, `code`
 * and backslash escapes. Everything else (a person's own links, HTML) stays text. No `<` from the
 * source ever reaches the output as markup: text is escaped here, and an entity the card already
 * wrote (`&lt;`) is kept as it is, not escaped twice.
 */
export function markdownToHtml(source: string): string {
	const out: string[] = [];
	const lines = source.split(/\r?\n/);
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		const heading = /^(#{1,3}) (.*)$/.exec(line);
		if (heading) {
			// The report's own title is its h1: the card's levels go one down.
			const level = heading[1]!.length + 1;
			out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
			i++;
		} else if (line.startsWith('- ')) {
			const items: string[] = [];
			while (i < lines.length && lines[i]!.startsWith('- ')) items.push(lines[i++]!.slice(2));
			out.push(`<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
		} else if (line.startsWith('|')) {
			const rows: string[][] = [];
			while (i < lines.length && lines[i]!.startsWith('|')) rows.push(cells(lines[i++]!));
			out.push(table(rows));
		} else if (line.trim() === '') i++;
		else {
			const text: string[] = [];
			while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,3} |- |\|)/.test(lines[i]!))
				text.push(lines[i++]!);
			out.push(`<p>${inline(text.join(' '))}</p>`);
		}
	}
	return out.join('\n');
}

/** A table's rows (the second, `|---|`, is the header rule); the first row is the header. */
function table(rows: string[][]): string {
	const [head, rule, ...body] = rows;
	const isRule = rule?.every((c) => /^:?-+:?$/.test(c.trim()));
	const data = isRule ? body : rows.slice(1);
	return [
		'<table>',
		`<thead><tr>${head!.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead>`,
		`<tbody>${data.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody>`,
		'</table>'
	].join('');
}

/** A pipe table row's cells; `\|` and a pipe inside a code span stay in their cell. */
function cells(line: string): string[] {
	const out: string[] = [];
	let cell = '';
	let inCode = false;
	const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
	for (let i = 0; i < body.length; i++) {
		const c = body[i]!;
		if (c === '\\' && i + 1 < body.length) {
			cell += c + body[++i];
			continue;
		}
		if (c === '`') inCode = !inCode;
		if (c === '|' && !inCode) {
			out.push(cell.trim());
			cell = '';
		} else cell += c;
	}
	out.push(cell.trim());
	return out;
}

/** Inline Markdown: code spans, backslash escapes, bold and emphasis; the rest escaped text. */
function inline(text: string): string {
	let out = '';
	let i = 0;
	let bold = false;
	let emphasis = false;
	while (i < text.length) {
		const c = text[i]!;
		if (c === '`') {
			const end = text.indexOf('`', i + 1);
			if (end > i) {
				out += `<code>${escapeHtml(text.slice(i + 1, end))}</code>`;
				i = end + 1;
				continue;
			}
		}
		if (c === '\\' && i + 1 < text.length) {
			out += escapeHtml(text[i + 1]!);
			i += 2;
			continue;
		}
		if (c === '*' && text[i + 1] === '*') {
			out += bold ? '</strong>' : '<strong>';
			bold = !bold;
			i += 2;
			continue;
		}
		// Emphasis opens at a word's start and closes at its end (snake_case stays text).
		if (c === '_') {
			const before = text[i - 1] ?? ' ';
			const after = text[i + 1] ?? ' ';
			if (!emphasis && /\s|\(/.test(before) && /\S/.test(after) && text.indexOf('_', i + 1) > i) {
				out += '<em>';
				emphasis = true;
				i++;
				continue;
			}
			if (emphasis && /\S/.test(before) && /[\s.,;:)]/.test(after)) {
				out += '</em>';
				emphasis = false;
				i++;
				continue;
			}
		}
		if (c === '&') {
			// An entity the card wrote stays one; a bare ampersand is escaped.
			const entity = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.exec(text.slice(i));
			if (entity) {
				out += entity[0];
				i += entity[0].length;
				continue;
			}
		}
		out += escapeHtml(c);
		i++;
	}
	if (emphasis) out += '</em>';
	if (bold) out += '</strong>';
	return out;
}
