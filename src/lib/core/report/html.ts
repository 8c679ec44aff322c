/**
 * One self-contained HTML document for people who will never open the studio: inline styles,
 * inline SVG charts, no script, no external resource (it opens offline and makes no request),
 * printable. Data reaches it only as escaped text.
 */

/** Text as HTML text or an attribute value: `& < > " '` written as entities. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** A chart as a report holds it: its SVG markup (ours: Plot's output) and what it shows, in words. */
export interface ReportFigure {
	svg: string;
	description: string;
}

/**
 * A figure: the chart as one image labelled by its caption (the description, shown under it);
 * `id` names the caption, unique in the document.
 */
export function figureHtml(figure: ReportFigure, id: string): string {
	return `<figure><div role="img" aria-labelledby="${escapeHtml(id)}">${chartMarkup(figure.svg)}</div><figcaption id="${escapeHtml(id)}">${escapeHtml(figure.description)}</figcaption></figure>`;
}

/** A table of text cells; `header` cells name the columns. */
export function tableHtml(header: string[], rows: string[][], caption?: string): string {
	return [
		'<table>',
		caption ? `<caption>${escapeHtml(caption)}</caption>` : '',
		`<thead><tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
		`<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>`,
		'</table>'
	].join('');
}

export function paragraphHtml(text: string, className?: string): string {
	return `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;
}

/**
 * The whole document: a title, when and by what it was made, and its sections (HTML built by the
 * helpers above). `lang`, one h1 and landmarks for screen readers; print styles keep each
 * figure and table whole on a page.
 */
export function reportDocument(parts: {
	title: string;
	subtitle: string;
	generatedAt: Date;
	sections: string[];
}): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Driftwood">
<title>${escapeHtml(parts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(parts.title)}</h1><p class="meta">${escapeHtml(parts.subtitle)} · made by Driftwood on ${escapeHtml(parts.generatedAt.toISOString().replace('T', ' ').slice(0, 16))} UTC</p></header>
<main>
${parts.sections.join('\n')}
</main>
</body>
</html>
`;
}

/** A section with its heading (h2). */
export function sectionHtml(title: string, body: string, id?: string): string {
	return `<section${id ? ` id="${escapeHtml(id)}"` : ''}><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/**
 * A chart's markup (ours: Plot's output) as the report holds it: any script or event handler
 * taken out — the report promises no script, whatever a chart library writes — and the labels of
 * its inner groups too: the chart is one image with its own label, and a <g> has no role to
 * carry one (a screen reader would only hear mark names).
 */
function chartMarkup(svg: string): string {
	return svg
		.replace(/<script[\s\S]*?<\/script>/gi, '')
		.replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '')
		.replace(/\saria-label\s*=\s*("[^"]*"|'[^']*')/gi, '');
}

const STYLE = `
:root { color: #1d2327; background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
.meta { color: #4b5563; margin: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 0 .2em; border-radius: 3px; }
figure { margin: 1rem 0; }
figcaption { color: #4b5563; font-size: .9rem; }
svg { max-width: 100%; height: auto; }
.verdict { font-weight: 600; padding: .5rem .75rem; border-left: 4px solid #0f766e; background: #f0fdfa; }
.verdict.warn { border-color: #b45309; background: #fffbeb; }
.verdict.alert { border-color: #b91c1c; background: #fef2f2; }
@media print {
  body { margin: 0; max-width: none; }
  figure, table, .verdict { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
`;
