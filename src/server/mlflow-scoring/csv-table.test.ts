import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-table.js';

describe('parseCsv', () => {
  it('reads a header and rows, with quoted fields, escaped quotes and CRLF line ends', () => {
    const t = parseCsv('a,b,c\r\n1,"x, y",3\r\n"4","say ""hi""",\n\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x, y', '3'],
      ['4', 'say "hi"', ''],
    ]);
  });

  it('reads a last line without a line end', () => {
    expect(parseCsv('a,b\n1,2').rows).toEqual([['1', '2']]);
  });

  it('refuses ragged rows, unterminated quotes and empty bodies, naming the line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/csv line 3 has 1 fields but the header names 2 columns/);
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/unterminated/);
    expect(() => parseCsv('\n\n')).toThrow(/empty/);
  });
});
