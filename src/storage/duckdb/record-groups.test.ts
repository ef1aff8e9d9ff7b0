// Several pushed batches cleansed in one pass answer, batch by batch, exactly what each batch
// ingested alone answers: report (with PII and imputation counts), quarantine lines and reasons,
// and the same accepted Parquet bytes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameOutcome } from '../../../test/support/ingest-outcomes.js';
import { parseRules } from '../../domain/cleansing-rules.js';
import type { ColumnSchema } from '../../domain/datasets.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-groups-'));
const work = () => mkdtempSync(path.join(root, 'w-'));

const SCHEMA: ColumnSchema[] = [
  { name: 'id', type: 'integer', nullable: false, semantic: 'id' },
  { name: 'email', type: 'string', nullable: true, semantic: 'text' },
  { name: 'score', type: 'double', nullable: true, semantic: 'numeric' },
  { name: 'code', type: 'string', nullable: true, semantic: 'categorical' },
];
const RULES = parseRules({
  columns: {
    id: { type: 'integer', not_null: true },
    email: { pii: { email: 'mask' } },
    score: { type: 'double', range: { min: 0, max: 100 }, impute: { strategy: 'constant', value: 50 } },
    code: { regex: '[A-Z]{2}-[0-9]+', normalize: { trim: true, case: 'upper' } },
  },
});

const batches: Array<Array<Record<string, unknown>>> = [
  [
    { id: 1, email: 'ann@example.com', score: 10, code: 'ab-1' },
    { id: 2, email: 'none', score: null, code: 'CD-2' },
    { id: 'three', email: null, score: 5, code: 'EF-3' },
  ],
  [{ id: 4, email: 'bob@example.org', score: 101, code: 'GH-4' }],
  [
    { id: 5, email: 'x', score: 1, code: 'bad code' },
    { id: 6, email: 'carl@example.net', score: 2, code: ' ij-6 ' },
  ],
];

describe('DuckDbDataEngine.ingestRecordGroups', () => {
  it('answers per batch what ingesting each batch alone answers', async () => {
    const source = (k: number) => ({ bytes: k + 1, sha256: `batch-${k}` });
    const alone = [];
    for (const [k, records] of batches.entries()) alone.push(await engine.ingestRecords({ records, source: source(k), rules: RULES, schema: SCHEMA, workDir: work(), profile: false }));
    const together = await engine.ingestRecordGroups({ rules: RULES, schema: SCHEMA, groups: batches.map((records, k) => ({ records, source: source(k), workDir: work() })) });

    expect(together).toHaveLength(batches.length);
    for (const [k, one] of alone.entries()) {
      expect(together[k].source).toEqual(one.source);
      await expectSameOutcome(engine, together[k], one);
    }
    // The batches' own lines and rules, not positions in the combined run.
    expect(alone.map((o) => [o.report.accepted, o.report.quarantined])).toEqual([
      [2, 1],
      [0, 1],
      [1, 1],
    ]);
    expect(together[0].report.pii_masked).toEqual({ 'email.email': 1 });
    expect(together[0].report.imputed).toEqual({ score: 1 });
    const q = await engine.readQuarantine(together[2].quarantine!.path, { limit: 10 });
    expect(q.map((r) => [r.line, r.rule])).toEqual([[1, 'code.regex']]);
  });

  it('refuses rules that look across rows', async () => {
    const rules = parseRules({ columns: { id: { type: 'integer', unique: true } } });
    await expect(
      engine.ingestRecordGroups({ rules, schema: SCHEMA.slice(0, 1), groups: [{ records: [{ id: 1 }], source: { bytes: 1, sha256: 'a' }, workDir: work() }] }),
    ).rejects.toThrow(/one row at a time/);
  });
});
