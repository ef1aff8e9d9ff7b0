// A batch cleansed in a warm push workspace answers exactly what the full ingest of it answers:
// report, accepted Parquet bytes, quarantine; and the workspaces leave nothing behind on close.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameOutcome } from '../../../test/support/ingest-outcomes.js';
import { parseRules, type RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnSchema } from '../../domain/datasets.js';
import type { IngestOutcome } from '../../domain/ports/data-engine.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';
import { runRecordsIngest } from './ingest-pipeline.js';
import { DuckSession } from './duckdb-session.js';
import { PushWorkspaces } from './push-workspace.js';

const root = mkdtempSync(path.join(tmpdir(), 'flywheel-pushws-'));
const work = () => mkdtempSync(path.join(root, 'w-'));
/** The digest of an outcome's accepted Parquet (a warm batch answers its bytes, not a file). */
const sha = (accepted: IngestOutcome['accepted']) => createHash('sha256').update(accepted.bytes ?? readFileSync(accepted.path)).digest('hex');
const engine = new DuckDbDataEngine();
afterAll(async () => {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
});

const SCHEMA: ColumnSchema[] = [
  { name: 'id', type: 'integer', nullable: false, semantic: 'id' },
  { name: 'a/b ~ "q" \'s', type: 'string', nullable: true, semantic: 'text' },
  { name: 'x', type: 'double', nullable: true, semantic: 'numeric' },
  { name: 'day', type: 'date', nullable: true, semantic: 'timestamp' },
  { name: 'at', type: 'timestamp', nullable: true, semantic: 'timestamp' },
  { name: 'ok', type: 'boolean', nullable: true, semantic: 'categorical' },
  { name: 'code', type: 'string', nullable: true, semantic: 'categorical' },
];
const ODD = 'a/b ~ "q" \'s';

const good = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i + 1,
    [ODD]: i % 7 === 0 ? null : `it's "${i}" é ${'$1'} \\ ${i}`,
    x: i % 5 === 0 ? 1e21 : i / 3,
    day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    at: i % 2 ? `2024-03-01T10:00:${String(i % 60).padStart(2, '0')}Z` : `2024-03-01 10:00:00+02:00`,
    ok: i % 3 === 0 ? 'yes' : i % 3 === 1,
    code: i % 4 === 0 ? { nested: [i] } : ` ab-${i} `,
  }));

const RULES: Array<[string, RulesDocument | null]> = [
  ['no rules', null],
  [
    'row-local rules',
    parseRules({
      columns: {
        id: { type: 'integer', not_null: true, range: { min: 1, max: 1_000_000 } },
        x: { range: { min: -1, max: 1e22 } },
        day: { range: { min: '2024-01-01', max: '2024-12-31' } },
        at: { range: { min: '2024-01-01T00:00:00Z' } },
        code: { normalize: { trim: true, case: 'upper' }, regex: '(AB-[0-9]+)|(\\{.*\\})' },
        ok: { allowed: [true, false] },
      },
    }),
  ],
  ['a PII drop rule', parseRules({ columns: { [ODD]: { pii: { email: 'drop' } } } })],
  ['allowed strings with quotes', parseRules({ columns: { [ODD]: { allowed: ["it's", '"q"'] } } })],
];

async function both(records: Array<Record<string, unknown>>, rules: RulesDocument | null): Promise<[IngestOutcome, IngestOutcome]> {
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const request = { records, text, source: { bytes: text.length, sha256: 'x' }, rules, schema: SCHEMA, profile: false as const };
  const full = await runRecordsIngest({ ...request, workDir: work() });
  const warm = await engine.ingestRecords({ ...request, workDir: work() });
  return [full, warm];
}

const expectSame = (full: IngestOutcome, warm: IngestOutcome) => expectSameOutcome(engine, warm, full);

describe('push workspaces', () => {
  for (const [name, rules] of RULES) {
    it(`answer what the full ingest answers (${name})`, async () => {
      // Twice each: the second run reuses the workspace the first one opened.
      for (const records of [good(300), good(1_200, 300), [{ id: 7 }], good(40)]) {
        const [full, warm] = await both(records, rules);
        await expectSame(full, warm);
      }
      // A batch with bad rows: quarantined as the full ingest quarantines them.
      const bad = [...good(20), { id: 'seven', x: 'n/a', day: '2024-13-01', at: 'soon', ok: 'maybe', code: 'zz' }, { id: null }, ...good(5, 50)];
      const [full, warm] = await both(bad, rules);
      expect(full.report.quarantined).toBeGreaterThan(0);
      await expectSame(full, warm);
      // The workspace serves the next batch after one that broke a rule.
      await expectSame(...(await both(good(30, 900), rules)));
    });
  }

  it('answers batches cleansed together one by one, each as the full ingest of it alone', async () => {
    const rules = RULES[1][1];
    const batches = [good(50), [...good(3), { id: 'x' }], good(20, 60)];
    const alone = [];
    for (const records of batches) alone.push((await both(records, rules))[0]);
    const told: number[] = [];
    const text = (records: Array<Record<string, unknown>>) => records.map((r) => JSON.stringify(r)).join('\n');
    const together = await engine.ingestRecordGroups({
      rules,
      schema: SCHEMA,
      groups: batches.map((records) => ({ records, text: text(records), source: { bytes: text(records).length, sha256: 'x' }, workDir: work() })),
      onOutcome: (k) => told.push(k),
    });
    for (const [k, one] of alone.entries()) await expectSame(one, together[k]);
    // The warm batches were told as each was done; the one with a bad row went the full way.
    expect(told).toEqual([0, 2]);
  });

  it('answers rules that mask or impute through the full ingest, the same way', async () => {
    const rules = parseRules({ columns: { [ODD]: { pii: { email: 'mask' } }, x: { impute: { strategy: 'constant', value: 0.5 } } } });
    const records = [...good(10), { id: 99, [ODD]: 'mail ann@example.com', x: null }];
    const [full, warm] = await both(records, rules);
    expect(warm.report.pii_masked).toEqual({ [`${ODD}.email`]: 1 });
    await expectSame(full, warm);
  });

  it('refuses keys outside the schema and rules that do not fit, as the full ingest does', async () => {
    const text = '{"id":1,"other":2}\n';
    const request = { records: [{ id: 1, other: 2 }], text, source: { bytes: text.length, sha256: 'x' }, schema: SCHEMA, profile: false as const };
    await expect(engine.ingestRecords({ ...request, rules: null, workDir: work() })).rejects.toThrow(/unexpected 'other'/);
    const rules = parseRules({ columns: { code: { range: { min: 1 } } } });
    const one = { ...request, records: [{ id: 1 }], text: '{"id":1}', rules };
    const expected = await runRecordsIngest({ ...one, workDir: work() }).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    expect(expected).toMatch(/code is string/);
    await expect(engine.ingestRecords({ ...one, workDir: work() })).rejects.toThrow(expected);
  });

  it('closes a workspace left idle', async () => {
    const instance = await DuckSession.instance({ threads: 1 });
    const pool = new PushWorkspaces(async () => instance, 50);
    const dir = mkdtempSync(path.join(root, 'idle-'));
    const records = good(5);
    const text = records.map((r) => JSON.stringify(r)).join('\n');
    const full = async () => {
      throw new Error('the warm workspace takes these rows');
    };
    const [outcome] = await pool.ingest({ rules: null, schema: SCHEMA, groups: [{ records, text, source: { bytes: 1, sha256: 'x' }, workDir: mkdtempSync(path.join(dir, 'w-')) }] }, full);
    expect(outcome.accepted.rows).toBe(5);
    expect(readdirSync(dir).filter((f) => f.startsWith('push-ws-'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(dir).filter((f) => f.startsWith('push-ws-'))).toEqual([]);
    await pool.close();
    instance.closeSync();
  });

  it('drops a workspace whose folder is gone, the batch answered by the full ingest', async () => {
    const instance = await DuckSession.instance({ threads: 1 });
    const pool = new PushWorkspaces(async () => instance);
    const dir = mkdtempSync(path.join(root, 'gone-'));
    let fullRuns = 0;
    const full = async (groups: Parameters<Parameters<PushWorkspaces['ingest']>[1]>[0]) => {
      fullRuns++;
      return Promise.all(groups.map((g) => runRecordsIngest({ ...g, schema: SCHEMA, rules: null, profile: false })));
    };
    const push = async () => {
      const records = good(5);
      const text = records.map((r) => JSON.stringify(r)).join('\n');
      const [outcome] = await pool.ingest({ rules: null, schema: SCHEMA, groups: [{ records, text, source: { bytes: 1, sha256: 'x' }, workDir: mkdtempSync(path.join(dir, 'w-')) }] }, full);
      return outcome;
    };
    const first = await push();
    const [ws] = readdirSync(dir).filter((f) => f.startsWith('push-ws-'));
    rmSync(path.join(dir, ws), { recursive: true });
    const second = await push();
    expect(fullRuns).toBe(1);
    expect(sha(second.accepted)).toBe(sha(first.accepted));
    const third = await push();
    expect(fullRuns).toBe(1);
    expect(sha(third.accepted)).toBe(sha(first.accepted));
    await pool.close();
    instance.closeSync();
  });

  it('leaves no workspace folder behind when the engine closes', async () => {
    const mine = new DuckDbDataEngine();
    const dir = mkdtempSync(path.join(root, 'close-'));
    const records = good(10);
    const text = records.map((r) => JSON.stringify(r)).join('\n');
    const workDir = mkdtempSync(path.join(dir, 'w-'));
    await mine.ingestRecords({ records, text, source: { bytes: text.length, sha256: 'x' }, rules: null, schema: SCHEMA, workDir, profile: false });
    expect(readdirSync(dir).some((f) => f.startsWith('push-ws-'))).toBe(true);
    await mine.close();
    expect(readdirSync(dir).filter((f) => f.startsWith('push-ws-'))).toEqual([]);
  });
});
