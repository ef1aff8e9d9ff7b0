// The tracking API the runs UI uses, on every database: experiments, an experiment's runs with a
// server-side filter, order by a metric or param, cursor pages and a count; column keys; a run's
// details with its captured context (git commit and dirty flag, Node, host, data version hash,
// seed); metric histories (NaN kept, thinned for charts); delete and restore (audited); and the
// artifact browser (list, download, bad paths refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const MLFLOW = '/api/2.0/mlflow';
const PASSWORD = 'a-long-enough-password';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`tracking API (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let ds: Headers;
    let viewer: Headers;
    let experimentId: string;
    const runIds: Record<string, string> = {};
    const base = '/api/v1/projects/ml';

    const mlflow = (path: string, body: unknown) => call(t.app, 'POST', `${MLFLOW}${path}`, ds, body);
    const v1 = (path: string, as: Headers = admin) => call(t.app, 'GET', `${base}${path}`, as);
    const names = (r: { body: { items: Array<{ name: string }> } }) => r.body.items.map((x) => x.name);

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ml' })).status).toBe(201);
      await addMember(t.app, admin, 'ml', 'dana', PASSWORD, 'data-scientist');
      await addMember(t.app, admin, 'ml', 'vic', PASSWORD, 'viewer');
      const dana = await signIn(t.app, 'dana', PASSWORD);
      const tok = await call(t.app, 'POST', '/api/v1/tokens', dana, { name: 'mlflow', role: 'data-scientist', project: 'ml' });
      ds = bearer(tok.body.secret);
      viewer = await signIn(t.app, 'vic', PASSWORD);
      experimentId = (await mlflow('/experiments/create', { name: 'sweep' })).body.experiment_id;
      const specs: Array<[string, number | 'NaN' | null, string]> = [
        ['r1', 0.81, 'gbdt'],
        ['r2', 0.93, 'gbdt'],
        ['r3', 'NaN', 'lr'],
        ['r4', 0.97, 'lr'],
        ['r5', null, 'gbdt'],
        ['r6', 0.91, 'gbdt'],
      ];
      for (const [i, [name, auc, algo]] of specs.entries()) {
        const created = await mlflow('/runs/create', {
          experiment_id: experimentId,
          run_name: name,
          start_time: 1_700_000_000_000 + i * 1000,
          tags: [
            { key: 'mlflow.source.git.commit', value: 'a1b2c3d4e5f6' },
            { key: 'flywheel.git.dirty', value: 'true' },
          ],
        });
        const id = (runIds[name] = created.body.run.info.run_id);
        const metrics = auc === null ? [] : [{ key: 'auc', value: auc, timestamp: 1_700_000_000_000, step: 0 }];
        for (let step = 0; step < 30; step++) metrics.push({ key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step });
        const logged = await mlflow('/runs/log-batch', { run_id: id, metrics, params: [{ key: 'algo', value: algo }, { key: 'seed', value: '7' }] });
        expect(logged.status, JSON.stringify(logged.body)).toBe(200);
      }
    }, 60_000);
    afterAll(() => t?.close());

    it('lists experiments with MLflow ids, and an experiment’s runs filtered and sorted on the server', async () => {
      expect((await v1('/experiments')).body.items.map((e: { name: string }) => e.name)).toEqual(['sweep']);
      // MLflow's default experiment "0" exists once an MLflow client has used it.
      expect((await call(t.app, 'GET', `${MLFLOW}/experiments/get?experiment_id=0`, ds)).status).toBe(200);
      const experiments = await v1('/experiments');
      expect(experiments.status).toBe(200);
      expect(experiments.body.items.map((e: { name: string; mlflow_id: string }) => [e.name, e.mlflow_id === '0'])).toEqual(
        expect.arrayContaining([
          ['Default', true],
          ['sweep', false],
        ]),
      );
      expect(names(await v1(`/experiments/${experimentId}/runs`))).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
      expect(names(await v1(`/experiments/${experimentId}/runs?order_by=${encodeURIComponent('metrics.auc DESC')}`))).toEqual(['r4', 'r2', 'r6', 'r1', 'r3', 'r5']);
      const filtered = await v1(`/experiments/${experimentId}/runs?${new URLSearchParams({ filter: "metrics.auc > 0.9 and params.algo = 'gbdt'", order_by: 'metrics.auc', count: 'true' })}`);
      expect(names(filtered)).toEqual(['r6', 'r2']);
      expect(filtered.body.total).toBe(2);
      const r3 = (await v1(`/experiments/${experimentId}/runs?order_by=${encodeURIComponent('params.algo DESC')}`)).body.items.find((r: { name: string }) => r.name === 'r3');
      expect(r3.metrics).toEqual({ auc: 'NaN', loss: expect.closeTo(1 / 30, 9) });
      const bad = await v1(`/experiments/${experimentId}/runs?filter=${encodeURIComponent('attributes.colour = 1')}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Invalid attribute key 'colour'/);
    });

    it('pages with a cursor in the requested order, and refuses a cursor of another search', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams({ order_by: 'metrics.auc DESC', limit: '2', ...(cursor ? { cursor } : {}) });
        const page = await v1(`/experiments/${experimentId}/runs?${q}`);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        seen.push(...names(page));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(['r4', 'r2', 'r6', 'r1', 'r3', 'r5']);
      const first = await v1(`/experiments/${experimentId}/runs?limit=2`);
      const other = await v1(`/experiments/${experimentId}/runs?${new URLSearchParams({ limit: '2', order_by: 'metrics.auc', cursor: first.body.next_cursor })}`);
      expect(other.status).toBe(400);
      expect(other.body.error.message).toMatch(/another filter or order/);
    });

    it('lists the keys to choose columns from', async () => {
      const keys = await v1(`/experiments/${experimentId}/keys`);
      expect(keys.body).toEqual({ metrics: ['auc', 'loss'], params: ['algo', 'seed'], tags: expect.arrayContaining(['mlflow.runName', 'mlflow.source.git.commit', 'flywheel.git.dirty']) });
    });

    it('shows a run’s context: the client’s git commit with its dirty flag, the seed param, and what the training process records', async () => {
      const details = await v1(`/runs/${runIds.r1}/details`);
      expect(details.status).toBe(200);
      expect(details.body).toMatchObject({ name: 'r1', lifecycle_stage: 'active', status: 'running', metrics: { auc: 0.81 } });
      expect(details.body.context).toMatchObject({ code_version: 'a1b2c3d4e5f6-dirty', git_commit: 'a1b2c3d4e5f6', git_dirty: true, seed: 7, node_version: null, host: null });
      await t.platform.services.tracking.recordRunContext(runIds.r1, { git_commit: 'ffff0000', git_dirty: false, node_version: process.version, host: 'trainer-1' });
      const after = (await v1(`/runs/${runIds.r1}/details`)).body.context;
      expect(after).toMatchObject({ git_commit: 'ffff0000', git_dirty: false, node_version: process.version, host: 'trainer-1' });
      expect((await v1('/runs/01a22177-0000-7000-8000-000000000000/details')).status).toBe(404);
    });

    it('answers metric histories for charts: NaN kept, thinned to max_points with the last point', async () => {
      const all = await v1(`/runs/${runIds.r3}/metric-history`);
      expect(all.body.status).toBe('running');
      expect(all.body.series.map((s: { key: string; total: number }) => [s.key, s.total])).toEqual([
        ['auc', 1],
        ['loss', 30],
      ]);
      expect(all.body.series[0].points).toEqual([{ step: 0, timestamp: 1_700_000_000_000, value: 'NaN' }]);
      const thin = await v1(`/runs/${runIds.r3}/metric-history?keys=loss&max_points=5`);
      const steps = thin.body.series[0].points.map((p: { step: number }) => p.step);
      expect(steps).toHaveLength(5);
      expect(steps[0]).toBe(0);
      expect(steps.at(-1)).toBe(29);
    });

    it('deletes and restores a run (audited; viewers may not), and keeps deleted runs out of the active list', async () => {
      expect((await call(t.app, 'DELETE', `${base}/runs/${runIds.r5}`, viewer)).status).toBe(403);
      expect((await call(t.app, 'DELETE', `${base}/runs/${runIds.r5}`, admin)).body).toEqual({ ok: true });
      expect(names(await v1(`/experiments/${experimentId}/runs`))).not.toContain('r5');
      expect(names(await v1(`/experiments/${experimentId}/runs?view=deleted`))).toEqual(['r5']);
      expect((await v1(`/runs/${runIds.r5}/details`)).body.lifecycle_stage).toBe('deleted');
      expect((await call(t.app, 'POST', `${base}/runs/${runIds.r5}/restore`, admin)).status).toBe(200);
      expect(names(await v1(`/experiments/${experimentId}/runs`))).toContain('r5');
      const audit = (await v1('/audit?limit=100')).body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(expect.arrayContaining(['run.delete:success', 'run.restore:success', 'runs.delete:denied']));
    });

    it('browses and downloads artifacts, refusing paths that leave the run', async () => {
      const put = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runIds.r2}/artifacts/model/weights.bin`, headers: ds, payload: Buffer.from('0123456789') });
      expect(put.statusCode).toBe(200);
      expect((await v1(`/runs/${runIds.r2}/artifacts`)).body.items).toEqual([{ path: 'model', is_dir: true }]);
      expect((await v1(`/runs/${runIds.r2}/artifacts?path=model`)).body.items).toEqual([{ path: 'model/weights.bin', is_dir: false, file_size: 10 }]);
      const file = await t.app.inject({ method: 'GET', url: `${base}/runs/${runIds.r2}/artifact?path=model/weights.bin`, headers: viewer });
      expect(file.statusCode).toBe(200);
      expect(file.body).toBe('0123456789');
      expect(file.headers['content-disposition']).toBe("attachment; filename*=UTF-8''weights.bin");
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect((await v1(`/runs/${runIds.r2}/artifact?path=${encodeURIComponent('../x')}`)).status).toBe(400);
      expect((await v1(`/runs/${runIds.r2}/artifact`)).status).toBe(400);
      expect((await v1(`/runs/${runIds.r2}/artifact?path=model/none.bin`)).status).toBe(404);
    });
  });
}
