// The `mlflow` npm client (a 2.x release, the MLflow 1 REST surface) against a real Flywheel
// server: every call it offers that MLflow 2 still serves, plus the removed experiments/list it
// still makes, checked through Flywheel's own API (runs, audit) and raw MLflow requests.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import MLflowModule from 'mlflow';
import { RunStatus, ViewType } from 'mlflow/enum.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Client = InstanceType<typeof MLflowModule.default>;
// The package's index.js exports the class itself while its types describe `exports.default`.
const MLflow = ((MLflowModule as unknown as { default?: unknown }).default ?? MLflowModule) as unknown as typeof MLflowModule.default;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`mlflow npm client (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestServer;
    let admin: Headers;
    let token: Headers;
    let client: Client;

    const ourRun = async (id: string) => {
      const r = await call(t.app, 'GET', `/api/v1/projects/ml/runs/${id}`, admin);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const auditActions = async () => (await call(t.app, 'GET', '/api/v1/projects/ml/audit?limit=200', admin)).body.items as Array<{ action: string; target_ids: Record<string, string> }>;

    beforeAll(async () => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined); // the client prints every POST body
      t = await startTestServer({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ml' })).status).toBe(201);
      const created = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'mlflow-npm', role: 'data-scientist', project: 'ml' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      token = bearer(created.body.secret);
      client = new MLflow({ endpoint: t.url, headers: token });
    }, 60_000);
    afterAll(async () => {
      vi.restoreAllMocks();
      await t?.close();
    });

    it('creates, lists, gets, renames, deletes and restores experiments', async () => {
      const { experiment_id } = await client.Experiments.create({ name: 'npm-exp', artifact_location: '' });
      expect(experiment_id).toMatch(/^[0-9a-f-]{36}$/);

      const listed = await client.Experiments.list();
      expect(listed.experiments.map((e) => e.name).sort()).toEqual(['Default', 'npm-exp']);

      const got = await client.Experiments.get({ experiment_id });
      expect(got.experiment).toMatchObject({ experiment_id, name: 'npm-exp', lifecycle_stage: 'active' });

      await client.Experiments.update({ experiment_id, new_name: 'npm-exp-renamed' });
      const byName = await call(t.app, 'GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=npm-exp-renamed', token);
      expect(byName.body.experiment.experiment_id).toBe(experiment_id);

      await client.Experiments.delete({ experiment_id });
      expect((await client.Experiments.list({ view_type: ViewType.DELETED_ONLY })).experiments.map((e) => e.experiment_id)).toEqual([experiment_id]);
      expect((await client.Experiments.list()).experiments.map((e) => e.name)).toEqual(['Default']);

      await client.Experiments.restore({ experiment_id });
      expect((await client.Experiments.get({ experiment_id })).experiment.lifecycle_stage).toBe('active');

      const actions = (await auditActions()).filter((e) => e.target_ids.experiment === experiment_id).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['experiment.create', 'experiment.update', 'experiment.delete', 'experiment.restore']));
    });

    it('creates a run, logs to it one value at a time and in a batch, and ends it', async () => {
      const { experiment_id } = await client.Experiments.create({ name: 'npm-runs', artifact_location: '' });
      const start = Date.now();
      const { run } = await client.Runs.create({ experiment_id, user_id: 'npm-user', start_time: start, tags: [{ key: 'origin', value: 'npm' }] });
      const runId = run.info.run_id;
      expect(run.info).toMatchObject({ experiment_id, status: 'RUNNING', user_id: 'npm-user', artifact_uri: `mlflow-artifacts:/${experiment_id}/${runId}/artifacts` });

      await client.Runs.logParameter({ run_id: runId, key: 'algo', value: 'gbdt' });
      await client.Runs.setTag({ run_id: runId, key: 'stage', value: 'dev' });
      for (const [step, auc] of [0.71, 0.8, 0.86].entries()) await client.Runs.logMetric({ run_id: runId, key: 'auc', value: auc, timestamp: start + step, step });
      await client.Runs.logBatch({
        run_id: runId,
        metrics: [{ key: 'loss', value: 0.4, timestamp: start, step: 0 }, { key: 'loss', value: 0.25, timestamp: start + 1, step: 1 }],
        params: [{ key: 'lr', value: '0.1' }],
        tags: [{ key: 'team', value: 'ml' }],
      });
      await client.Runs.deleteTag({ run_id: runId, key: 'stage' });
      const end = start + 1000;
      await client.Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: end });

      const ours = await ourRun(runId);
      expect(ours).toMatchObject({ status: 'finished', params: { algo: 'gbdt', lr: '0.1' }, metrics: { auc: 0.86, loss: 0.25 }, start_time: start, end_time: end });
      expect(ours.tags).toMatchObject({ origin: 'npm', team: 'ml' });
      expect(ours.tags.stage).toBeUndefined();

      const history = await client.Metrics.getHistory({ run_id: runId, metric_key: 'auc' });
      expect(history.metrics.map((m) => [m.step, m.value])).toEqual([[0, 0.71], [1, 0.8], [2, 0.86]]);

      const fetched = await client.Runs.get({ run_id: runId });
      expect(fetched.run.info.status).toBe('FINISHED');
      expect(fetched.run.data.params).toEqual(expect.arrayContaining([{ key: 'algo', value: 'gbdt' }, { key: 'lr', value: '0.1' }]));
    });

    it('searches runs with a filter and an order, deletes and restores a run', async () => {
      const { experiment_id } = await client.Experiments.create({ name: 'npm-search', artifact_location: '' });
      const ids: string[] = [];
      for (const [i, auc] of [0.6, 0.95, 0.9].entries()) {
        const { run } = await client.Runs.create({ experiment_id, user_id: 'npm-user', start_time: Date.now() + i });
        await client.Runs.logMetric({ run_id: run.info.run_id, key: 'auc', value: auc, timestamp: Date.now() });
        ids.push(run.info.run_id);
      }
      const found = await client.Runs.search({ experiment_ids: [experiment_id], filter: 'metrics.auc > 0.8', order_by: ['metrics.auc DESC'] });
      expect(found.runs.map((r) => r.info.run_id)).toEqual([ids[1], ids[2]]);

      await client.Runs.delete({ run_id: ids[1] });
      expect((await client.Runs.search({ experiment_ids: [experiment_id], filter: 'metrics.auc > 0.8' })).runs.map((r) => r.info.run_id)).toEqual([ids[2]]);
      const deleted = await client.Runs.search({ experiment_ids: [experiment_id], run_view_type: ViewType.DELETED_ONLY });
      expect(deleted.runs.map((r) => r.info.run_id)).toEqual([ids[1]]);
      await client.Runs.restore({ run_id: ids[1] });
      expect((await client.Runs.get({ run_id: ids[1] })).run.info.lifecycle_stage).toBe('active');
      expect((await auditActions()).filter((e) => e.target_ids.run === ids[1]).map((e) => e.action)).toEqual(expect.arrayContaining(['run.delete', 'run.restore']));
    });

    it('lists artifacts uploaded through mlflow-artifacts', async () => {
      const { run } = await client.Runs.create({ experiment_id: '0', user_id: 'npm-user', start_time: Date.now() });
      const base = `${t.url}/api/2.0/mlflow-artifacts/artifacts/0/${run.info.run_id}/artifacts`;
      for (const [path, body] of [['model/model.onnx', 'onnx-bytes'], ['notes.txt', 'hi']]) {
        const up = await fetch(`${base}/${path}`, { method: 'PUT', headers: { ...token, 'content-type': 'application/octet-stream' }, body });
        expect(up.status).toBe(200);
      }
      // Bytes with no Content-Type at all (what a client sends for an unknown file type).
      const raw = await fetch(`${base}/weights.bin`, { method: 'PUT', headers: token, body: new Uint8Array([0, 1, 2, 255]) });
      expect(raw.status).toBe(200);
      expect(new Uint8Array(await (await fetch(`${base}/weights.bin`, { headers: token })).arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
      const root = await client.Artifacts.list({ run_id: run.info.run_id, path: '' });
      expect(root).toEqual({
        root_uri: run.info.artifact_uri,
        files: [{ path: 'model', is_dir: true }, { path: 'notes.txt', is_dir: false, file_size: 2 }, { path: 'weights.bin', is_dir: false, file_size: 4 }],
      });
      const model = await client.Artifacts.list({ run_id: run.info.run_id, path: 'model' });
      expect(model.files).toEqual([{ path: 'model/model.onnx', is_dir: false, file_size: 10 }]);
      expect(await (await fetch(`${base}/model/model.onnx`, { headers: token })).text()).toBe('onnx-bytes');
    });

    it('surfaces MLflow error codes through the client', async () => {
      await expect(client.Experiments.get({ experiment_id: 'no-such-experiment' })).rejects.toThrow(/RESOURCE_DOES_NOT_EXIST/);
      const anonymous = new MLflow({ endpoint: t.url });
      await expect(anonymous.Experiments.list()).rejects.toThrow(/UNAUTHENTICATED/);
    });
  });
}
