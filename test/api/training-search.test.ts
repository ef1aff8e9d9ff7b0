// Hyper-parameter search over HTTP: a grid runs every combination as child runs of a parent run
// (tag mlflow.parentRunId) in a background job, side by side on worker threads; the best trial by
// the validation metric gives the parent its params, metrics and model, which the gate judges and
// the registry takes; a seeded random search draws the same trials again and fits them to the same
// bytes whether one or two run at once; bad searches answer 400 naming the field and write nothing.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/platform/workers.js';
import type { WorkerPool } from '../../src/storage/jobs/worker-pool.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const SPEC = {
  dataset: 'weather',
  target: 'weather',
  features: [
    { name: 'precipitation', kind: 'numeric' },
    { name: 'temp_max', kind: 'numeric' },
    { name: 'temp_min', kind: 'numeric' },
    { name: 'wind', kind: 'numeric' },
  ],
  time_column: 'date',
  holdout: { from: '2013-10-01', to: '2014-01-01' },
  experiment: 'tuning',
};
const GRID = { method: 'grid', params: { l2: [0.001, 1, 1000] }, metric: 'accuracy' };

describe('hyper-parameter search over HTTP', () => {
  let t: TestApp;
  let admin: Headers;
  const base = '/api/v1/projects/p';
  const runs = async () => (await call(t.app, 'GET', `${base}/runs?limit=1000`, admin)).body.items.length;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, t.admin.username, t.admin.password);
    await seedWeatherProject(t.app, admin, 'p');
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.5 } } });
  }, 60_000);
  afterAll(() => t?.close());

  it('runs a grid as child runs in a job process, makes the best trial the parent’s model, and registers it', async () => {
    const pool: WorkerPool = startWorkers(t.platform, pino({ level: 'silent' }));
    try {
      const queued = await call(t.app, 'POST', `${base}/searches`, admin, { ...SPEC, search: { ...GRID, parallelism: 2 }, register: { model: 'tuned', alias: 'champion' } });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      expect(queued.body).toMatchObject({ status: 'queued', tags: { 'flywheel.search': 'grid' } });
      let job;
      for (;;) {
        job = (await call(t.app, 'GET', `${base}/jobs/${queued.body.job_id}`, admin)).body;
        if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(job.status, job.last_error).toBe('succeeded');
      expect(job.task).toBe('training.search');
      expect(job.progress).toBe(1);

      const parent = (await call(t.app, 'GET', `${base}/runs/${queued.body.id}`, admin)).body;
      const trials = (await call(t.app, 'GET', `${base}/runs/${parent.id}/trials`, admin)).body;
      expect(trials).toMatchObject({ method: 'grid', metric: 'accuracy', direction: 'maximize' });
      expect(trials.items.map((x: { params: unknown }) => x.params)).toEqual([{ l2: 0.001 }, { l2: 1 }, { l2: 1000 }]);
      const children = [];
      for (const trial of trials.items) {
        expect(trial.status, trial.error).toBe('finished');
        const child = (await call(t.app, 'GET', `${base}/runs/${trial.run_id}`, admin)).body;
        expect(child.tags['mlflow.parentRunId']).toBe(parent.id);
        expect(child.params.l2).toBe(String(trial.params.l2));
        expect(child.metrics.val_accuracy).toBe(trial.value);
        expect(child.metrics.accuracy).toBeGreaterThan(0); // the holdout, as a single run logs it
        children.push(child);
      }
      const values = trials.items.map((x: { value: number }) => x.value);
      const best = values.indexOf(Math.max(...values));
      expect(trials.best_trial).toBe(best);
      expect(parent.status, parent.error).toBe('finished');
      expect(parent.params).toMatchObject({ l2: String(trials.items[best].params.l2), search_method: 'grid', search_metric: 'accuracy', trials: '3', trials_failed: '0' });
      expect(parent.metrics.val_accuracy).toBe(values[best]);
      expect(parent.metrics.accuracy).toBe(children[best].metrics.accuracy);
      expect(parent.model_artifact_sha256).toBe(children[best].model_artifact_sha256);
      expect(parent.tags['flywheel.best_trial_run_id']).toBe(children[best].id);
      expect(parent.gate.passed).toBe(true);
      expect((await call(t.app, 'GET', `${base}/models/tuned`, admin)).body.aliases).toEqual({ champion: 1 });
      const { model } = await t.platform.services.training.loadModel(parent.id);
      expect(model.kind).toBe('logistic_regression');
    } finally {
      await pool.stop();
    }
  }, 120_000);

  it('draws the same random trials for the same seed, fitted to the same bytes one or two at a time', async () => {
    const search = { method: 'random', n_trials: 4, seed: 11, metric: 'macro_f1', params: { learning_rate: { log_uniform: [0.03, 0.3] }, max_leaf_nodes: { int: [4, 16] }, early_stopping: { choice: [false] } } };
    const body = { ...SPEC, algorithm: 'gbdt', params: { max_iter: 15 }, seed: 5 };
    const a = await call(t.app, 'POST', `${base}/searches`, admin, { ...body, search: { ...search, parallelism: 2 } });
    const b = await call(t.app, 'POST', `${base}/searches`, admin, { ...body, search: { ...search, parallelism: 1 } });
    expect([a.status, b.status]).toEqual([202, 202]);
    await runQueuedJobs(t.platform);
    const [ta, tb] = await Promise.all([a, b].map(async (r) => (await call(t.app, 'GET', `${base}/runs/${r.body.id}/trials`, admin)).body));
    expect(ta.items.map((x: { params: unknown }) => x.params)).toEqual(tb.items.map((x: { params: unknown }) => x.params));
    for (const x of ta.items) {
      expect(x.params.learning_rate).toBeGreaterThanOrEqual(0.03);
      expect(x.params.learning_rate).toBeLessThanOrEqual(0.3);
      expect(Number.isInteger(x.params.max_leaf_nodes) && x.params.max_leaf_nodes >= 4 && x.params.max_leaf_nodes <= 16).toBe(true);
    }
    const shas = async (items: Array<{ run_id: string }>) => Promise.all(items.map(async (x) => (await call(t.app, 'GET', `${base}/runs/${x.run_id}`, admin)).body.model_artifact_sha256));
    expect(await shas(ta.items)).toEqual(await shas(tb.items));
    expect(ta.items.map((x: { value: number }) => x.value)).toEqual(tb.items.map((x: { value: number }) => x.value));
    const [pa, pb] = await Promise.all([a, b].map(async (r) => (await call(t.app, 'GET', `${base}/runs/${r.body.id}`, admin)).body));
    expect(pa.status, pa.error).toBe('finished');
    expect(pa.model_artifact_sha256).toBe(pb.model_artifact_sha256);
  }, 120_000);

  it('searches a regression by rmse, lower being better', async () => {
    const r = await call(t.app, 'POST', `${base}/searches`, admin, {
      ...SPEC,
      target: 'temp_max',
      features: SPEC.features.filter((f) => f.name !== 'temp_max'),
      algorithm: 'linear_regression',
      search: { method: 'grid', params: { l2: [0.1, 10000] }, metric: 'rmse' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    await runQueuedJobs(t.platform);
    const trials = (await call(t.app, 'GET', `${base}/runs/${r.body.id}/trials`, admin)).body;
    expect(trials.direction).toBe('minimize');
    expect(trials.items[0].value).toBeLessThan(trials.items[1].value); // a huge penalty fits worse
    expect(trials.best_trial).toBe(0);
  }, 60_000);

  it('refuses bad searches with 400 naming the field, and writes nothing', async () => {
    const before = await runs();
    const cases: Array<[unknown, string]> = [
      [{ ...GRID, params: { l2: [1], foo: [1, 2] } }, 'body.search.params.foo'],
      [{ ...GRID, params: { learning_rate: [0.1] } }, 'body.search.params.learning_rate'],
      [{ ...GRID, params: { l2: [] } }, 'body.search.params.l2'],
      [{ ...GRID, params: {} }, 'body.search.params'],
      [{ ...GRID, params: { l2: [-1, 1] } }, 'body.search.params.l2'],
      [{ ...GRID, params: { l2: Array.from({ length: 15 }, (_, i) => i + 1), max_iter: Array.from({ length: 15 }, (_, i) => i + 100) } }, 'body.search.params'],
      [{ ...GRID, params: { l2: { uniform: [0.1, 1] } } }, 'body.search.params.l2'],
      [{ ...GRID, n_trials: 3 }, 'body.search.n_trials'],
      [{ method: 'random', n_trials: 500, params: { l2: { uniform: [0.1, 1] } }, metric: 'accuracy' }, 'body.search.n_trials'],
      [{ method: 'random', params: { l2: { uniform: [0.1, 1] } }, metric: 'accuracy' }, 'body.search.n_trials'],
      [{ method: 'random', n_trials: 3, params: { l2: { normal: [0, 1] } }, metric: 'accuracy' }, 'body.search.params.l2'],
      [{ method: 'random', n_trials: 3, params: { l2: { log_uniform: [0, 1] } }, metric: 'accuracy' }, 'body.search.params.l2'],
      [{ method: 'random', n_trials: 3, params: { l2: { uniform: [2, 1] } }, metric: 'accuracy' }, 'body.search.params.l2'],
      [{ method: 'random', n_trials: 3, params: { max_iter: { int: [1.5, 9] } }, metric: 'accuracy' }, 'body.search.params.max_iter'],
      [{ ...GRID, metric: 'rmse' }, 'body.search.metric'],
      [{ ...GRID, method: 'bayes' }, 'body.search.method'],
    ];
    for (const [search, field] of cases) {
      const r = await call(t.app, 'POST', `${base}/searches`, admin, { ...SPEC, search });
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.details?.field ?? r.body.error.message, JSON.stringify(r.body)).toContain(field);
    }
    const both = await call(t.app, 'POST', `${base}/searches`, admin, { ...SPEC, params: { l2: 1 }, search: GRID });
    expect(both.status).toBe(400);
    expect(both.body.error.details.field).toBe('body.search.params.l2');
    expect(await runs()).toBe(before);
    const notSearch = await call(t.app, 'GET', `${base}/runs/01a22177-0000-7000-8000-000000000000/trials`, admin);
    expect(notSearch.status).toBe(404);
  });
});
