// Training over HTTP: a run is a background job in a child process (fit, holdout metrics, ONNX,
// KPI gate, registration); a failed gate blocks registration with a readable report; bad input on
// the training, policy, monitoring and retraining endpoints answers 4xx naming the problem.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  register: { model: 'weather-lr', alias: 'champion' },
};

describe('training runs over HTTP', () => {
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
  }, 60_000);
  afterAll(async () => {
    await pool?.stop();
    await t?.close();
  });

  it('trains in a background job, records what it needs to be reproduced, and registers a model that passes the gate', async () => {
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.5 } } });
    const queued = await call(t.app, 'POST', `${base}/runs`, admin, { ...SPEC, seed: 7 });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued', seed: 7 });
    const job = await call(t.app, 'GET', `${base}/jobs/${queued.body.job_id}`, admin);
    expect(job.body.task).toBe('training.run');
    const run = await finished(queued.body.id);
    expect(run.status).toBe('finished');
    expect(run.metrics.accuracy).toBeGreaterThan(0.5);
    expect(run.metrics.macro_f1).toBeGreaterThan(0);
    expect(run.params).toMatchObject({ model: 'logistic_regression', target: 'weather', features: 'precipitation,temp_max,temp_min,wind', holdout_rows: '92', train_rows: '639' });
    expect(run.code_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.dataset_version_id).toBeTruthy();
    expect(run.gate).toMatchObject({ passed: true, checks: [{ metric: 'accuracy', op: '>=', threshold: 0.5, value: run.metrics.accuracy, passed: true }] });
    const model = await call(t.app, 'GET', `${base}/models/weather-lr`, admin);
    expect(model.body.aliases).toEqual({ champion: 1 });
    const version = await call(t.app, 'GET', `${base}/models/weather-lr/versions/1`, admin);
    expect(version.body).toMatchObject({ run_id: run.id, dataset_version_id: run.dataset_version_id });
    // The run is finished before the job's process reports back: wait for the job to close too.
    let done = await call(t.app, 'GET', `${base}/jobs/${queued.body.job_id}`, admin);
    for (let i = 0; i < 100 && done.body.status === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      done = await call(t.app, 'GET', `${base}/jobs/${queued.body.job_id}`, admin);
    }
    expect(done.body).toMatchObject({ status: 'succeeded', progress: 1 });
  }, 60_000);

  it('blocks registration when the gate fails, with a readable report', async () => {
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.99 }, macro_f1: { min: 0.1 } } });
    const queued = await call(t.app, 'POST', `${base}/runs`, admin, { ...SPEC, register: { model: 'never-registered' } });
    const run = await finished(queued.body.id);
    expect(run.status).toBe('finished');
    expect(run.gate.passed).toBe(false);
    expect(run.gate.summary).toBe(`failed: accuracy ${run.metrics.accuracy.toFixed(4)} is below the minimum 0.9900`);
    expect(run.model_version_id).toBeNull();
    expect((await call(t.app, 'GET', `${base}/models/never-registered`, admin)).status).toBe(404);
  }, 60_000);

  it('refuses bad training specs with 4xx naming the field, and queues nothing', async () => {
    const before = (await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length;
    const cases: Array<[unknown, number, string]> = [
      [{ ...SPEC, dataset: 'nope' }, 404, 'not_found'],
      [{ ...SPEC, features: [{ name: 'humidity', kind: 'numeric' }] }, 400, 'body.features.0.name'],
      [{ ...SPEC, target: 'nope' }, 400, 'body.target'],
      [{ ...SPEC, time_column: 'wind' }, 400, 'body.time_column'],
      [{ ...SPEC, holdout: { from: '2014-01-01', to: '2013-10-01' } }, 400, 'body.holdout.from'],
      [{ ...SPEC, features: [] }, 400, 'body.features'],
      [{ ...SPEC, holdout: { from: 'yesterday', to: '2014-01-01' } }, 400, 'body.holdout.from'],
    ];
    for (const [body, status, field] of cases) {
      const r = await call(t.app, 'POST', `${base}/runs`, admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      if (status === 400) expect(r.body.error.details.field).toBe(field);
    }
    expect((await call(t.app, 'GET', `${base}/runs`, admin)).body.items.length).toBe(before);
  });

  it('refuses bad policies, monitors, windows and retraining requests', async () => {
    const minMax = await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.9, max: 0.1 } } });
    expect(minMax.status).toBe(400);
    expect(minMax.body.error.details.field).toBe('body.thresholds.accuracy.min');
    const empty = await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: {} } });
    expect(empty.body.error.details.field).toBe('body.thresholds.accuracy');
    const version = (await call(t.app, 'GET', `${base}/datasets/weather/versions/1`, admin)).body;
    const monitor = { name: 'm', deployment: 'd', reference_dataset_version_id: version.id, features: ['weather'], baseline: { accuracy: 0.5 } };
    const nonNumeric = await call(t.app, 'POST', `${base}/monitors`, admin, monitor);
    expect(nonNumeric.status).toBe(400);
    expect(nonNumeric.body.error.details.field).toBe('body.features.0');
    const unknownRef = await call(t.app, 'POST', `${base}/monitors`, admin, { ...monitor, features: ['wind'], reference_dataset_version_id: 'nope' });
    expect(unknownRef.status).toBe(404);
    expect((await call(t.app, 'POST', `${base}/monitors`, admin, { ...monitor, features: ['wind'] })).status).toBe(201);
    const month = await call(t.app, 'POST', `${base}/monitors/m/windows`, admin, { month: '2014-13' });
    expect(month.status).toBe(400);
    expect(month.body.error.message).toContain('body.month: must be YYYY-MM');
    const retrain = await call(t.app, 'POST', `${base}/retraining`, admin, {
      model: 'nope', deployment: 'd', monitor: 'm', dataset: 'weather', history_version: 1, holdout_month: '2014-01',
      base_spec: { features: FEATURES, target: 'weather', time_column: 'date' },
    });
    expect(retrain.status).toBe(404);
    expect(retrain.body.error.details).toMatchObject({ what: 'model' });
  });
});
