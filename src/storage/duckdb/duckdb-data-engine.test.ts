// Unit tests of the DuckDB data engine: real line numbers, inference, a bound schema, nothing
// silently coerced, deterministic Parquet, and reading columns back.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../domain/cleansing-rules.js';
import type { DataFormat } from '../../domain/datasets.js';
import type { IngestRequest } from '../../domain/ports/data-engine.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-engine-'));
let n = 0;

async function ingest(content: string, format: DataFormat = 'csv', more: Partial<IngestRequest> = {}) {
  const file = path.join(root, `source-${n}`);
  writeFileSync(file, content);
  const workDir = mkdtempSync(path.join(root, `work-${n++}-`));
  return engine.ingest({ path: file, format, workDir, ...more });
}

describe('DuckDbDataEngine.ingest', () => {
  it('quarantines with physical line numbers across quoted newlines and blank lines', async () => {
    const csv = 'a,b,c\n1,"x\ny",2012-01-01\n\n2,z,2012-01-02\nbad\n3,w,notadate\n\n\n4,"q\n\nr",2012-01-04\n5\n';
    const out = await ingest(csv, 'csv', { rules: parseRules({ columns: { c: { type: 'date' } } }) });
    expect(out.report).toEqual({ rows_read: 6, accepted: 3, quarantined: 3, by_rule: { 'c.type': 1, 'parse.missing_columns': 2 } });
    const q = await engine.readQuarantine(out.quarantine!.path, { limit: 10 });
    expect(q.map((r) => [r.line, r.rule])).toEqual([
      [6, 'parse.missing_columns'],
      [7, 'c.type'],
      [13, 'parse.missing_columns'],
    ]);
    expect(q[1]).toMatchObject({ reason: "c: 'notadate' is not a date (YYYY-MM-DD)", values: { a: '3', b: 'w', c: 'notadate' } });
    const b = await engine.readColumns([out.accepted.path], ['a', 'b']);
    expect(b.columns.b).toEqual(['x\ny', 'z', 'q\n\nr']);
  });

  it('infers types strictly and semantics from the values', async () => {
    const csv = ['id,n,x,flag,day,at,kind,note', ...Array.from({ length: 60 }, (_, i) => `${i},${i % 7},${i / 4},${i % 2 ? 'true' : 'false'},2012-01-${String((i % 28) + 1).padStart(2, '0')},2012-01-01T10:${String(i % 60).padStart(2, '0')}:00Z,${['a', 'b'][i % 2]},note number ${i}`)].join('\n');
    const out = await ingest(csv);
    expect(out.schema.map((c) => `${c.name}:${c.type}:${c.semantic}`)).toEqual([
      'id:integer:id',
      'n:integer:numeric',
      'x:double:numeric',
      'flag:boolean:categorical',
      'day:date:timestamp',
      'at:timestamp:timestamp',
      'kind:string:categorical',
      'note:string:text',
    ]);
    const mixed = await ingest('v,w\n1,2012-01-01\n1.5,2012-01-02 x\n');
    expect(mixed.schema.map((c) => c.type)).toEqual(['double', 'string']);
  });

  it('widens a type the first rows suggested when a later value does not fit it, quarantining nothing', async () => {
    const rows = Array.from({ length: 10_050 }, (_, i) => `${i},${i === 10_020 ? '1.5' : i},${i === 10_040 ? 'n/a' : i % 7},${i % 2 ? 'true' : 'false'}`);
    const out = await ingest(['id,x,code,flag', ...rows].join('\n') + '\n', 'csv', { rules: parseRules({ columns: { id: { range: { min: 0 } } } }) });
    expect(out.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'x:double', 'code:string', 'flag:boolean']);
    expect(out.report).toEqual({ rows_read: 10_050, accepted: 10_050, quarantined: 0, by_rule: {} });
    const b = await engine.readColumns([out.accepted.path], ['x', 'code']);
    expect(b.columns.x[10_020]).toBe(1.5);
    expect((b.columns.code as string[])[10_040]).toBe('n/a');
  });

  it('coerces a new version to the dataset schema, quarantining values that do not cast', async () => {
    const first = await ingest('a,b\n1,x\n2,y\n');
    expect(first.schema.map((c) => c.type)).toEqual(['integer', 'string']);
    const second = await ingest('b,a\nz,3\nw,3.5\n', 'csv', { schema: first.schema });
    expect(second.report).toEqual({ rows_read: 2, accepted: 1, quarantined: 1, by_rule: { 'a.type': 1 } });
    expect(second.schema).toEqual(first.schema);
    const b = await engine.readColumns([second.accepted.path], ['a', 'b']);
    expect(b).toMatchObject({ rowCount: 1, types: { a: 'integer', b: 'string' } });
    await expect(ingest('a,c\n1,2\n', 'csv', { schema: first.schema })).rejects.toThrow(/missing 'b'; unexpected 'c'/);
  });

  it('writes the same Parquet bytes for the same input', async () => {
    const csv = 'a,b\n' + Array.from({ length: 500 }, (_, i) => `${i},${i % 3 ? 'x' : 'y'}`).join('\n');
    const digest = async () => createHash('sha256').update(readFileSync((await ingest(csv)).accepted.path)).digest('hex');
    expect(await digest()).toBe(await digest());
  });
});

describe('DuckDbDataEngine.readColumns', () => {
  it('filters by an epoch-ms or ISO range, orders, limits, and types the arrays', async () => {
    const out = await ingest('t,v,ok\n2012-01-03T00:00:00Z,3,true\n2012-01-01T00:00:00Z,1,false\n2012-01-02T12:00:00Z,,\n');
    const path = out.accepted.path;
    const all = await engine.readColumns([path], ['t', 'v', 'ok'], { orderBy: 't' });
    expect(Array.from(all.columns.t as Float64Array)).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 2, 12), Date.UTC(2012, 0, 3)]);
    expect(Number.isNaN((all.columns.v as Float64Array)[1])).toBe(true);
    expect(all.columns.ok).toEqual([false, null, true]);
    const some = await engine.readColumns([path], ['v'], { where: { column: 't', from: Date.UTC(2012, 0, 2), to: '2012-01-04' }, orderBy: ['t'], limit: 1 });
    expect(some.rowCount).toBe(1);
    expect(Number.isNaN((some.columns.v as Float64Array)[0])).toBe(true);
    await expect(engine.readColumns([path], ['nope'])).rejects.toThrow(/column 'nope' was not found/);
  });

  it('serves concurrent reads, each on its own connection', async () => {
    const out = await ingest('x\n' + Array.from({ length: 3000 }, (_, i) => String(i)).join('\n'));
    const reads = await Promise.all(Array.from({ length: 6 }, (_, i) => engine.readColumns([out.accepted.path], ['x'], { where: { column: 'x', from: i * 500, to: (i + 1) * 500 } })));
    expect(reads.map((r) => r.rowCount)).toEqual([500, 500, 500, 500, 500, 500]);
    const [row] = await engine.query('SELECT sum(x) AS s FROM data WHERE x < $1', [10], [out.accepted.path]);
    expect(Number(row.s)).toBe(45);
  });
});
