// Unit tests of the cleansing rules that look across rows, run by DuckDbDataEngine.ingest on
// small files: de-duplication by key (keep first/last), unique columns, outliers (IQR and
// z-score), the order in which a row meets its first broken rule, and rows read = accepted +
// quarantined with every rule at once (CSV and JSON Lines, as pushes are).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../domain/cleansing-rules.js';
import type { DataFormat } from '../../domain/datasets.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-set-rules-'));
let n = 0;

async function ingest(content: string, rules: unknown, format: DataFormat = 'csv') {
  const file = path.join(root, `source-${n}`);
  writeFileSync(file, content);
  const out = await engine.ingest({ path: file, format, workDir: mkdtempSync(path.join(root, `work-${n++}-`)), rules: parseRules(rules) });
  const quarantine = out.quarantine ? await engine.readQuarantine(out.quarantine.path, { limit: 1000 }) : [];
  expect(out.report.accepted + out.report.quarantined).toBe(out.report.rows_read);
  expect(quarantine.length).toBe(out.report.quarantined);
  expect(Object.values(out.report.by_rule).reduce((a, b) => a + b, 0)).toBe(out.report.quarantined);
  expect((await engine.readColumns([out.accepted.path], [out.schema[0].name])).rowCount).toBe(out.report.accepted);
  return { out, quarantine, lines: quarantine.map((r) => [r.line, r.rule, r.reason]) };
}

async function stored(out: { accepted: { path: string } }, column: string) {
  const c = (await engine.readColumns([out.accepted.path], [column])).columns[column];
  return c instanceof Float64Array ? Array.from(c) : c;
}

describe('dedupe', () => {
  const csv = 'id,day,v\n1,2012-01-01,a\n2,2012-01-01,b\n1,2012-01-01,c\n1,2012-01-02,d\nx,2012-01-01,e\n2,2012-01-01,f\n1,2012-01-01,g\n';

  it('keeps the first row of each key and names it in the reason', async () => {
    const { out, lines } = await ingest(csv, { columns: { id: { type: 'integer' } }, dedupe: { key: ['id', 'day'] } });
    expect(lines).toEqual([
      [4, 'dedupe', 'duplicate key id=1, day=2012-01-01: line 2 is the one kept (keep first)'],
      [6, 'id.type', "id: 'x' is not an integer"],
      [7, 'dedupe', 'duplicate key id=2, day=2012-01-01: line 3 is the one kept (keep first)'],
      [8, 'dedupe', 'duplicate key id=1, day=2012-01-01: line 2 is the one kept (keep first)'],
    ]);
    expect(out.report.by_rule).toEqual({ dedupe: 3, 'id.type': 1 });
    expect(await stored(out, 'v')).toEqual(['a', 'b', 'd']);
  });

  it('keeps the last row of each key', async () => {
    const { out, lines } = await ingest(csv, { columns: { id: { type: 'integer' } }, dedupe: { key: ['id', 'day'], keep: 'last' } });
    expect(lines).toEqual([
      [2, 'dedupe', 'duplicate key id=1, day=2012-01-01: line 8 is the one kept (keep last)'],
      [3, 'dedupe', 'duplicate key id=2, day=2012-01-01: line 7 is the one kept (keep last)'],
      [4, 'dedupe', 'duplicate key id=1, day=2012-01-01: line 8 is the one kept (keep last)'],
      [6, 'id.type', "id: 'x' is not an integer"],
    ]);
    expect(await stored(out, 'v')).toEqual(['d', 'f', 'g']);
  });

  it('treats empty key values as equal, compares typed values, and never keeps a rejected row', async () => {
    const empty = await ingest('k,v\n,a\n,b\n1,c\n', { dedupe: { key: ['k'] } });
    expect(empty.lines).toEqual([[3, 'dedupe', 'duplicate key k=(empty): line 2 is the one kept (keep first)']]);
    const typed = await ingest('k,n\n01,abc\n1,5\n+1,6\n', { columns: { k: { type: 'integer' }, n: { type: 'integer' } }, dedupe: { key: ['k'] } });
    expect(typed.lines).toEqual([
      [2, 'n.type', "n: 'abc' is not an integer"],
      [4, 'dedupe', 'duplicate key k=1: line 3 is the one kept (keep first)'],
    ]);
  });

  it('de-duplicates JSON Lines (pushed rows) the same way', async () => {
    const jsonl = ['{"id": 1, "v": "a"}', '{"id": 2, "v": "b"}', 'not json', '{"id": 1, "v": "c"}'].join('\n');
    const { lines } = await ingest(jsonl, { dedupe: { key: ['id'] } }, 'jsonl');
    expect(lines).toEqual([
      [3, 'parse.invalid_json', 'the line is not valid JSON'],
      [4, 'dedupe', 'duplicate key id=1: line 1 is the one kept (keep first)'],
    ]);
  });
});

describe('unique', () => {
  it('quarantines every later row sharing a value; empty values never clash', async () => {
    const csv = 'email,code\na@x,1\nb@x,2\na@x,3\n,4\n,5\nc@x,2\na@x,2\n';
    const { out, lines } = await ingest(csv, { columns: { email: { unique: true }, code: { unique: true } } });
    expect(lines).toEqual([
      [4, 'email.unique', "email: 'a@x' is already on line 2"],
      [7, 'code.unique', "code: '2' is already on line 3"],
      [8, 'email.unique', "email: 'a@x' is already on line 2"],
    ]);
    expect(await stored(out, 'code')).toEqual([1, 2, 4, 5]);
  });

  it('checks columns one after another, each on the rows the one before left', async () => {
    const { lines } = await ingest('a,b\n1,x\n1,y\n2,y\n', { columns: { a: { unique: true }, b: { unique: true } } });
    // Line 3 leaves under a.unique, so line 4's 'y' clashes with no accepted row.
    expect(lines).toEqual([[3, 'a.unique', "a: '1' is already on line 2"]]);
  });

  it('runs after de-duplication', async () => {
    const { out, lines } = await ingest('id,email\n1,a@x\n1,a@x\n', { columns: { email: { unique: true } }, dedupe: { key: ['id'], keep: 'last' } });
    expect(lines).toEqual([[2, 'dedupe', 'duplicate key id=1: line 3 is the one kept (keep last)']]);
    expect(out.report.accepted).toBe(1);
  });
});

describe('outliers', () => {
  it('IQR: bounds from the rows that passed every earlier check', async () => {
    // 1..10 and 100 pass; 5000 breaks the range first and does not widen the bounds.
    const csv = 'x\n' + [...Array.from({ length: 10 }, (_, i) => i + 1), 100, 5000].join('\n') + '\n';
    const { out, lines } = await ingest(csv, { columns: { x: { range: { max: 1000 }, outliers: { method: 'iqr', k: 1.5 } } } });
    // q1 = 3.5, q3 = 8.5 (linear interpolation over 1..10, 100): [3.5 − 7.5, 8.5 + 7.5].
    expect(lines).toEqual([
      [12, 'x.outliers', 'x: 100 is outside [-4, 16] (IQR rule, k = 1.5)'],
      [13, 'x.range', 'x: 5000 is above the maximum 1000'],
    ]);
    expect(await stored(out, 'x')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('z-score: mean ± threshold·std, the z-score in the reason; the first column in schema order names the rule', async () => {
    const ys = [...Array.from({ length: 10 }, () => 0), 10];
    const csv = 'y,z\n' + ys.map((y, i) => `${y},${i === 10 ? 1000 : i}`).join('\n') + '\n';
    const { lines } = await ingest(csv, { columns: { z: { outliers: { method: 'iqr' } }, y: { outliers: { method: 'zscore', threshold: 3 } } } });
    const mean = 10 / 11;
    const std = Math.sqrt((10 * mean ** 2 + (10 - mean) ** 2) / 10);
    const f = (x: number) => String(Number(x.toPrecision(8)));
    expect(lines).toEqual([[12, 'y.outliers', `y: 10 is outside [${f(mean - 3 * std)}, ${f(mean + 3 * std)}] (z-score ${((10 - mean) / std).toFixed(2)}, threshold 3)`]]);
  });

  it('finds none when the values cannot give bounds', async () => {
    const { out } = await ingest('x\n5\n5\n5\n', { columns: { x: { outliers: { method: 'zscore' } } } });
    expect(out.report.quarantined).toBe(0);
  });
});

describe('order of checks and the invariant', () => {
  it('quarantines a row under the first rule it breaks: parse, row checks by column, pii, dedupe, unique, outliers', async () => {
    const csv = [
      'id,code,contact,amount',
      '1,AB1234,x,10', // 2 accepted
      '1,bad,x,10', // 3 regex before dedupe
      '2,AB1234,4111 1111 1111 1111,10', // 4 pii drop before unique
      '3,AB1234,y,11', // 5 unique
      '4,CD1234', // 6 parse
      '5,EF1234,z,abc', // 7 type (a later column) before dedupe, unique and outliers
      '1,GH1234,w,12', // 8 dedupe
      ...Array.from({ length: 8 }, (_, i) => `${10 + i},K${String(i).padStart(5, '0')},v,${10 + (i % 3)}`), // 9-16 accepted
      '99,ZZ9999,v,500', // 17 outlier
    ].join('\n');
    const { out, lines } = await ingest(csv, {
      columns: {
        code: { regex: '[A-Z]{1,2}[0-9]{4,5}', unique: true },
        contact: { pii: { card: 'drop' } },
        amount: { type: 'integer', outliers: { method: 'iqr' } },
      },
      dedupe: { key: ['id'] },
    });
    expect(lines.map(([line, rule]) => [line, rule])).toEqual([
      [3, 'code.regex'],
      [4, 'contact.pii'],
      [5, 'code.unique'],
      [6, 'parse.missing_columns'],
      [7, 'amount.type'],
      [8, 'dedupe'],
      [17, 'amount.outliers'],
    ]);
    expect(out.report).toMatchObject({ rows_read: 16, accepted: 9, quarantined: 7 });
  });
});
