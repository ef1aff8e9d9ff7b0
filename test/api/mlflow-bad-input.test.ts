// Bad input on MLflow's tracking API, answered as MLflow answers it, with raw requests shaped as
// mlflow/protos/service.proto defines them, on every database: NaN and ±Infinity metric values
// (kept as MLflow's SQL store keeps them), a param logged again with another value, repeated param
// keys, log-batch limits and request size, key characters, paths and lengths, value lengths,
// negative timestamps, missing fields, unknown runs; a refused batch writes nothing, and a point
// logged twice is kept once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const API = '/api/2.0/mlflow';
const PASSWORD = 'a-long-enough-password';
const TS = 1_700_000_000_000;
const MAX = 1.7976931348623157e308;
const UNKNOWN = '01a22177-0000-7000-8000-000000000000';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`MLflow bad input (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let ds: Headers;

    const post = (path: string, body: unknown) => call(t.app, 'POST', `${API}${path}`, ds, body);
    const get = (path: string, query: Record<string, string>) => call(t.app, 'GET', `${API}${path}?${new URLSearchParams(query)}`, ds);
    const newRun = async (run_name: string) => (await post('/runs/create', { experiment_id: '0', run_name, start_time: TS })).body.run.info.run_id as string;
    const history = async (run_id: string, metric_key: string) => ((await get('/metrics/get-history', { run_id, metric_key })).body.metrics ?? []) as Array<{ value: unknown; step: number }>;
    const refused = (r: { status: number; body: { error_code: string; message: string } }, message: string | RegExp) => {
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      if (typeof message === 'string') expect(r.body.message).toBe(message);
      else expect(r.body.message).toMatch(message);
    };

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ml' })).status).toBe(201);
      await addMember(t.app, admin, 'ml', 'dana', PASSWORD, 'data-scientist');
      const tok = await call(t.app, 'POST', '/api/v1/tokens', await signIn(t.app, 'dana', PASSWORD), { name: 'mlflow', role: 'data-scientist', project: 'ml' });
      ds = bearer(tok.body.secret);
    }, 60_000);
    afterAll(() => t?.close());

    it('keeps NaN as NaN and ±Infinity as ±1.7976931348623157e308, as MLflow’s SQL store does', async () => {
      const runId = await newRun('nan');
      expect((await post('/runs/log-metric', { run_id: runId, key: 'loss', value: 'NaN', timestamp: TS, step: 0 })).status).toBe(200);
      const batch = await post('/runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'grad', value: 'Infinity', timestamp: TS, step: 0 },
          { key: 'grad', value: '-Infinity', timestamp: TS, step: 1 },
          { key: 'acc', value: 'NaN', timestamp: TS, step: 0 },
          { key: 'acc', value: 0.5, timestamp: TS, step: 1 },
        ],
      });
      expect(batch.status, JSON.stringify(batch.body)).toBe(200);
      expect((await history(runId, 'loss')).map((m) => m.value)).toEqual(['NaN']);
      expect((await history(runId, 'grad')).map((m) => m.value)).toEqual([MAX, -MAX]);
      const data = (await get('/runs/get', { run_id: runId })).body.run.data;
      expect(data.metrics).toEqual(
        expect.arrayContaining([
          { key: 'loss', value: 'NaN', timestamp: TS, step: 0 },
          { key: 'grad', value: -MAX, timestamp: TS, step: 1 },
          { key: 'acc', value: 0.5, timestamp: TS, step: 1 },
        ]),
      );
      // In searches a NaN never satisfies a comparison, and sorts after every value.
      const other = await newRun('finite');
      await post('/runs/log-metric', { run_id: other, key: 'loss', value: 0.25, timestamp: TS });
      const names = async (body: object) => ((await post('/runs/search', { experiment_ids: ['0'], ...body })).body.runs ?? []).map((r: { info: { run_name: string } }) => r.info.run_name);
      expect(await names({ filter: 'metrics.loss >= 0' })).toEqual(['finite']);
      expect(await names({ filter: "attributes.run_name IN ('nan', 'finite')", order_by: ['metrics.loss DESC'] })).toEqual(['finite', 'nan']);
      refused(await post('/runs/log-metric', { run_id: runId, key: 'x', value: 'lots', timestamp: TS }), /Invalid value "lots" for parameter 'value'/);
      refused(await post('/runs/log-metric', { run_id: runId, key: 'x', value: true, timestamp: TS }), /for parameter 'value'/);
    });

    it('refuses a param logged again with another value, with MLflow’s message, and keeps the first value', async () => {
      const runId = await newRun('params');
      expect((await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status).toBe(200);
      expect((await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status).toBe(200);
      refused(
        await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' }),
        `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
      );
      refused(await post('/runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.3' }], metrics: [{ key: 'm', value: 1, timestamp: TS }] }), /^Changing param values is not allowed/);
      refused(
        await post('/runs/log-batch', { run_id: runId, params: [{ key: 'depth', value: '3' }, { key: 'depth', value: '3' }], metrics: [{ key: 'm', value: 1, timestamp: TS }] }),
        "Duplicate parameter keys have been submitted: ['depth']. Please ensure the request contains only one param value per param key.",
      );
      // Refused batches wrote nothing, not even their metrics.
      expect(await history(runId, 'm')).toEqual([]);
      expect((await get('/runs/get', { run_id: runId })).body.run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    });

    it('enforces log-batch limits and the request size with MLflow’s messages, writing nothing', async () => {
      const runId = await newRun('limits');
      const metric = (i: number) => ({ key: 'm', value: i, timestamp: TS, step: i });
      const kv = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, value: 'v' }));
      const metrics = (n: number) => Array.from({ length: n }, (_, i) => metric(i));
      refused(await post('/runs/log-batch', { run_id: runId, metrics: metrics(1001) }), 'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.');
      refused(await post('/runs/log-batch', { run_id: runId, params: kv(101, 'p') }), 'A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.');
      refused(await post('/runs/log-batch', { run_id: runId, tags: kv(101, 't') }), 'A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple requests and try again.');
      refused(
        await post('/runs/log-batch', { run_id: runId, metrics: metrics(900), params: kv(100, 'p'), tags: kv(1, 't') }),
        'A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.',
      );
      const huge = { run_id: runId, tags: [{ key: 'note', value: 'x'.repeat(1_000_001) }] };
      refused(await post('/runs/log-batch', huge), /^Batched logging API requests must be at most 1000000 bytes, got a request of size \d+\.$/);
      expect(await history(runId, 'm')).toEqual([]);
      expect((await post('/runs/log-batch', { run_id: runId, metrics: metrics(1000) })).status).toBe(200);
      expect(await history(runId, 'm')).toHaveLength(1000);
    });

    it('checks keys (characters, paths, length), values (length), timestamps and required fields', async () => {
      const runId = await newRun('keys');
      const badChars = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";
      refused(await post('/runs/log-metric', { run_id: runId, key: 'acc(val)', value: 1, timestamp: TS }), `Invalid metric name: 'acc(val)'. ${badChars}`);
      refused(await post('/runs/log-parameter', { run_id: runId, key: 'a$b', value: '1' }), `Invalid parameter name: 'a$b'. ${badChars}`);
      refused(await post('/runs/set-tag', { run_id: runId, key: 'x;y', value: '1' }), `Invalid tag name: 'x;y'. ${badChars}`);
      const resolves = (kind: string, key: string, to: string) =>
        `Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${to}'`;
      refused(await post('/runs/log-metric', { run_id: runId, key: '../up', value: 1, timestamp: TS }), resolves('metric', '../up', '../up'));
      refused(await post('/runs/log-metric', { run_id: runId, key: 'a//b', value: 1, timestamp: TS }), resolves('metric', 'a//b', 'a/b'));
      refused(await post('/runs/log-parameter', { run_id: runId, key: '/abs', value: '1' }), resolves('parameter', '/abs', '/abs'));
      refused(await post('/runs/set-tag', { run_id: runId, key: 'a/./b', value: '1' }), resolves('tag', 'a/./b', 'a/b'));
      expect((await post('/runs/log-metric', { run_id: runId, key: 'train/loss: épocа 1', value: 1, timestamp: TS })).status).toBe(200);
      const long = 'k'.repeat(251);
      refused(await post('/runs/log-metric', { run_id: runId, key: long, value: 1, timestamp: TS }), `Metric name '${'k'.repeat(250)}' had length 251, which exceeded length limit of 250`);
      refused(await post('/runs/log-parameter', { run_id: runId, key: 'big', value: 'v'.repeat(6001) }), `Param value '${'v'.repeat(250)}' had length 6001, which exceeded length limit of 6000`);
      expect((await post('/runs/log-parameter', { run_id: runId, key: 'big', value: 'v'.repeat(6000) })).status).toBe(200);
      refused(await post('/runs/set-tag', { run_id: runId, key: 'note', value: 'n'.repeat(8001) }), /^Tag value 'n{250}' had length 8001, which exceeded length limit of 8000$/);
      refused(
        await post('/runs/log-metric', { run_id: runId, key: 'late', value: 1, timestamp: -1 }),
        "Got invalid timestamp -1 for metric 'late' (value=1.0). Timestamp must be a nonnegative long (64-bit integer) ",
      );
      refused(await post('/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', timestamp: TS }] }), "Missing value for required parameter 'metrics[0].value'.");
      refused(await post('/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: TS, step: 1.5 }] }), /parameter 'metrics\[0\]\.step'/);
      refused(await post('/runs/log-batch', { run_id: runId, params: [{ value: 'v' }] }), "Missing value for required parameter 'params[0].key'.");
      refused(await post('/runs/log-metric', { run_id: runId, value: 1, timestamp: TS }), "Missing value for required parameter 'key'.");
    });

    it('answers RESOURCE_DOES_NOT_EXIST (404) for an unknown run on every run call', async () => {
      const calls: Array<[string, object]> = [
        ['/runs/log-metric', { run_id: UNKNOWN, key: 'm', value: 1, timestamp: TS }],
        ['/runs/log-parameter', { run_id: UNKNOWN, key: 'p', value: '1' }],
        ['/runs/set-tag', { run_id: UNKNOWN, key: 't', value: '1' }],
        ['/runs/delete-tag', { run_id: UNKNOWN, key: 't' }],
        ['/runs/log-batch', { run_id: UNKNOWN, metrics: [{ key: 'm', value: 1, timestamp: TS }] }],
        ['/runs/update', { run_id: UNKNOWN, status: 'FINISHED' }],
        ['/runs/delete', { run_id: UNKNOWN }],
        ['/runs/restore', { run_id: UNKNOWN }],
      ];
      for (const [path, body] of calls) {
        const r = await post(path, body);
        expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(404);
        expect(r.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      }
      for (const [path, query] of [
        ['/runs/get', { run_id: UNKNOWN }],
        ['/metrics/get-history', { run_id: UNKNOWN, metric_key: 'm' }],
      ] as const) {
        const r = await get(path, query);
        expect(r.status).toBe(404);
        expect(r.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      }
    });

    it('keeps a point logged twice once, as MLflow’s metrics key does', async () => {
      const runId = await newRun('twice');
      const point = { key: 'acc', value: 0.75, timestamp: TS, step: 3 };
      expect((await post('/runs/log-batch', { run_id: runId, metrics: [point, point] })).status).toBe(200);
      expect((await post('/runs/log-metric', { run_id: runId, ...point })).status).toBe(200);
      expect(await history(runId, 'acc')).toEqual([point]);
    });
  });
}
