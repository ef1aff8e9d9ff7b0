import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml, renderMarkdown } from './model-card-render.js';
import type { CardDocument } from './model-card-sections.js';

const DOC: CardDocument = {
  title: 'Model card: m v1',
  subtitle: 'Generated now',
  sections: [
    { title: 'Intended use', blocks: [{ kind: 'prose', text: 'Line one\n<img src=x onerror=alert(1)>' }] },
    { title: 'Aliases', blocks: [{ kind: 'table', head: ['Alias', 'Why'], rows: [['champion', 'a | b\nc']] }] },
    { title: 'Limitations', blocks: [{ kind: 'missing', text: 'Not filled in yet.' }] },
  ],
};

describe('model card rendering', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('renders HTML with user text escaped and no markup of its own', () => {
    const html = renderHtml(DOC);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<td>a | b\nc</td>');
    expect(html).toContain('<p class="missing">Not filled in yet.</p>');
  });

  it('renders Markdown tables whose cells keep pipes and newlines inside the cell', () => {
    const md = renderMarkdown(DOC);
    expect(md).toContain('| champion | a \\| b c |');
    expect(md).toContain('## Limitations\n\n_Not filled in yet._');
  });
});
