// Datasets over HTTP on both databases: ingest seattle-weather 2012–2013 with rules, quarantine
// of injected bad rows (line, rule, reason; read = accepted + quarantined), every file-level
// error answering 4xx and writing nothing, deterministic Parquet, the profile against plain JS,
// JSON Lines and Parquet sources, and reading columns back through the data engine.
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../src/domain/errors.js';
import { DuckDbDataEngine } from '../../src/storage/duckdb/duckdb-data-engine.js';
import { databaseTargets, tempDir } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');
const HEADER = 'date,precipitation,temp_max,temp_min,wind,weather';

const RULES = {
  columns: {
    date: { type: 'date', not_null: true },
    precipitation: { type: 'double', not_null: true, range: { min: 0, max: 500 } },
    temp_max: { type: 'double' },
    temp_min: { type: 'double' },
    wind: { type: 'double', range: { min: 0 } },
    weather: { type: 'string', not_null: true, allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' },
  },
};

/** The rows of seattle-weather for 2012 and 2013 (731 days). */
function historyLines(): string[] {
  const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  return lines.slice(1).filter((l) => l.startsWith('2012-') || l.startsWith('2013-'));
}

/** Linear-interpolation quantile (type 7), what quantile_cont computes. */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

function expectWire(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`datasets over HTTP (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const dir = tempDir('flywheel-data-');
    const history = join(dir, 'seattle-2012-2013.csv');
    const base = '/api/v1/projects/weather/datasets';

    async function ingest(dataset: string, body: string | Buffer | NodeJS.ReadableStream, opts: { contentType?: string; query?: string; headers?: Headers } = {}) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base}/${dataset}/versions${opts.query ? `?${opts.query}` : ''}`,
        headers: { ...admin, 'content-type': opts.contentType ?? 'text/csv', ...opts.headers },
        payload: body as string,
      });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }
    const rulesQuery = (rules: unknown) => `rules=${encodeURIComponent(JSON.stringify(rules))}`;

    beforeAll(async () => {
      writeFileSync(history, [HEADER, ...historyLines()].join('\n') + '\n');
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
      for (const name of ['history', 'dirty', 'errors', 'lines', 'columnar']) {
        expect((await call(t.app, 'POST', base, admin, { name, description: `${name} data` })).status).toBe(201);
      }
    }, 60_000);
    afterAll(() => t?.close());

    it('ingests 2012–2013 with rules: 731 rows accepted, typed schema, a version with its report', async () => {
      const res = await ingest('history', createReadStream(history), { query: rulesQuery(RULES) + '&name=seattle-2012-2013.csv' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const v = res.body;
      expect(v).toMatchObject({ version: 1, parent_version_id: null, report: { rows_read: 731, accepted: 731, quarantined: 0, by_rule: {} }, quarantine_file: null });
      expect(v.files).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rows: 731, bytes: expect.any(Number) }]);
      expect(v.schema.map((c: any) => [c.name, c.type, c.semantic, c.nullable])).toEqual([
        ['date', 'date', 'timestamp', false],
        ['precipitation', 'double', 'numeric', false],
        ['temp_max', 'double', 'numeric', true],
        ['temp_min', 'double', 'numeric', true],
        ['wind', 'double', 'numeric', true],
        ['weather', 'string', 'label', false],
      ]);
      expect(v.source).toMatchObject({ kind: 'file', name: 'seattle-2012-2013.csv', format: 'csv', bytes: readFileSync(history).length });
      expect(v.rules).toEqual(RULES);
      expect(await t.platform.artifacts.has(v.files[0].sha256)).toBe(true);

      const list = await call(t.app, 'GET', base, admin);
      expect(list.body.items.find((d: any) => d.name === 'history')).toMatchObject({ latest_version: 1, latest: { version: 1, report: { accepted: 731 } } });
      const audit = await call(t.app, 'GET', '/api/v1/projects/weather/audit', admin);
      expect(audit.body.items[0]).toMatchObject({ action: 'dataset.ingest', outcome: 'success', details: { version: 1, rows_read: 731, accepted: 731, quarantined: 0 } });
    });

    it('profiles each column as plain JS computes it', async () => {
      const v = (await call(t.app, 'GET', `${base}/history/versions/1`, admin)).body;
      const rows = historyLines().map((l) => l.split(','));
      const precipitation = rows.map((r) => Number(r[1])).sort((a, b) => a - b);
      const p = v.profile.find((c: any) => c.name === 'precipitation');
      const n = precipitation.length;
      const mean = precipitation.reduce((s, x) => s + x, 0) / n;
      const std = Math.sqrt(precipitation.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
      expect(p).toMatchObject({ count: 731, nulls: 0, distinct: new Set(precipitation).size, min: precipitation[0], max: precipitation[n - 1] });
      expect(p.mean).toBeCloseTo(mean, 9);
      expect(p.std).toBeCloseTo(std, 9);
      for (const { q, value } of p.quantiles) expect(value).toBeCloseTo(quantile(precipitation, q), 9);
      const width = (p.max - p.min) / 20;
      const counts = new Array(20).fill(0);
      for (const x of precipitation) counts[Math.min(19, Math.floor((x - p.min) / width))]++;
      expect(p.histogram.counts).toEqual(counts);
      expect(p.histogram.edges).toHaveLength(21);
      expect(p.histogram.edges[20]).toBe(p.max);

      const weather = v.profile.find((c: any) => c.name === 'weather');
      const freq = new Map<string, number>();
      for (const r of rows) freq.set(r[5], (freq.get(r[5]) ?? 0) + 1);
      expect(weather.top).toEqual([...freq].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)));
      const date = v.profile.find((c: any) => c.name === 'date');
      expect(date).toMatchObject({ min: '2012-01-01', max: '2013-12-31', unique: true, distinct: 731 });
    });

    it('re-ingests the same file as version 2 (parent v1) with byte-identical Parquet', async () => {
      const v1 = (await call(t.app, 'GET', `${base}/history/versions/1`, admin)).body;
      const res = await ingest('history', readFileSync(history), { query: rulesQuery(RULES) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ version: 2, parent_version_id: v1.id, report: v1.report });
      expect(res.body.files[0].sha256).toBe(v1.files[0].sha256);
      expect(res.body.source.sha256).toBe(v1.source.sha256);
      const versions = await call(t.app, 'GET', `${base}/history/versions`, admin);
      expect(versions.body.items.map((x: any) => x.version)).toEqual([2, 1]);
      expect(versions.body.items[0]).not.toHaveProperty('profile');
      expect((await call(t.app, 'GET', `${base}/history/versions/latest`, admin)).body.version).toBe(2);
    });

    it('quarantines bad rows with their line, rule and reason; read = accepted + quarantined', async () => {
      const good = historyLines().slice(0, 10);
      const lines = [
        HEADER,
        good[0],
        '2012-01-02,10.9,10.6,2.8', // line 3: ragged
        good[2],
        '2012-01-04,heavy,12.2,5.6,4.7,rain', // line 5: not a number
        '2012-01-05,-1.3,8.9,2.8,6.1,rain', // line 6: negative precipitation
        good[5],
        '2012-01-07,0.0,7.2,2.8,2.3,hail', // line 8: unknown weather
        ',0.0,7.2,2.8,2.3,sun', // line 9: empty date
        good[8],
        '2012-01-10,0.0,7.2,2.8,2.3,sun,extra', // line 11: too many fields
      ];
      const res = await ingest('dirty', lines.join('\n') + '\n', { query: rulesQuery(RULES) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const r = res.body.report;
      expect(r).toEqual({
        rows_read: 10,
        accepted: 4,
        quarantined: 6,
        by_rule: {
          'parse.missing_columns': 1,
          'parse.too_many_columns': 1,
          'precipitation.type': 1,
          'precipitation.range': 1,
          'weather.allowed': 1,
          'date.not_null': 1,
        },
      });
      expect(r.rows_read).toBe(r.accepted + r.quarantined);
      const q = await call(t.app, 'GET', `${base}/dirty/versions/1/quarantine`, admin);
      expect(q.status).toBe(200);
      expect(q.body.items.map((x: any) => [x.line, x.rule, x.reason])).toEqual([
        [3, 'parse.missing_columns', 'the record has 4 fields; the header has 6'],
        [5, 'precipitation.type', "precipitation: 'heavy' is not a number"],
        [6, 'precipitation.range', 'precipitation: -1.3 is below the minimum 0'],
        [8, 'weather.allowed', "weather: 'hail' is not one of drizzle, fog, rain, snow, sun"],
        [9, 'date.not_null', 'date is empty'],
        [11, 'parse.too_many_columns', 'the record has 7 fields; the header has 6'],
      ]);
      expect(q.body.items[0]).toMatchObject({ raw: '2012-01-02,10.9,10.6,2.8', values: {} });
      expect(q.body.items[1]).toMatchObject({ raw: null, values: { date: '2012-01-04', precipitation: 'heavy', weather: 'rain' } });
      const first = await call(t.app, 'GET', `${base}/dirty/versions/1/quarantine?limit=4`, admin);
      expect(first.body.items.map((x: any) => x.line)).toEqual([3, 5, 6, 8]);
      const second = await call(t.app, 'GET', `${base}/dirty/versions/1/quarantine?limit=4&cursor=${first.body.next_cursor}`, admin);
      expect(second.body).toMatchObject({ items: [{ line: 9 }, { line: 11 }], next_cursor: null });
      const v = (await call(t.app, 'GET', `${base}/dirty/versions/1`, admin)).body;
      expect(v.files[0].rows).toBe(4);
      expect(v.quarantine_file.rows).toBe(6);
    });

    it('answers every file-level problem with a 4xx naming it and writes no version', async () => {
      const ok = (await ingest('errors', [HEADER, historyLines()[0]].join('\n'))).body;
      expect(ok.version).toBe(1);
      const parquetBytes = readFileSync(await t.platform.artifacts.localPath(ok.files[0].sha256));
      const cases: Array<{ body: string | Buffer; contentType?: string; query?: string; status?: number; code?: string; message: RegExp; field?: string }> = [
        { body: '', message: /the file is empty/ },
        { body: `${HEADER}\n`, message: /header but no records/ },
        { body: `${HEADER}\n2012-01-01,"0.0,1,2,3,sun\n`, message: /quoted value opened on line 2 is never closed/ },
        { body: 'date,rain\n2012-01-01,1\n', message: /do not match the dataset's schema: missing 'precipitation'.*unexpected 'rain'/ },
        { body: parquetBytes, message: /the file is Parquet, not CSV/ },
        { body: `${HEADER}\n`, contentType: 'application/vnd.apache.parquet', message: /not Parquet/ },
        { body: Buffer.from([0x64, 0x61, 0xff, 0xfe, 0x0a, 0x31, 0x0a]), message: /not UTF-8/ },
        { body: 'not json\n{"a":1}\n', contentType: 'application/x-ndjson', message: /not JSON Lines: line 1/ },
        { body: `${HEADER}\n`, contentType: 'application/octet-stream', message: /say which format/, field: 'query.format' },
        { body: `${HEADER}\n`, query: 'format=jsonl', message: /contradicts the content type/ },
        { body: '{}', contentType: 'application/json', status: 415, code: 'unsupported_media_type', message: /not accepted here/ },
        { body: `${HEADER}\n${historyLines()[0]}\n`, query: rulesQuery({ columns: { nope: { type: 'double' } } }), message: /column 'nope' is not in the file/, field: 'rules.columns.nope' },
        { body: `${HEADER}\n${historyLines()[0]}\n`, query: rulesQuery({ columns: { wind: { maximum: 3 } } }), message: /unknown key 'maximum'/, field: 'rules.columns.wind.maximum' },
        { body: `${HEADER}\n${historyLines()[0]}\n`, query: rulesQuery({ columns: { precipitation: { range: { min: 600, max: 500 } } } }), message: /min \(600\) is greater than max \(500\)/, field: 'rules.columns.precipitation.range.min' },
        { body: `${HEADER}\n${historyLines()[0]}\n`, query: rulesQuery({ columns: { weather: { type: 'double' } } }), message: /schema has weather as string/, field: 'rules.columns.weather.type' },
        { body: `${HEADER}\n${historyLines()[0]}\n`, query: 'rules=%7Bnot-json', message: /rules: is not valid JSON/, field: 'rules' },
      ];
      for (const c of cases) {
        const res = await ingest('errors', c.body, { contentType: c.contentType, query: c.query });
        expectWire(res, c.status ?? 400, c.code ?? 'invalid_input');
        expect(res.body.error.message, JSON.stringify(c.query ?? c.message.source)).toMatch(c.message);
        if (c.field) expect(res.body.error.details.field).toBe(c.field);
      }
      const huge = await ingest('errors', Readable.from([Buffer.from(`${HEADER}\n`)]), { headers: { 'content-length': String(3 * 1024 ** 3) } });
      expectWire(huge, 413, 'payload_too_large');
      // A body longer than the limit is cut off while it streams to disk (no content-length needed).
      const project = await t.platform.store.projects.getByName('weather');
      const user = await t.platform.store.users.getByUsername('admin');
      const ctx = { principal: { user: user!, via: 'local' as const } };
      await expect(
        t.platform.services.datasets.ingestUpload(ctx, { project: project!, role: 'owner' }, 'errors', Readable.from([Buffer.from(HEADER), Buffer.from('\n2012-01-01,0,1,1,1,sun\n')]), { format: 'csv', maxBytes: 20 }),
      ).rejects.toBeInstanceOf(PayloadTooLargeError);

      const versions = await call(t.app, 'GET', `${base}/errors/versions`, admin);
      expect(versions.body.items.map((x: any) => x.version)).toEqual([1]);
      expect((await call(t.app, 'GET', `${base}/errors`, admin)).body.latest_version).toBe(1);
      const audit = await call(t.app, 'GET', '/api/v1/projects/weather/audit?limit=5', admin);
      expect(audit.body.items[0]).toMatchObject({ action: 'dataset.ingest', outcome: 'failed' });
      expectWire(await call(t.app, 'GET', `${base}/nope/versions`, admin), 404, 'not_found');
      expectWire(await call(t.app, 'GET', `${base}/errors/versions/9`, admin), 404, 'not_found');
      expectWire(await call(t.app, 'GET', `${base}/errors/versions/zero`, admin), 400, 'invalid_input');
      expectWire(await ingest('nope', `${HEADER}\n`), 404, 'not_found');
      expectWire(await call(t.app, 'POST', base, admin, { name: 'history' }), 409, 'conflict');
      // Uploads and ingest work folders are gone, whatever the outcome.
      expect(readdirSync(join(t.home, 'tmp'))).toEqual([]);
    });

    it('ingests JSON Lines and Parquet, and reads columns back by date range', async () => {
      const jsonl = ['{"date":"2012-01-01","precipitation":0,"weather":"sun"}', '', '{"date":"2012-01-02","precipitation":"x","weather":"rain"}', '[1]', '{"date":"2012-01-03","precipitation":2.5}'];
      const j = await ingest('lines', jsonl.join('\n'), { contentType: 'application/x-ndjson', query: rulesQuery({ columns: { precipitation: { type: 'double' } } }) });
      expect(j.status, JSON.stringify(j.body)).toBe(201);
      expect(j.body.report).toEqual({ rows_read: 4, accepted: 2, quarantined: 2, by_rule: { 'precipitation.type': 1, 'parse.not_an_object': 1 } });
      const jq = await call(t.app, 'GET', `${base}/lines/versions/1/quarantine`, admin);
      expect(jq.body.items.map((x: any) => [x.line, x.rule])).toEqual([
        [3, 'precipitation.type'],
        [4, 'parse.not_an_object'],
      ]);

      const v1 = (await call(t.app, 'GET', `${base}/history/versions/1`, admin)).body;
      const bytes = readFileSync(await t.platform.artifacts.localPath(v1.files[0].sha256));
      const p = await ingest('columnar', bytes, { contentType: 'application/vnd.apache.parquet' });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      expect(p.body.report).toMatchObject({ rows_read: 731, accepted: 731 });
      expect(p.body.schema.map((c: any) => c.type)).toEqual(['date', 'double', 'double', 'double', 'double', 'string']);

      const engine = new DuckDbDataEngine();
      try {
        const files = await t.platform.services.datasets.localFiles(v1);
        const b = await engine.readColumns(files, ['date', 'temp_max', 'weather'], { where: { column: 'date', from: '2013-01-01', to: '2014-01-01' }, orderBy: 'date' });
        expect(b.rowCount).toBe(365);
        expect(b.types).toEqual({ date: 'date', temp_max: 'double', weather: 'string' });
        expect(b.columns.date[0]).toBe(Date.UTC(2013, 0, 1));
        expect(b.columns.temp_max).toBeInstanceOf(Float64Array);
        const first2013 = historyLines().find((l) => l.startsWith('2013-01-01'))!.split(',');
        expect(b.columns.temp_max[0]).toBe(Number(first2013[2]));
        expect(b.columns.weather[0]).toBe(first2013[5]);
        const same = await t.platform.services.datasets.readColumns(v1, ['temp_max'], { where: { column: 'date', from: Date.UTC(2013, 0, 1) } });
        expect(Array.from(same.columns.temp_max as Float64Array)).toEqual(Array.from(b.columns.temp_max as Float64Array));
        const rows = await engine.query('SELECT weather, count(*) AS n FROM data WHERE precipitation > $1 GROUP BY 1 ORDER BY 1', [10], files);
        const expected = historyLines().filter((l) => Number(l.split(',')[1]) > 10).length;
        expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(expected);
      } finally {
        await engine.close();
      }
    });
  });
}
