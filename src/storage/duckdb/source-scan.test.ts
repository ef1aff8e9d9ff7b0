// Unit tests of the pre-scan: digests, file-level errors, the CSV header and record → line map.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { parseHeader, scanSource } from './source-scan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-scan-'));
let n = 0;
function file(content: string | Buffer): string {
  const f = path.join(dir, `f${n++}`);
  writeFileSync(f, content);
  return f;
}

describe('scanSource', () => {
  it('hashes the bytes and reads the header and records of a CSV', async () => {
    const text = 'a,"b ""x""",c\r\n1,2,3\r\n4,5,6\r\n';
    const scan = await scanSource(file(text), 'csv');
    expect(scan).toEqual({
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      header: ['a', 'b "x"', 'c'],
      records: 2,
      breakpoints: [{ o: 1, d: 2, p: 2 }],
    });
  });

  it('maps records to physical lines across quoted newlines and blank lines', async () => {
    // line 1 header; record 1 on lines 2-3; blank 4; record 2 on 5; record 3 on 6-8 (a blank line in quotes); record 4 on 9
    const scan = await scanSource(file('a,b\n1,"x\ny"\n\n2,z\n3,"q\n\nr"\n4,w'), 'csv');
    expect(scan.records).toBe(4);
    expect(scan.breakpoints).toEqual([
      { o: 1, d: 2, p: 2 },
      { o: 2, d: 4, p: 5 },
      { o: 4, d: 6, p: 9 },
    ]);
  });

  it.each([
    ['an empty file', '', 'csv', /the file is empty/],
    ['blank lines only', '\n\n', 'csv', /empty \(no header line\)/],
    ['a header only', 'a,b\n', 'csv', /header but no records/],
    ['an open quote', 'a,b\n1,"x\n2,y\n', 'csv', /opened on line 2 is never closed/],
    ['an empty column name', 'a,,c\n1,2,3\n', 'csv', /header column 2 has no name/],
    ['a duplicate column name', 'a,b,a\n1,2,3\n', 'csv', /'a' appears twice/],
    ['a reserved column name', '__fw_o,b\n1,2\n', 'csv', /is reserved/],
    ['NUL bytes', 'a,b\n1,\u0000\n', 'csv', /binary/],
    ['Latin-1 text', Buffer.from('a,b\n1,caf\xe9\n', 'latin1'), 'csv', /not UTF-8/],
    ['Parquet declared as CSV', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(20), Buffer.from('PAR1')]), 'csv', /Parquet, not CSV/],
    ['text declared as Parquet', 'a,b\n1,2\n', 'parquet', /not Parquet/],
    ['JSON Lines with only blank lines', '\n  \n', 'jsonl', /no JSON lines/],
  ] as const)('rejects %s', async (_what, content, format, message) => {
    const error = await scanSource(file(content), format).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(message);
    expect((error as ValidationError).details?.field).toBe('file');
  });

  it('counts JSON Lines records, skipping blank lines', async () => {
    expect((await scanSource(file('{"a":1}\n\n{"a":2}\n   \n{"a":3}'), 'jsonl')).records).toBe(3);
  });

  it('parses quoted header names with a byte-order mark', () => {
    expect(parseHeader(Buffer.from('\ufeff"x,y",z\r'))).toEqual(['x,y', 'z']);
  });
});
