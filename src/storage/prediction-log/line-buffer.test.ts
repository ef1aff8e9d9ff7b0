// The log's byte buffer: text and bytes appended in order, growing as needed, and spans quoted
// alike whether they sit one byte apart (copied in one piece) or not.
import { describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer.js';

/** The spans of `text`'s innermost bracketed parts. */
const spans = (text: string) => Uint32Array.from([...text.matchAll(/\[[^[\]]*\]/g)].flatMap((m) => [m.index, m.index + m[0].length]));

function quoted(text: string, capacity = 4): string {
  const out = new LineBuffer(capacity);
  out.text('<');
  out.quotedSpans(Buffer.from(text), spans(text));
  out.text('>');
  return out.view().toString('utf8');
}

describe('LineBuffer', () => {
  it('quotes each span, comma-separated, for adjacent and spread spans alike', () => {
    expect(quoted('[[1,2],[3],[4,5,6]]')).toBe('<"[1,2]","[3]","[4,5,6]">');
    expect(quoted('[ [1,2] ,\n [3],[4,5,6] ]')).toBe('<"[1,2]","[3]","[4,5,6]">');
    expect(quoted('[[7]]')).toBe('<"[7]">');
    const none = new LineBuffer(4);
    none.quotedSpans(Buffer.from('[]'), new Uint32Array(0));
    expect(none.length).toBe(0);
  });

  it('grows past its capacity, keeping what it holds', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `[${i},${-i / 8}]`);
    expect(quoted(`[${rows.join(',')}]`, 8)).toBe(`<${rows.map((r) => `"${r}"`).join(',')}>`);
    const out = new LineBuffer(2);
    out.text('é'.repeat(1000));
    out.bytes(Buffer.from('xyz'), 1, 3);
    out.byte(0x0a);
    expect(out.view().toString('utf8')).toBe(`${'é'.repeat(1000)}yz\n`);
    const other = new LineBuffer(1);
    out.copyTo(other);
    expect(other.view().equals(out.view())).toBe(true);
  });
});
