// Parquet columns kept at their own type are stored from the file's typed values: the same
// values and the same refusals (NaN is no number) as text of them would give.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbDataEngine } from './duckdb-data-engine.js';
import { DuckSession } from './duckdb-session.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-parquet-'));

describe('Parquet ingest', () => {
  it('keeps typed values, quarantines a NaN as not a number, and coerces to a dataset schema of other types', async () => {
    const file = path.join(root, 'typed.parquet');
    const s = await DuckSession.open();
    await s.run(`COPY (SELECT * FROM (VALUES
        (1::BIGINT, 1.5::DOUBLE, TIMESTAMP '2024-01-01 10:00:00.25', DATE '2024-01-01', true, 'a'),
        (2::BIGINT, 'NaN'::DOUBLE, TIMESTAMP '2024-01-02 00:00:00', DATE '2024-01-02', false, 'b'),
        (3::BIGINT, NULL, NULL, NULL, NULL, NULL)) t(id, x, "at", "day", ok, "name")) TO '${file}' (FORMAT parquet)`);
    s.close();
    const out = await engine.ingest({ path: file, format: 'parquet', workDir: mkdtempSync(path.join(root, 'w-')) });
    expect(out.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'x:double', 'at:timestamp', 'day:date', 'ok:boolean', 'name:string']);
    expect(out.report).toEqual({ rows_read: 3, accepted: 2, quarantined: 1, by_rule: { 'x.type': 1 } });
    const [q] = await engine.readQuarantine(out.quarantine!.path, { limit: 5 });
    expect(q).toMatchObject({ line: 2, rule: 'x.type', reason: "x: 'nan' is not a number" });
    const b = await engine.readColumns([out.accepted.path], ['id', 'x', 'at', 'day', 'ok', 'name']);
    expect(b.columns.id).toEqual(new Float64Array([1, 3]));
    expect(Array.from(b.columns.x as Float64Array)).toEqual([1.5, NaN]);
    expect(Array.from(b.columns.at as Float64Array)).toEqual([Date.parse('2024-01-01T10:00:00.250Z'), NaN]);
    expect(Array.from(b.columns.day as Float64Array)).toEqual([Date.parse('2024-01-01T00:00:00Z'), NaN]);
    expect(b.columns.ok).toEqual([true, null]);
    expect(b.columns.name).toEqual(['a', null]);

    // A dataset that has id as double and ok as string takes the file's values through text.
    const schema = out.schema.map((c) => (c.name === 'id' ? { ...c, type: 'double' as const } : c.name === 'ok' ? { ...c, type: 'string' as const } : c));
    const again = await engine.ingest({ path: file, format: 'parquet', schema, workDir: mkdtempSync(path.join(root, 'w-')) });
    const c = await engine.readColumns([again.accepted.path], ['id', 'ok']);
    expect(again.report.accepted).toBe(2);
    expect(c.types).toMatchObject({ id: 'double', ok: 'string' });
    expect(c.columns.ok).toEqual(['true', null]);
  });

  it('checks typed columns on their own values and shows the file value as text in reasons and the quarantine', async () => {
    const file = path.join(root, 'ranged.parquet');
    const s = await DuckSession.open();
    await s.run(`COPY (SELECT * FROM (VALUES
        (1::BIGINT, TIMESTAMP '2024-01-01 10:00:00.25', 7::INTEGER),
        (2::BIGINT, TIMESTAMP '2024-01-02 00:00:00', 8::INTEGER),
        (3::BIGINT, NULL, 900::INTEGER)) t(id, "at", n)) TO '${file}' (FORMAT parquet)`);
    s.close();
    const rules = { columns: { at: { not_null: true, range: { max: '2024-01-01T12:00:00Z' } }, n: { range: { max: 100 } } } };
    const out = await engine.ingest({ path: file, format: 'parquet', rules, workDir: mkdtempSync(path.join(root, 'w-')) });
    expect(out.report).toEqual({ rows_read: 3, accepted: 1, quarantined: 2, by_rule: { 'at.range': 1, 'at.not_null': 1 } });
    const q = await engine.readQuarantine(out.quarantine!.path, { limit: 5 });
    expect(q.map((r) => [r.line, r.rule, r.reason])).toEqual([
      [2, 'at.range', 'at: 2024-01-02 00:00:00.000000 is above the maximum 2024-01-01T12:00:00Z'],
      [3, 'at.not_null', 'at is empty'],
    ]);
    expect(q[0].values).toEqual({ id: '2', at: '2024-01-02 00:00:00.000000', n: '8' });
  });
});
