// Gradient-boosted trees through the API: `algorithm: 'gbdt'` trains in a background job, logs its
// params and validation-loss history, registers its ONNX, which a deployment serves from raw rows
// with the in-process probabilities; the same spec and seed give the same model bytes; bad params
// answer 400 naming `body.params.<name>` and queue nothing.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GbdtModel } from '../../src/ml/index.js';
import { startWorkers } from '../../src/platform/workers.js';
import type { WorkerPool } from '../../src/storage/jobs/worker-pool.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' }));
const SPEC = {
  dataset: 'weather',
  target: 'weather',
  features: FEATURES,
  time_column: 'date',
  holdout: { from: '2013-10-01', to: '2014-01-01' },
  algorithm: 'gbdt',
  params: { max_iter: 30, learning_rate: 0.1, max_leaf_nodes: 15, early_stopping: true, validation_fraction: 0.2, n_iter_no_change: 30 },
  seed: 3,
};

describe('gradient-boosted trees runs over HTTP', () => {
  let t: TestApp;
  let pool: WorkerPool;
  let admin: Headers;
  const base = '/api/v1/projects/p';

  async function finished(runId: string) {
    for (;;) {
      const r = await call(t.app, 'GET', `${base}/runs/${runId}`, admin);
      if (r.body.status === 'finished' || r.body.status === 'failed') return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    pool = startWorkers(t.platform, pino({ level: 'silent' }));
    admin = await signIn(t.app, t.admin.username, t.admin.password);
    await seedWeatherProject(t.app, admin, 'p');
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.5 } } });
  }, 60_000);
  afterAll(async () => {
    await pool?.stop();
    await t?.close();
  });

  it('trains, logs params and the validation-loss history, registers the ONNX, and serves raw rows as predicted in-process', async () => {
    const queued = await call(t.app, 'POST', `${base}/runs`, admin, { ...SPEC, register: { model: 'weather-gbdt', alias: 'champion' } });
    expect(queued.status).toBe(202);
    const run = await finished(queued.body.id);
    expect(run.status, run.error).toBe('finished');
    expect(run.params).toMatchObject({ model: 'gbdt', objective: 'multiclass', learning_rate: '0.1', max_iter: '30', max_leaf_nodes: '15', seed: '3', train_rows: '639' });
    expect(run.metrics.accuracy).toBeGreaterThan(0.5);
    expect(run.metrics.validation_loss).toBeGreaterThan(0);
    expect(run.tags).toMatchObject({ 'flywheel.iterations': '30', 'flywheel.trees': '150', 'flywheel.early_stopped': 'false' });
    expect(run.gate.passed).toBe(true);
    expect((await call(t.app, 'GET', `${base}/models/weather-gbdt`, admin)).body.aliases).toEqual({ champion: 1 });

    const { model } = await t.platform.services.training.loadModel(run.id);
    expect(model).toBeInstanceOf(GbdtModel);
    const deployed = await call(t.app, 'POST', `${base}/deployments`, admin, { name: 'weather-gbdt-prod', model: 'weather-gbdt', alias: 'champion' });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const rows = [
      { precipitation: 0, temp_max: 24.4, temp_min: 13.9, wind: 1.2 },
      { precipitation: 12.7, temp_max: 4.4, temp_min: -2.1, wind: 6.8 },
      { precipitation: 0.3, temp_max: 11, temp_min: 5, wind: 2.5 },
    ];
    const r = await call(t.app, 'POST', '/api/v1/deployments/weather-gbdt-prod/predict', admin, { rows });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ours = model.predictProba({
      precipitation: rows.map((x) => x.precipitation),
      temp_max: rows.map((x) => x.temp_max),
      temp_min: rows.map((x) => x.temp_min),
      wind: rows.map((x) => x.wind),
    });
    r.body.predictions.forEach((p: { label: string; probabilities: Record<string, number> }, i: number) => {
      expect(p.label).toBe(ours.labels[i]);
      ours.classes.forEach((c, k) => expect(Math.abs(p.probabilities[c] - ours.probabilities[i * ours.classes.length + k])).toBeLessThan(1e-5));
    });
  }, 120_000);

  it('gives the same model bytes for the same data version, params and seed', async () => {
    const [a, b] = await Promise.all([call(t.app, 'POST', `${base}/runs`, admin, SPEC), call(t.app, 'POST', `${base}/runs`, admin, SPEC)]);
    const [ra, rb] = [await finished(a.body.id), await finished(b.body.id)];
    expect(ra.model_artifact_sha256).toBeTruthy();
    expect(ra.model_artifact_sha256).toBe(rb.model_artifact_sha256);
    expect(ra.tags['flywheel.model_json_sha256']).toBe(rb.tags['flywheel.model_json_sha256']);
    expect(ra.metrics).toEqual(rb.metrics);
  }, 120_000);

  it('refuses bad algorithms and params with 400 naming the field, and queues nothing', async () => {
    const before = (await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length;
    const cases: Array<[unknown, string]> = [
      [{ ...SPEC, params: { learning_rate: -1 } }, 'body.params.learning_rate'],
      [{ ...SPEC, params: { max_bins: 300 } }, 'body.params.max_bins'],
      [{ ...SPEC, params: { max_leaf_nodes: 1 } }, 'body.params.max_leaf_nodes'],
      [{ ...SPEC, params: { learning_rte: 0.1 } }, 'body.params.learning_rte'],
      [{ ...SPEC, params: { l2: 1 } }, 'body.params.l2'],
      [{ ...SPEC, params: { objective: 'regression' } }, 'body.params.objective'],
      [{ ...SPEC, algorithm: 'logistic_regression', params: { max_leaf_nodes: 31 } }, 'body.params.max_leaf_nodes'],
      [{ ...SPEC, algorithm: 'xgboost' }, 'body.algorithm'],
    ];
    for (const [body, field] of cases) {
      const r = await call(t.app, 'POST', `${base}/runs`, admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details?.field ?? r.body.error.message).toContain(field);
    }
    expect((await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length).toBe(before);
  });
});
