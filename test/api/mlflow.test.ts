// MLflow's tracking REST API (/api/2.0/mlflow) on every database, with raw requests shaped as
// mlflow/protos/service.proto defines them: experiment and run lifecycles, logging and MLflow's
// log-batch limits and error codes, search filters and ordering, metric history, and access
// (no token, a token without a default project, a viewer's token).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KyselyTrackingRepository } from '../../src/storage/kysely/kysely-tracking.repository.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers, addMember } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const API = '/api/2.0/mlflow';
const PASSWORD = 'a-long-enough-password';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`MLflow tracking API (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let ds: Headers; // data-scientist token with default project "ml"
    let viewer: Headers;
    let noProject: Headers;

    const post = (path: string, body: unknown, as: Headers = ds) => call(t.app, 'POST', `${API}${path}`, as, body);
    const get = (path: string, query: Record<string, string | number>, as: Headers = ds) =>
      call(t.app, 'GET', `${API}${path}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, as);
    const tokenFor = async (session: Headers, project?: string, role = 'data-scientist') => {
      const r = await call(t.app, 'POST', '/api/v1/tokens', session, { name: `t-${Math.random().toString(36).slice(2, 8)}`, role, ...(project ? { project } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return bearer(r.body.secret);
    };
    const newRun = async (experiment_id: string, run_name: string) => {
      const r = await post('/runs/create', { experiment_id, run_name, start_time: Date.now(), user_id: 'dana', tags: [{ key: 'origin', value: 'test' }] });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.run.info.run_id as string;
    };

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ml' })).status).toBe(201);
      for (const [u, role] of [['dana', 'data-scientist'], ['vic', 'viewer']]) {
        await addMember(t.app, admin, 'ml', u, PASSWORD, role);
      }
      const dana = await signIn(t.app, 'dana', PASSWORD);
      ds = await tokenFor(dana, 'ml');
      noProject = await tokenFor(dana);
      viewer = await tokenFor(await signIn(t.app, 'vic', PASSWORD), 'ml', 'viewer');
    }, 60_000);
    afterAll(() => t?.close());

    it('refuses callers without a token (401), tokens without a default project (400) and viewers writing (403)', async () => {
      const none = await call(t.app, 'GET', `${API}/experiments/get-by-name?experiment_name=Default`);
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ error_code: 'UNAUTHENTICATED' });

      const unscoped = await get('/experiments/get-by-name', { experiment_name: 'Default' }, noProject);
      expect(unscoped.status).toBe(400);
      expect(unscoped.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/default project/) });

      const write = await post('/experiments/create', { name: 'by-viewer' }, viewer);
      expect(write.status).toBe(403);
      expect(write.body.error_code).toBe('PERMISSION_DENIED');

      const read = await get('/experiments/get', { experiment_id: '0' }, viewer);
      expect(read.status).toBe(200);
      expect(read.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
    });

    it('creates, reads, renames, deletes and restores experiments with MLflow error codes', async () => {
      const created = await post('/experiments/create', { name: 'weather', artifact_location: '', tags: [{ key: 'team', value: 'forecast' }] });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const id = created.body.experiment_id as string;
      expect(Object.keys(created.body)).toEqual(['experiment_id']);

      const dup = await post('/experiments/create', { name: 'weather' });
      expect(dup.status).toBe(400);
      expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
      expect((await post('/experiments/create', {})).body.error_code).toBe('INVALID_PARAMETER_VALUE');

      const got = await get('/experiments/get', { experiment_id: id });
      expect(got.body.experiment).toMatchObject({ experiment_id: id, name: 'weather', lifecycle_stage: 'active', artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: 'team', value: 'forecast' }] });
      expect(typeof got.body.experiment.creation_time).toBe('number');
      expect((await get('/experiments/get-by-name', { experiment_name: 'weather' })).body.experiment.experiment_id).toBe(id);
      const missing = await get('/experiments/get', { experiment_id: 'nope' });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "experiment 'nope' was not found" });

      expect((await post('/experiments/update', { experiment_id: id, new_name: 'weather-2' })).status).toBe(200);
      expect((await get('/experiments/get', { experiment_id: id })).body.experiment.name).toBe('weather-2');

      expect((await post('/experiments/delete', { experiment_id: id })).body).toEqual({});
      expect((await get('/experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('deleted');
      const active = await post('/experiments/search', { max_results: 100 });
      expect(active.body.experiments.map((e: { name: string }) => e.name)).not.toContain('weather-2');
      const deleted = await post('/experiments/search', { view_type: 'DELETED_ONLY' });
      expect(deleted.body.experiments.map((e: { name: string }) => e.name)).toEqual(['weather-2']);
      const inDeleted = await post('/runs/create', { experiment_id: id });
      expect(inDeleted.status).toBe(400);
      expect(inDeleted.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect((await post('/experiments/restore', { experiment_id: id })).status).toBe(200);
      expect((await get('/experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('active');

      const byTag = await post('/experiments/search', { filter: "tags.team = 'forecast' and name LIKE 'weather%'" });
      expect(byTag.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([id]);
      const listed = await get('/experiments/list', {});
      expect(listed.body.experiments.map((e: { name: string }) => e.name).sort()).toEqual(['Default', 'weather-2']);
    });

    it('runs a full run lifecycle: create, log, tag, update, get, delete and restore', async () => {
      const runId = await newRun('0', 'first');
      const run = (await get('/runs/get', { run_id: runId })).body.run;
      expect(run.info).toMatchObject({ run_id: runId, run_uuid: runId, run_name: 'first', experiment_id: '0', user_id: 'dana', status: 'RUNNING', lifecycle_stage: 'active' });
      expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'origin', value: 'test' }, { key: 'mlflow.runName', value: 'first' }]));

      expect((await post('/runs/log-metric', { run_id: runId, key: 'loss', value: 0.5, timestamp: 1700000000000, step: 1 })).body).toEqual({});
      expect((await post('/runs/log-metric', { run_uuid: runId, key: 'loss', value: '0.25', timestamp: '1700000001000', step: '2' })).status).toBe(200);
      expect((await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status).toBe(200);
      expect((await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status).toBe(200);
      const changed = await post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' });
      expect(changed.status).toBe(400);
      expect(changed.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/Changing param values is not allowed/) });
      expect((await post('/runs/set-tag', { run_id: runId, key: 'stage', value: 'dev' })).status).toBe(200);
      expect((await post('/runs/set-tag', { run_id: runId, key: 'gone', value: 'x' })).status).toBe(200);
      expect((await post('/runs/delete-tag', { run_id: runId, key: 'gone' })).status).toBe(200);
      expect((await post('/runs/delete-tag', { run_id: runId, key: 'gone' })).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');

      const updated = await post('/runs/update', { run_id: runId, status: 'FINISHED', end_time: 1700000002000 });
      expect(updated.body.run_info).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: 1700000002000 });
      expect((await post('/runs/update', { run_id: runId, status: 'DONE' })).body.error_code).toBe('INVALID_PARAMETER_VALUE');

      const data = (await get('/runs/get', { run_id: runId })).body.run.data;
      expect(data.metrics).toEqual([{ key: 'loss', value: 0.25, timestamp: 1700000001000, step: 2 }]);
      expect(data.params).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(data.tags.map((x: { key: string }) => x.key).sort()).toEqual(['mlflow.runName', 'mlflow.user', 'origin', 'stage']);

      expect((await post('/runs/delete', { run_id: runId })).status).toBe(200);
      expect((await get('/runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe('deleted');
      expect((await post('/runs/log-metric', { run_id: runId, key: 'loss', value: 1, timestamp: 1 })).body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect((await post('/runs/search', { experiment_ids: ['0'] })).body.runs ?? []).toHaveLength(0);
      expect((await post('/runs/search', { experiment_ids: ['0'], run_view_type: 'DELETED_ONLY' })).body.runs).toHaveLength(1);
      expect((await post('/runs/restore', { run_id: runId })).status).toBe(200);
      expect((await post('/runs/search', { experiment_ids: ['0'] })).body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);

      const unknown = await get('/runs/get', { run_id: 'no-such-run' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      // The run is visible to the built-in API too.
      expect((await call(t.app, 'GET', `/api/v1/projects/ml/runs/${runId}`, admin)).body).toMatchObject({ id: runId, status: 'finished' });
    });

    it('logs 1000 metrics in one log-batch as one insert and one audit event, and enforces MLflow limits', async () => {
      const runId = await newRun('0', 'batch');
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'acc', value: i / 1000, timestamp: 1700000000000 + i, step: i }));
      const spy = vi.spyOn(KyselyTrackingRepository.prototype, 'logMetrics');
      const ok = await post('/runs/log-batch', { run_id: runId, metrics });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toEqual({});
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][1]).toHaveLength(1000);
      spy.mockRestore();
      const audit = await call(t.app, 'GET', '/api/v1/projects/ml/audit?limit=200', admin);
      expect(audit.body.items.filter((e: { action: string; target_ids: Record<string, string> }) => e.action === 'run.log' && e.target_ids.run === runId)).toHaveLength(1);

      const kv = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));
      const cases = [
        { metrics: [...metrics, metrics[0]] },
        { params: kv(101, 'p') },
        { tags: kv(101, 't') },
        { metrics: metrics.slice(0, 900), params: kv(100, 'p'), tags: kv(1, 't') },
      ];
      for (const body of cases) {
        const r = await post('/runs/log-batch', { run_id: runId, ...body });
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/A batch logging request can contain at most/) });
      }
      const history = await get('/metrics/get-history', { run_id: runId, metric_key: 'acc' });
      expect(history.body.metrics).toHaveLength(1000);
      const params = (await get('/runs/get', { run_id: runId })).body.run.data.params;
      expect(params).toEqual([]);

      expect((await post('/runs/log-batch', { run_id: runId, params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] })).body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect((await post('/runs/log-batch', { run_id: runId, metrics: [{ key: 'x', value: 1 }] })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/timestamp/) });
      expect((await post('/runs/log-batch', { run_id: 'missing', metrics: [] })).status).toBe(404);
    });

    it('searches runs by metric, param, tag and status, orders by a metric and pages', async () => {
      const exp = (await post('/experiments/create', { name: 'search' })).body.experiment_id;
      const specs = [
        { name: 'a', algo: 'gbdt', auc: 0.95, status: 'FINISHED', team: 'x' },
        { name: 'b', algo: 'gbdt', auc: 0.85, status: 'FINISHED', team: 'y' },
        { name: 'c', algo: 'lr', auc: 0.97, status: 'FAILED', team: 'x' },
        { name: 'd', algo: 'gbdt', auc: 0.92, status: 'RUNNING', team: 'x' },
        { name: 'e', algo: 'gbdt', auc: null, status: 'FINISHED', team: 'x' },
      ];
      for (const s of specs) {
        const runId = await newRun(exp, s.name);
        const metrics = s.auc === null ? [] : [{ key: 'auc', value: s.auc, timestamp: 1700000000000, step: 0 }];
        expect((await post('/runs/log-batch', { run_id: runId, metrics, params: [{ key: 'algo', value: s.algo }], tags: [{ key: 'team', value: s.team }] })).status).toBe(200);
        if (s.status !== 'RUNNING') await post('/runs/update', { run_id: runId, status: s.status, end_time: Date.now() });
      }
      const names = (r: { body: { runs?: Array<{ info: { run_name: string } }> } }) => (r.body.runs ?? []).map((x) => x.info.run_name);

      const filtered = await post('/runs/search', { experiment_ids: [exp], filter: "metrics.auc > 0.9 and params.algo = 'gbdt'", order_by: ['metrics.auc DESC'] });
      expect(filtered.status, JSON.stringify(filtered.body)).toBe(200);
      expect(names(filtered)).toEqual(['a', 'd']);
      expect(names(await post('/runs/search', { experiment_ids: [exp], filter: "tags.team = 'x' and attributes.status = 'FINISHED'", order_by: ['attributes.run_name'] }))).toEqual(['a', 'e']);
      expect(names(await post('/runs/search', { experiment_ids: [exp], order_by: ['metrics.auc ASC'] }))).toEqual(['b', 'd', 'a', 'c', 'e']);
      expect(names(await post('/runs/search', { experiment_ids: [exp], filter: "params.algo != 'gbdt'" }))).toEqual(['c']);

      const first = await post('/runs/search', { experiment_ids: [exp], order_by: ['metrics.auc DESC'], max_results: 2 });
      expect(names(first)).toEqual(['c', 'a']);
      expect(first.body.next_page_token).toEqual(expect.any(String));
      const second = await post('/runs/search', { experiment_ids: [exp], order_by: ['metrics.auc DESC'], max_results: 2, page_token: first.body.next_page_token });
      expect(names(second)).toEqual(['d', 'b']);
      const third = await post('/runs/search', { experiment_ids: [exp], order_by: ['metrics.auc DESC'], max_results: 2, page_token: second.body.next_page_token });
      expect(names(third)).toEqual(['e']);
      expect(third.body.next_page_token).toBeUndefined();

      const bad = await post('/runs/search', { experiment_ids: [exp], filter: 'metrics.auc >' });
      expect(bad.status).toBe(400);
      expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect((await post('/runs/search', { experiment_ids: [exp], max_results: 50001 })).body.error_code).toBe('INVALID_PARAMETER_VALUE');
    });

    it('returns a metric history in step order, paged', async () => {
      const runId = await newRun('0', 'history');
      const metrics = [3, 1, 0, 2, 4].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1700000000000 + step, step }));
      await post('/runs/log-batch', { run_id: runId, metrics });
      const all = await get('/metrics/get-history', { run_id: runId, metric_key: 'loss' });
      expect(all.body.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2, 3, 4]);
      expect(all.body.metrics[0]).toEqual({ key: 'loss', value: 1, timestamp: 1700000000000, step: 0 });
      const page = await get('/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 3 });
      expect(page.body.metrics).toHaveLength(3);
      const rest = await get('/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 3, page_token: page.body.next_page_token });
      expect(rest.body.metrics.map((m: { step: number }) => m.step)).toEqual([3, 4]);
      expect((await get('/metrics/get-history', { run_id: runId, metric_key: 'nothing' })).body).toEqual({ metrics: [] });
      // proto3 JSON spells infinities as strings; MLflow's SQL store keeps them as ±the largest double.
      expect((await post('/runs/log-metric', { run_id: runId, key: 'grad', value: 'Infinity', timestamp: 1, step: 0 })).status).toBe(200);
      expect((await post('/runs/log-metric', { run_id: runId, key: 'grad', value: '-Infinity', timestamp: 2, step: 1 })).status).toBe(200);
      const grad = await get('/metrics/get-history', { run_id: runId, metric_key: 'grad' });
      expect(grad.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([1.7976931348623157e308, -1.7976931348623157e308]);
      expect((await get('/metrics/get-history', { run_id: 'nope', metric_key: 'loss' })).status).toBe(404);
    });
  });
}
