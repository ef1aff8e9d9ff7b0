// Regression runs over HTTP: `algorithm: 'linear_regression'` (ridge) and gbdt with objective
// 'regression' fit a numeric target, record rmse/mae/r2 and params, keep an ONNX model whose
// onnxruntime predictions equal the in-process ones, and are judged by the KPI gate on their
// holdout through the served model (the whole loop of a regression model is in
// regression-loop.test.ts); a non-numeric target, an unknown or bad param answer 400 naming the field.
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '../../src/services/serving/artifact-bytes.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const SPEC = {
  dataset: 'weather',
  target: 'temp_max',
  features: [
    { name: 'precipitation', kind: 'numeric' },
    { name: 'temp_min', kind: 'numeric' },
    { name: 'wind', kind: 'numeric' },
    { name: 'weather', kind: 'categorical' },
  ],
  time_column: 'date',
  holdout: { from: '2013-10-01', to: '2014-01-01' },
  algorithm: 'linear_regression',
  params: { l2: 0.5 },
};

describe('regression runs over HTTP', () => {
  let t: TestApp;
  let admin: Headers;
  const base = '/api/v1/projects/p';

  async function train(body: unknown) {
    const queued = await call(t.app, 'POST', `${base}/runs`, admin, body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    await runQueuedJobs(t.platform);
    return (await call(t.app, 'GET', `${base}/runs/${queued.body.id}`, admin)).body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, t.admin.username, t.admin.password);
    await seedWeatherProject(t.app, admin, 'p');
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { rmse: { max: 5 } } });
  }, 60_000);
  afterAll(() => t?.close());

  it('fits a ridge regression, logs its error metrics and params, and keeps an ONNX model equal to the in-process one', async () => {
    const run = await train(SPEC);
    expect(run.status, run.error).toBe('finished');
    expect(run.params).toMatchObject({ model: 'linear_regression', l2: '0.5', solver: 'cholesky', target: 'temp_max', train_rows: '639', holdout_rows: '92' });
    expect(run.metrics.rmse).toBeGreaterThan(0);
    expect(run.metrics.rmse).toBeLessThan(5);
    expect(run.metrics.r2).toBeGreaterThan(0); // Oct–Dec varies little, so R² is modest there
    expect(run.metrics.mae).toBeLessThan(run.metrics.rmse + 1e-12);
    expect(run.metrics.train_rmse).toBeGreaterThan(0);
    expect(run.gate).toMatchObject({ passed: true, basis: { holdout: { rows: 92 } } });
    expect(run.gate.basis.note).toBe('candidate evaluated on its holdout (92 labelled rows)');
    expect(run.metrics.mape).toBeGreaterThan(0);

    const { model } = await t.platform.services.training.loadTrainedModel(run.id);
    expect(model.kind).toBe('linear_regression');
    const session = await ort.InferenceSession.create(await readArtifact(t.platform.artifacts, run.model_artifact_sha256));
    const rows = { precipitation: [0, 12.7, NaN], temp_min: [13.9, -2.1, 5], wind: [1.2, 6.8, 2.5], weather: ['sun', 'snow', 'unseen'] };
    const out = await session.run({
      precipitation: new ort.Tensor('float32', Float32Array.from(rows.precipitation), [3, 1]),
      temp_min: new ort.Tensor('float32', Float32Array.from(rows.temp_min), [3, 1]),
      wind: new ort.Tensor('float32', Float32Array.from(rows.wind), [3, 1]),
      weather: new ort.Tensor('string', rows.weather, [3, 1]),
    });
    const ours = (model as { predictValues(c: unknown): Float64Array }).predictValues(rows);
    Array.from(out.prediction.data as Float32Array).forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-5));
  }, 60_000);

  it('fits gbdt with objective regression on the same numeric target', async () => {
    const run = await train({ ...SPEC, algorithm: 'gbdt', params: { objective: 'regression', max_iter: 20, early_stopping: false }, seed: 1, register: { model: 'temps-gbdt', alias: 'champion' } });
    expect(run.status, run.error).toBe('finished');
    expect(run.params).toMatchObject({ model: 'gbdt', objective: 'regression', max_iter: '20' });
    expect(run.metrics.rmse).toBeLessThan(5);
    // Registered and served: its TreeEnsembleRegressor answers the in-process model's values.
    expect(run.model_version_id).toBeTruthy();
    expect((await call(t.app, 'GET', `${base}/models/temps-gbdt/versions/1`, admin)).body).toMatchObject({ task: 'regression', classes: [] });
    expect((await call(t.app, 'POST', `${base}/deployments`, admin, { name: 'temps-gbdt', model: 'temps-gbdt' })).status).toBe(201);
    const rows = [
      { precipitation: 0, temp_min: 13.9, wind: 1.2, weather: 'sun' },
      { precipitation: 12.7, temp_min: -2.1, wind: 6.8, weather: 'snow' },
    ];
    const served = await call(t.app, 'POST', '/api/v1/deployments/temps-gbdt/predict', admin, { rows });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    const { model } = await t.platform.services.training.loadTrainedModel(run.id);
    const ours = (model as { predictValues(c: unknown): Float64Array }).predictValues({
      precipitation: Float64Array.from(rows, (r) => r.precipitation),
      temp_min: Float64Array.from(rows, (r) => r.temp_min),
      wind: Float64Array.from(rows, (r) => r.wind),
      weather: rows.map((r) => r.weather),
    });
    served.body.predictions.forEach((p: { value: number }, i: number) => expect(Math.abs(p.value - ours[i])).toBeLessThan(1e-5));
  }, 60_000);

  it('refuses a non-numeric target, unknown and bad params with 400 naming the field, and queues nothing', async () => {
    const before = (await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length;
    const cases: Array<[unknown, string]> = [
      [{ ...SPEC, target: 'weather', features: SPEC.features.slice(0, 3) }, 'body.target'],
      [{ ...SPEC, algorithm: 'gbdt', params: { objective: 'regression' }, target: 'weather', features: SPEC.features.slice(0, 3) }, 'body.params.objective'],
      [{ ...SPEC, params: { l2: 1, learning_rate: 0.1 } }, 'body.params.learning_rate'],
      [{ ...SPEC, params: { alpha: 1 } }, 'body.params.alpha'],
      [{ ...SPEC, params: { solver: 'qr' } }, 'body.params.solver'],
      [{ ...SPEC, algorithm: 'logistic_regression', target: 'weather', params: { l2_reg: 1 } }, 'body.params.l2_reg'],
    ];
    for (const [body, field] of cases) {
      const r = await call(t.app, 'POST', `${base}/runs`, admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details?.field ?? r.body.error.message).toContain(field);
    }
    expect((await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length).toBe(before);
  });
});
