// Push ingest and version diffs over HTTP on both databases: idempotent retries (one copy per
// Idempotency-Key), 409 on a key reused with other rows, quarantine of pushed rows (line =
// position, rule, reason; accepted + quarantined = rows sent), commit into a version (parent,
// exact row counts, staging emptied), and the diff of constructed versions (rows added, removed
// and changed by key, schema changes, column shifts), and the automatic commit at commit_at_rows.
import { createReadStream, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetVersion } from '../../src/domain/datasets.js';
import { newId } from '../../src/domain/ids.js';
import { DuckDbDataEngine } from '../../src/storage/duckdb/duckdb-data-engine.js';
import { databaseTargets, tempDir } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const RULES = {
  columns: {
    date: { type: 'date', not_null: true },
    precipitation: { type: 'double', range: { min: 0, max: 500 } },
    temp_max: { type: 'double' },
    weather: { type: 'string', allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' },
  },
};
const WEATHER_CSV = ['date,precipitation,temp_max,weather', '2015-01-01,0,10.5,sun', '2015-01-02,1.5,9,rain', '2015-01-03,0,8,fog', ''].join('\n');

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`push ingest and diffs (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const dir = tempDir('flywheel-push-');
    const base = '/api/v1/projects/pushing/datasets';

    async function push(dataset: string, rows: unknown[], key?: string) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base}/${dataset}/rows`,
        headers: { ...admin, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: { rows },
      });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }
    const commit = (dataset: string) => call(t.app, 'POST', `${base}/${dataset}/commit`, admin);
    async function ingestCsv(dataset: string, csv: string, rules?: unknown) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base}/${dataset}/versions${rules ? `?rules=${encodeURIComponent(JSON.stringify(rules))}` : ''}`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(res.statusCode, res.body).toBe(201);
      return JSON.parse(res.body);
    }
    const rowsOf = (v: { files: Array<{ rows: number }> }) => v.files.reduce((n, f) => n + f.rows, 0);

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'pushing' })).status).toBe(201);
      for (const name of ['events', 'weather', 'diffs', 'auto', 'together', 'alone']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
    }, 60_000);
    afterAll(() => t?.close());

    it('stores a retried batch once: the same key answers the first report; commit makes version 1 of exactly those rows', async () => {
      const rows = [
        { id: 1, city: 'Oslo', temp: 3.5 },
        { id: 2, city: 'Bergen', temp: 6 },
        { id: 3, city: 'Oslo', temp: -1.25 },
      ];
      const first = await push('events', rows, 'batch-1');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ accepted: 3, quarantined: 0, staged_rows: 3, by_rule: {}, replayed: false });
      const retry = await push('events', rows, 'batch-1');
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ...first.body, replayed: true });

      const second = await push('events', [{ id: 4, city: 'Tromsø', temp: -8 }], 'batch-2');
      expect(second.body).toMatchObject({ accepted: 1, staged_rows: 4, replayed: false });

      const v = await commit('events');
      expect(v.status, JSON.stringify(v.body)).toBe(201);
      expect(v.body).toMatchObject({ version: 1, parent_version_id: null, report: { rows_read: 4, accepted: 4, quarantined: 0 }, source: { kind: 'push', format: 'jsonl' } });
      expect(rowsOf(v.body)).toBe(4);
      expect(v.body.schema.map((c: any) => [c.name, c.type])).toEqual([['id', 'integer'], ['city', 'string'], ['temp', 'double']]);
      const ids = await t.platform.services.datasets.readColumns(v.body, ['id']);
      expect(Array.from(ids.columns.id as Float64Array).sort()).toEqual([1, 2, 3, 4]);

      // After the commit the key still answers its report and stores nothing; the staging area is empty.
      expect((await push('events', rows, 'batch-1')).body).toMatchObject({ batch_id: first.body.batch_id, replayed: true });
      const empty = await commit('events');
      expect(empty.status).toBe(409);
      expect(empty.body.error.message).toMatch(/nothing staged/);
    });

    it('answers 409 when a key comes back with other rows, and 400 naming the header when it is missing', async () => {
      const reused = await push('events', [{ id: 99, city: 'Oslo', temp: 1 }], 'batch-2');
      expect(reused.status).toBe(409);
      expect(reused.body.error.message).toMatch(/Idempotency-Key 'batch-2' was already used for a different batch/);
      const missing = await push('events', [{ id: 5, city: 'Oslo', temp: 1 }]);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/Idempotency-Key/);
      const notObjects = await push('events', [1, 2], 'k-objects');
      expect(notObjects.status).toBe(400);
      const unknownColumn = await push('events', [{ id: 5, city: 'Oslo', temp: 1, extra: true }], 'k-extra');
      expect(unknownColumn.status).toBe(400);
      expect(unknownColumn.body.error.message).toMatch(/extra/);
      expect((await commit('events')).status).toBe(409); // none of these staged anything
    });

    it('stores one copy when retries of a key arrive at the same time', async () => {
      const rows = [{ id: 10, city: 'Oslo', temp: 2 }, { id: 11, city: 'Oslo', temp: 3 }];
      const answers = await Promise.all([1, 2, 3].map(() => push('events', rows, 'parallel')));
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(new Set(answers.map((a) => a.body.batch_id)).size).toBe(1);
      expect(answers.filter((a) => !a.body.replayed)).toHaveLength(1);
      expect((await call(t.app, 'GET', `${base}/events/staging`, admin)).body).toMatchObject({ staged_rows: 2, staged_batches: 1 });
      const v = await commit('events');
      expect(v.body).toMatchObject({ version: 2, report: { rows_read: 2 } });
      expect(rowsOf(v.body)).toBe(6);
    });

    it("quarantines bad pushed rows with their position, rule and reason; commit appends to the parent's rows", async () => {
      const v1 = await ingestCsv('weather', WEATHER_CSV, RULES);
      const batch = [
        { date: '2015-01-04', precipitation: 0, temp_max: 7, weather: 'sun' },
        { date: '2015-01-05', precipitation: -3, temp_max: 7, weather: 'rain' },
        { date: '2015-01-06', precipitation: 2, temp_max: 6, weather: 'rain' },
        { date: '2015-01-07', precipitation: 0, temp_max: 5, weather: 'hail' },
        { date: '2015-01-08', precipitation: 0, temp_max: 'warm', weather: 'sun' },
      ];
      const r = await push('weather', batch, 'w-1');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.accepted + r.body.quarantined).toBe(batch.length);
      expect(r.body).toMatchObject({ accepted: 2, quarantined: 3, staged_rows: 2, by_rule: { 'precipitation.range': 1, 'weather.allowed': 1 } });
      expect(Object.values(r.body.by_rule as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
      expect(r.body.quarantined_rows).toEqual([
        { index: 1, rule: 'precipitation.range', reason: expect.stringMatching(/precipitation/) },
        { index: 3, rule: 'weather.allowed', reason: expect.stringMatching(/hail|allowed/) },
        { index: 4, rule: expect.stringMatching(/^temp_max\./), reason: expect.any(String) },
      ]);
      expect((await push('weather', batch, 'w-1')).body).toEqual({ ...r.body, replayed: true });
      const r2 = await push('weather', [{ date: null, precipitation: 0, temp_max: 1, weather: 'sun' }, { date: '2015-01-09', precipitation: 0, temp_max: 4, weather: 'snow' }], 'w-2');
      expect(r2.body).toMatchObject({ accepted: 1, quarantined: 1, staged_rows: 3 });

      const v2 = await commit('weather');
      expect(v2.status, JSON.stringify(v2.body)).toBe(201);
      expect(v2.body).toMatchObject({ version: 2, parent_version_id: v1.id, report: { rows_read: 7, accepted: 3, quarantined: 4 }, quarantine_file: { rows: 4 } });
      expect(rowsOf(v2.body)).toBe(3 + 3);
      expect(v2.body.profile.find((p: any) => p.name === 'date')).toMatchObject({ count: 6, min: '2015-01-01', max: '2015-01-09' });
      expect(v2.body.rules).toEqual(RULES);

      const q = await call(t.app, 'GET', `${base}/weather/versions/2/quarantine`, admin);
      expect(q.body.items.map((x: any) => [x.line, x.rule])).toEqual([
        [2, 'precipitation.range'],
        [4, 'weather.allowed'],
        [5, expect.stringMatching(/^temp_max\./)],
        [6, 'date.not_null'],
      ]);
      for (const item of q.body.items) expect(item.reason).toEqual(expect.any(String));
      expect(q.body.items[3].reason.length).toBeGreaterThan(0);
      expect(q.body.items[1].values).toMatchObject({ weather: 'hail' });
    });

    it('answers overlapping pushes as if each came alone, and fails only a batch with a column outside the schema', async () => {
      const batches: Array<Array<Record<string, unknown>>> = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 40 }, (_, i) => ({
          date: `2015-02-${String((i % 28) + 1).padStart(2, '0')}`,
          precipitation: (b * 40 + i) % 13 === 0 ? -1 : (i % 7) / 2,
          temp_max: i % 17 === 0 ? 'warm' : 5 + (i % 9),
          weather: i % 11 === 0 ? 'hail' : 'sun',
        })),
      );
      batches[3] = [{ date: '2015-03-01', precipitation: 0, temp_max: 1, weather: 'sun', wind: 3 }];
      for (const name of ['together', 'alone']) await ingestCsv(name, WEATHER_CSV, RULES);
      // Good batches at once (cleansed together), then the bad one beside a good one.
      const first = await Promise.all([0, 1, 2, 4].map((b) => push('together', batches[b], `o-${b}`)));
      const second = await Promise.all([3, 5].map((b) => push('together', batches[b], `o-${b}`)));
      const together = [first[0], first[1], first[2], second[0], first[3], second[1]];
      const alone = [];
      for (const [b, rows] of batches.entries()) alone.push(await push('alone', rows, `o-${b}`));
      expect(together[3].status).toBe(400);
      expect(JSON.stringify(together[3].body)).toMatch(/wind/);
      expect(alone[3].status).toBe(400);
      for (const b of [0, 1, 2, 4, 5]) {
        expect(together[b].status, JSON.stringify(together[b].body)).toBe(200);
        const { batch_id: _a, staged_rows: _s, ...mine } = together[b].body;
        const { batch_id: _b, staged_rows: _t, ...theirs } = alone[b].body;
        expect(mine).toEqual(theirs);
        expect(mine.accepted + mine.quarantined).toBe(batches[b].length);
      }
      const [vt, va] = [await commit('together'), await commit('alone')];
      expect(vt.body.report).toEqual(va.body.report);
      const shas = (v: DatasetVersion) => v.files.map((f) => f.sha256).sort();
      expect(shas(vt.body)).toEqual(shas(va.body));
    });

    it('commits by itself when a push brings the staged rows to commit_at_rows', async () => {
      const staging = `${base}/auto/staging`;
      expect((await call(t.app, 'PUT', staging, admin, { commit_at_rows: 0 })).status).toBe(400);
      expect((await call(t.app, 'PUT', staging, admin, { commit_at_rows: 5 })).body).toEqual({ commit_at_rows: 5, staged_rows: 0, staged_batches: 0 });
      const a = await push('auto', [{ n: 1 }, { n: 2 }, { n: 3 }], 'a-1');
      expect(a.body).toMatchObject({ staged_rows: 3, committed_version_id: null });
      expect((await call(t.app, 'GET', staging, admin)).body).toEqual({ commit_at_rows: 5, staged_rows: 3, staged_batches: 1 });
      const b = await push('auto', [{ n: 4 }, { n: 5 }, { n: 6 }], 'a-2');
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      expect(b.body).toMatchObject({ staged_rows: 6, committed_version_id: expect.any(String) });
      const v1 = (await call(t.app, 'GET', `${base}/auto/versions/latest`, admin)).body;
      expect(v1).toMatchObject({ id: b.body.committed_version_id, version: 1, report: { rows_read: 6, accepted: 6 } });
      expect(rowsOf(v1)).toBe(6);
      expect((await call(t.app, 'GET', staging, admin)).body).toEqual({ commit_at_rows: 5, staged_rows: 0, staged_batches: 0 });
      // A retry of the first batch now says which version it went into.
      expect((await push('auto', [{ n: 1 }, { n: 2 }, { n: 3 }], 'a-1')).body).toMatchObject({ replayed: true, committed_version_id: v1.id });
      expect((await call(t.app, 'PUT', staging, admin, { commit_at_rows: null })).body.commit_at_rows).toBeNull();
    });

    it('diffs two versions by key: rows added, removed and changed, and each column’s shift', async () => {
      await ingestCsv('diffs', ['id,x,cat', '1,1.0,a', '2,2.0,a', '3,3.0,b', '4,4.0,b', '5,5.0,c', ''].join('\n'));
      await ingestCsv('diffs', ['id,x,cat', '2,2.0,a', '3,30.0,b', '4,4.0,b', '5,5.0,a', '6,6.0,d', ''].join('\n'));
      const d = await call(t.app, 'GET', `${base}/diffs/diff?from=1&to=2&key=id`, admin);
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      expect(d.body).toMatchObject({ from_version: 1, to_version: 2, key: ['id'], key_source: 'given', schema_changes: [] });
      expect(d.body.rows).toEqual({ from: 5, to: 5, added: 1, removed: 1, changed: 2, unchanged: 2 });
      const x = d.body.columns.find((c: any) => c.column === 'x');
      expect(x).toMatchObject({ kind: 'numeric', mean_from: 3, mean_change: expect.any(Number) });
      expect(x.mean_to).toBeCloseTo(9.4, 9);
      expect(x.psi).toBeGreaterThan(0);
      const cat = d.body.columns.find((c: any) => c.column === 'cat');
      expect(cat.kind).toBe('categorical');
      expect(cat.shares.map((s: any) => [s.value, s.from, s.to])).toEqual([
        ['a', 0.4, 0.4],
        ['b', 0.4, 0.4],
        ['c', 0.2, 0],
        ['d', 0, 0.2],
      ]);
      // Without ?key the candidate key (id: unique in both) is used; the default pair is latest vs the one before.
      const byCandidate = await call(t.app, 'GET', `${base}/diffs/diff`, admin);
      expect(byCandidate.body).toMatchObject({ from_version: 1, to_version: 2, key: ['id'], key_source: 'candidate' });
      expect(byCandidate.body.rows).toEqual(d.body.rows);
      // By whole rows (key = every column): 3 rows of v1 are not in v2 and 3 of v2 not in v1.
      const whole = await call(t.app, 'GET', `${base}/diffs/diff?from=1&to=2&key=id,x,cat`, admin);
      expect(whole.body.rows).toMatchObject({ added: 3, removed: 3, changed: 0, unchanged: 2 });
      expect((await call(t.app, 'GET', `${base}/diffs/diff?from=1&to=2&key=nope`, admin)).status).toBe(400);
      expect((await call(t.app, 'GET', `${base}/diffs/diff?from=1&to=9`, admin)).status).toBe(404);
      // Samples of each kind, values as text, in key order.
      expect(d.body.samples).toEqual({
        added: [{ id: '6', x: '6.0', cat: 'd' }],
        removed: [{ id: '1', x: '1.0', cat: 'a' }],
        changed: [
          { key: { id: '3' }, changes: [{ column: 'x', from: '3.0', to: '30.0' }] },
          { key: { id: '5' }, changes: [{ column: 'cat', from: 'c', to: 'a' }] },
        ],
      });
      expect(whole.body.samples.added.map((r: any) => r.id)).toEqual(['3', '5', '6']);
      // A key that repeats in a version would pair rows many-to-many: refused, naming a value.
      const dup = await call(t.app, 'GET', `${base}/diffs/diff?from=1&to=2&key=cat`, admin);
      expect(dup.status).toBe(400);
      expect(dup.body.error.message).toMatch(/the key \(cat\) is not unique in version 1: cat=(a|b) appears 2 times/);
      expect(dup.body.error.details.field).toBe('query.key');
    });

    it('reports schema changes between versions (added, removed and retyped columns)', async () => {
      // A version with another schema, built as a schema edit would: ingest without the old schema.
      const engine = new DuckDbDataEngine();
      const work = mkdtempSync(join(dir, 'v3-'));
      const file = join(dir, 'v3.csv');
      writeFileSync(file, ['id,x,y', '2,two,1', '3,three,2', '7,seven,3', ''].join('\n'));
      try {
        const out = await engine.ingest({ path: file, format: 'csv', workDir: work });
        const stored = await t.platform.artifacts.put(createReadStream(out.accepted.path));
        const dataset = await t.platform.store.datasets.getByName((await t.platform.store.projects.getByName('pushing'))!.id, 'diffs');
        const parent = await t.platform.store.datasetVersions.get(dataset!.id, 2);
        const v3: DatasetVersion = {
          ...parent!,
          id: newId(),
          version: 3,
          parent_version_id: parent!.id,
          files: [{ sha256: stored.sha256, rows: 3, bytes: stored.size }],
          schema: out.schema,
          profile: out.profile,
          report: out.report,
          created_at: Date.now(),
        };
        await t.platform.store.transaction(async (tx) => {
          expect(await tx.datasets.advance(dataset!.id, 2, 3, v3.created_at)).toBe(true);
          await tx.datasetVersions.create(v3);
        });
      } finally {
        await engine.close();
      }
      const d = await call(t.app, 'GET', `${base}/diffs/diff?from=2&to=3&key=id`, admin);
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      expect(d.body.schema_changes).toEqual([
        { column: 'x', change: 'retyped', from_type: 'double', to_type: 'string' },
        { column: 'cat', change: 'removed', from_type: 'string', to_type: null },
        { column: 'y', change: 'added', from_type: null, to_type: 'integer' },
      ]);
      expect(d.body.rows).toMatchObject({ from: 5, to: 3, added: 1, removed: 3 });
      expect(d.body.columns.map((c: any) => c.column)).toEqual([]); // no shared column keeps its type (id is the key)
    });
  });
}
