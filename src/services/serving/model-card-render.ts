// Render a model card document as Markdown or as a standalone HTML page. HTML escapes every
// piece of text (names, reasons and fields come from users), and the page carries a CSP that
// forbids scripts.
import type { CardBlock, CardDocument } from './model-card-sections.js';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function markdownBlock(b: CardBlock): string {
  switch (b.kind) {
    case 'text':
    case 'prose':
      return b.text;
    case 'missing':
      return `_${b.text}_`;
    case 'list':
      return b.items.map((i) => `- ${cell(i)}`).join('\n');
    case 'table':
      return [`| ${b.head.map(cell).join(' | ')} |`, `|${b.head.map(() => ' --- |').join('')}`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
  }
}

export function renderMarkdown(doc: CardDocument): string {
  const parts = [`# ${doc.title}`, `_${doc.subtitle}_`];
  for (const s of doc.sections) parts.push(`## ${s.title}`, ...s.blocks.map(markdownBlock));
  return parts.join('\n\n') + '\n';
}

/** Escape text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function htmlBlock(b: CardBlock): string {
  switch (b.kind) {
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'prose':
      return `<div class="prose">${escapeHtml(b.text)}</div>`;
    case 'missing':
      return `<p class="missing">${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1d2430}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d5dd;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f2f4f7}.missing{color:#b54708;font-style:italic}.prose{white-space:pre-wrap}.subtitle{color:#667085}`;

export function renderHtml(doc: CardDocument): string {
  const body = doc.sections.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>${s.blocks.map(htmlBlock).join('\n')}</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1><p class="subtitle">${escapeHtml(doc.subtitle)}</p>
${body}
</body></html>
`;
}
