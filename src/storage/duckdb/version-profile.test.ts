// Unit tests of the engine's work over stored Parquet for commits and diffs: the profile of
// several files as one version, quarantine files merged with shifted lines, and named views.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../domain/cleansing-rules.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-version-'));
let n = 0;

async function ingest(csv: string) {
  const file = path.join(root, `source-${n}.csv`);
  writeFileSync(file, csv);
  return engine.ingest({ path: file, format: 'csv', workDir: mkdtempSync(path.join(root, `work-${n++}-`)), rules: parseRules({ columns: { x: { type: 'double', range: { min: 0 } } } }) });
}

describe('DuckDbDataEngine over stored versions', () => {
  it('profiles several files as one version and merges quarantines with their lines shifted', async () => {
    const a = await ingest('k,x\na,1\nb,-1\nc,3\n');
    const b = await ingest('k,x\nd,-5\ne,5\n');
    const profile = await engine.profile([a.accepted.path, b.accepted.path], a.schema, mkdtempSync(path.join(root, 'p-')));
    expect(profile.find((p) => p.name === 'x')).toMatchObject({ count: 3, min: 1, max: 5, mean: 3 });
    expect(profile.find((p) => p.name === 'k')).toMatchObject({ count: 3, distinct: 3, unique: true });

    const merged = await engine.mergeQuarantine(
      [
        { path: a.quarantine!.path, lineOffset: 0 },
        { path: b.quarantine!.path, lineOffset: 10 },
      ],
      path.join(root, 'merged.parquet'),
    );
    expect(merged.rows).toBe(2);
    const rows = await engine.readQuarantine(merged.path, { limit: 10 });
    expect(rows.map((r) => [r.line, r.rule, r.values.k])).toEqual([
      [3, 'x.range', 'b'],
      [12, 'x.range', 'd'],
    ]);
  });

  it('answers a query over named views of different files, with bound values', async () => {
    const a = await ingest('k,x\na,1\nb,2\n');
    const b = await ingest('k,x\nb,2\nc,7\n');
    const [r] = await engine.query(
      'SELECT (SELECT count(*) FROM fw_a WHERE x >= $1) AS a, (SELECT count(*) FROM fw_b WHERE x >= $1) AS b, (SELECT count(*) FROM data) AS d',
      [2],
      [b.accepted.path],
      { fw_a: [a.accepted.path], fw_b: [b.accepted.path] },
    );
    expect(r).toEqual({ a: '1', b: '2', d: '2' });
  });
});
