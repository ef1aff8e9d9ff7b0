// CSV records keep the line they start on (quoted fields may span lines), and what is written
// reads back the same.
import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from './csv-records.js';

describe('CSV records', () => {
  it('names each record by row and starting line, across quoted line breaks and CRLF', () => {
    const { header, records } = readCsv('\uFEFFtask_id,note\r\nt1,"two\nlines"\r\n\r\nt2,"say ""hi"""\n');
    expect(header).toEqual(['task_id', 'note']);
    expect(records).toEqual([
      { row: 1, line: 2, values: { task_id: 't1', note: 'two\nlines' } },
      { row: 2, line: 5, values: { task_id: 't2', note: 'say "hi"' } },
    ]);
  });

  it('refuses what cannot be read, naming the line', () => {
    expect(() => readCsv('')).toThrow(/empty/);
    expect(() => readCsv('a,b\n')).toThrow(/header but no rows/);
    expect(() => readCsv('a,a\n1,2\n')).toThrow(/line 1: the header names column 'a' twice/);
    expect(() => readCsv('a,b\n1,2\n3\n')).toThrow(/row 2 \(line 3\) has 1 fields/);
    expect(() => readCsv('a,b\n1,"2\n3,4\n')).toThrow(/line 2: a quoted field is never closed/);
  });

  it('writes fields that need it quoted, and reads them back', () => {
    const rows: Array<Record<string, string>> = [{ a: 'x, y', b: ' lead' }, { a: 'q"uote', b: 'multi\nline' }, { a: 'plain' }];
    const text = writeCsv(['a', 'b'], rows);
    expect(text.split('\n')[1]).toBe('"x, y"," lead"');
    expect(readCsv(text).records.map((r) => r.values)).toEqual([...rows.slice(0, 2), { a: 'plain', b: '' }]);
  });
});
