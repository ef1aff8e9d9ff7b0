// The quarantine browser and re-admit over HTTP on both databases: filter a version's quarantine
// by rule (exact or prefix) with counts per rule; re-admit fixed rows into a new version (parent =
// the latest, rows = its rows + the fixed ones, source 'readmit' with the origin and lines) while
// rows that still fail are answered and not written; a line goes back once (409); bad requests
// answer 400 naming the field and write nothing; and the lineage of versions (parent, re-admits,
// the labelling jobs, runs and models that used a version, hidden lists by role).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';
import { adminContext } from '../support/serving.js';
import { buildLinearModel, WEATHER_SPEC } from '../fixtures/models/linear-model.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

const RULES = {
  columns: {
    date: { type: 'date', not_null: true },
    precipitation: { type: 'double', range: { min: 0, max: 500 } },
    temp_max: { type: 'double' },
    weather: { type: 'string', allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' },
  },
};

/** 2012 (366 rows, lines 2–367), then five bad rows on lines 368–372. */
function csv(): string {
  const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  return [
    lines[0],
    ...lines.slice(1).filter((l) => l.startsWith('2012-')),
    '2013-01-01,0,warm,5,2,sun', // 368 temp_max.type
    '2013-01-02,0,very hot,5,2,sun', // 369 temp_max.type
    '2013-01-03,-3,8,5,2,rain', // 370 precipitation.range
    '2013-01-04,1,9,5,2,hail', // 371 weather.allowed
    '2013-01-05,1,9', // 372 parse.missing_columns
  ].join('\n');
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`quarantine browser and re-admit (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/curation/datasets/weather';
    const get = (url: string, h: Headers = admin) => call(t.app, 'GET', url, h);
    const readmit = (rows: unknown, version = '1') => call(t.app, 'POST', `${base}/versions/${version}/quarantine/readmit`, admin, { rows });
    const latest = async () => (await get(base)).body.latest_version as number;

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'curation' })).status).toBe(201);
      expect((await call(t.app, 'POST', '/api/v1/projects/curation/datasets', admin, { name: 'weather' })).status).toBe(201);
      const up = await t.app.inject({
        method: 'POST',
        url: `${base}/versions?rules=${encodeURIComponent(JSON.stringify(RULES))}&name=seattle-2012.csv`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: csv(),
      });
      expect(up.statusCode, up.body).toBe(201);
      expect(JSON.parse(up.body).report).toMatchObject({ rows_read: 371, accepted: 366, quarantined: 5 });
    }, 60_000);
    afterAll(() => t?.close());

    it('filters the quarantine by an exact rule or a prefix, and counts rows per rule', async () => {
      const lines = async (rule?: string) => (await get(`${base}/versions/1/quarantine${rule ? `?rule=${encodeURIComponent(rule)}` : ''}`)).body.items.map((q: { line: number }) => q.line);
      expect(await lines()).toEqual([368, 369, 370, 371, 372]);
      expect(await lines('temp_max.type')).toEqual([368, 369]);
      expect(await lines('temp_max.')).toEqual([368, 369]);
      expect(await lines('parse.')).toEqual([372]);
      expect(await lines('temp_max')).toEqual([]); // no dot: an exact rule id, and there is none
      const paged = await get(`${base}/versions/1/quarantine?rule=temp_max.&limit=1`);
      expect(paged.body.items.map((q: { line: number }) => q.line)).toEqual([368]);
      const next = await get(`${base}/versions/1/quarantine?rule=temp_max.&limit=1&cursor=${paged.body.next_cursor}`);
      expect(next.body).toMatchObject({ items: [{ line: 369, rule: 'temp_max.type', readmitted: null }], next_cursor: null });

      const summary = await get(`${base}/versions/1/quarantine/rules`);
      expect(summary.status).toBe(200);
      expect(summary.body).toEqual({
        total: 5,
        readmitted: 0,
        rules: [
          { rule: 'temp_max.type', rows: 2, readmitted: 0 },
          { rule: 'parse.missing_columns', rows: 1, readmitted: 0 },
          { rule: 'precipitation.range', rows: 1, readmitted: 0 },
          { rule: 'weather.allowed', rows: 1, readmitted: 0 },
        ],
      });
    });

    it('re-admits fixed rows into a new version; rows still failing are answered and not written', async () => {
      const res = await readmit([
        { line: 368, values: { temp_max: '12.5' } },
        { line: 369, values: { temp_max: 'very very hot' } },
        { line: 370, values: { precipitation: '3' } },
        { line: 371, values: { weather: 'sun' } },
        // A parse error keeps no values: the person types the whole row.
        { line: 372, values: { date: '2013-01-05', precipitation: '1', temp_max: '9', temp_min: '4', wind: '2', weather: 'rain' } },
      ]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.accepted).toEqual([{ line: 368 }, { line: 370 }, { line: 371 }, { line: 372 }]);
      expect(res.body.rejected).toEqual([{ line: 369, rule: 'temp_max.type', reason: "temp_max: 'very very hot' is not a number" }]);
      const v = res.body.version;
      const v1 = (await get(`${base}/versions/1`)).body;
      expect(v).toMatchObject({
        version: 2,
        parent_version_id: v1.id,
        quarantine_file: null,
        report: { rows_read: 4, accepted: 4, quarantined: 0, by_rule: {} },
        source: { kind: 'readmit', format: 'jsonl', origin: { version_id: v1.id, version: 1, rows: 4 } },
        rules: v1.rules,
      });
      // Its rows: the parent's files and one more with the re-admitted rows.
      expect(v.files.slice(0, 1)).toEqual(v1.files);
      expect(v.files.reduce((n: number, f: { rows: number }) => n + f.rows, 0)).toBe(366 + 4);
      expect(v.profile.find((p: { name: string }) => p.name === 'temp_max').count).toBe(370);
      expect(v.schema).toEqual(v1.schema);
      const diff = await get(`${base}/diff?from=1&to=2&key=date`);
      expect(diff.body.rows).toMatchObject({ from: 366, to: 370, added: 4, removed: 0, changed: 0 });
      expect(await latest()).toBe(2);

      // The origin's quarantine keeps every row; the re-admitted ones are marked.
      const q = (await get(`${base}/versions/1/quarantine`)).body.items;
      expect(q.map((r: { line: number; readmitted: unknown }) => [r.line, r.readmitted])).toEqual([
        [368, { version: 2, version_id: v.id }],
        [369, null],
        [370, { version: 2, version_id: v.id }],
        [371, { version: 2, version_id: v.id }],
        [372, { version: 2, version_id: v.id }],
      ]);
      expect((await get(`${base}/versions/1/quarantine/rules`)).body).toMatchObject({ total: 5, readmitted: 4, rules: expect.arrayContaining([{ rule: 'temp_max.type', rows: 2, readmitted: 1 }]) });

      const audit = await get('/api/v1/projects/curation/audit');
      const event = audit.body.items.find((e: { action: string }) => e.action === 'dataset.readmit');
      expect(event).toMatchObject({ outcome: 'success', details: { origin_version: 1, rows: 5, accepted: 4, rejected: 1, version: 2 } });
    });

    it('answers 409 for a line re-admitted already, and writes nothing', async () => {
      const again = await readmit([{ line: 368, values: { temp_max: '13' } }]);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/line 368 was re-admitted already \(into v2\)/);
      const mixed = await readmit([
        { line: 369, values: { temp_max: '30' } },
        { line: 370, values: {} },
      ]);
      expect(mixed.status).toBe(409);
      expect(mixed.body.error.details.lines).toEqual([370]);
      expect(await latest()).toBe(2);
    });

    it('answers 400 naming the field for bad requests, and writes nothing', async () => {
      const cases: Array<[unknown, string]> = [
        [[{ line: 369, values: { temp_max: '30' } }, { line: 9999, values: {} }], 'body.rows.1.line'],
        [[{ line: 369, values: { tmep_max: '30' } }], 'body.rows.0.values.tmep_max'],
        [[{ line: 369, values: {} }, { line: 369, values: {} }], 'body.rows.1.line'],
        [[], 'body.rows'],
        [[{ line: 0, values: {} }], 'body.rows.0.line'],
        [[{ line: 369, values: { temp_max: 30 } }], 'body.rows.0.values.temp_max'],
      ];
      for (const [rows, field] of cases) {
        const r = await readmit(rows);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.details.field).toBe(field);
      }
      const unknown = await readmit([{ line: 9999, values: {} }]);
      expect(unknown.body.error.message).toMatch(/line 9999 is not in the quarantine of weather v1/);
      const noQuarantine = await readmit([{ line: 2, values: {} }], '2');
      expect(noQuarantine.status).toBe(400);
      expect((await readmit([{ line: 369, values: {} }], '9')).status).toBe(404);
      expect(await latest()).toBe(2);
    });

    it('writes no version when every row still fails', async () => {
      const r = await readmit([{ line: 369, values: { temp_max: 'still hot' } }]);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ version: null, origin_version: 1, accepted: [], rejected: [{ line: 369, rule: 'temp_max.type', reason: "temp_max: 'still hot' is not a number" }] });
      expect(await latest()).toBe(2);
      expect((await get(`${base}/versions/1/quarantine?rule=temp_max.type`)).body.items[1].readmitted).toBeNull();
    });

    it('shows the lineage: parent, re-admitted lines, and the jobs, runs and models that used a version', async () => {
      const v1 = (await get(`${base}/versions/1`)).body;
      const v2 = (await get(`${base}/versions/2`)).body;
      const job = await call(t.app, 'POST', '/api/v1/projects/curation/labelling-jobs', admin, {
        name: 'label-weather',
        labels: ['rain', 'sun'],
        source: { kind: 'dataset', dataset_version_id: v2.id },
      });
      expect(job.status, JSON.stringify(job.body)).toBe(201);
      const run = await call(t.app, 'POST', '/api/v1/projects/curation/runs', admin, {
        dataset: 'weather',
        version: 2,
        target: 'weather',
        features: ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' })),
        time_column: 'date',
        holdout: { from: '2012-10-01', to: '2013-01-01' },
      });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      expect(run.body.dataset_version_id).toBe(v2.id);
      // A model version registered from that run (as a finished run would register it).
      const ctx = await adminContext(t.platform);
      const access = { project: (await t.platform.store.projects.getByName('curation'))!, role: 'owner' as const };
      await t.platform.services.registry.registerVersion(ctx, access, {
        model: 'weather-lr',
        onnx: buildLinearModel(WEATHER_SPEC),
        run_id: run.body.id,
        metrics: { accuracy: 0.8 },
        gate: { passed: true, summary: 'all checks passed' },
      });

      const l2 = await get(`${base}/versions/2/lineage`);
      expect(l2.status, JSON.stringify(l2.body)).toBe(200);
      expect(l2.body).toMatchObject({
        dataset: 'weather',
        version: { id: v2.id, version: 2, source_kind: 'readmit' },
        came_from: { parent: { id: v1.id, version: 1, source_kind: 'file' }, source: { kind: 'readmit' }, batches: [], readmit: { version_id: v1.id, version: 1, lines: [368, 370, 371, 372] } },
        children: [],
        readmitted_into: [],
        used_by: {
          labelling_jobs: [{ id: job.body.job.id, name: 'label-weather' }],
          runs: [{ id: run.body.id, status: 'queued' }],
          models: [{ model: 'weather-lr', version: 1, run_id: run.body.id }],
          monitors: [],
        },
        hidden: [],
      });
      const l1 = await get(`${base}/versions/1/lineage`);
      expect(l1.body).toMatchObject({
        came_from: { parent: null, source: { kind: 'file', name: 'seattle-2012.csv' }, readmit: null },
        children: [{ id: v2.id, version: 2, source_kind: 'readmit' }],
        readmitted_into: [{ version_id: v2.id, version: 2, rows: 4 }],
        used_by: { labelling_jobs: [], runs: [], models: [] },
      });

      // A reviewer reads datasets and labelling jobs, not runs, models or monitors.
      await addMember(t.app, admin, 'curation', 'rita', 'rita-password-123', 'reviewer');
      const rita = await signIn(t.app, 'rita', 'rita-password-123');
      const seen = await get(`${base}/versions/2/lineage`, rita);
      expect(seen.body.hidden).toEqual(['runs', 'models', 'monitors']);
      expect(seen.body.used_by).toMatchObject({ labelling_jobs: [{ name: 'label-weather' }], runs: [], models: [], monitors: [] });
    });
  });
}
