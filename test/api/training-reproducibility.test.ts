// Reproducibility: the same dataset version, params and seed give the same model bytes (the ONNX
// file's sha256, and the model JSON's) and the same metrics, for every built-in trainer: logistic
// regression, linear (ridge) regression and gradient-boosted trees (with row and column
// subsampling, so the seed matters); another seed gives other trees.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '../../src/services/serving/artifact-bytes.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const NUMERIC = ['precipitation', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' }));
const BASE = { dataset: 'weather', version: 1, time_column: 'date', holdout: { from: '2013-10-01', to: '2014-01-01' } };
const SPECS: Record<string, object> = {
  logistic_regression: { ...BASE, target: 'weather', features: [...NUMERIC, { name: 'temp_max', kind: 'numeric' }], params: { l2: 0.5 }, seed: 3 },
  linear_regression: { ...BASE, target: 'temp_max', features: [...NUMERIC, { name: 'weather', kind: 'categorical' }], algorithm: 'linear_regression', params: { l2: 2 }, seed: 3 },
  gbdt: { ...BASE, target: 'weather', features: [...NUMERIC, { name: 'temp_max', kind: 'numeric' }], algorithm: 'gbdt', params: { max_iter: 25, subsample: 0.7, colsample_bytree: 0.6, early_stopping: false }, seed: 3 },
};

describe('reproducible training', () => {
  let t: TestApp;
  let admin: Headers;
  const base = '/api/v1/projects/p';

  async function trainTwice(spec: object) {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await call(t.app, 'POST', `${base}/runs`, admin, spec)).body.id);
    await runQueuedJobs(t.platform);
    return Promise.all(ids.map(async (id) => (await call(t.app, 'GET', `${base}/runs/${id}`, admin)).body));
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, t.admin.username, t.admin.password);
    await seedWeatherProject(t.app, admin, 'p');
  }, 60_000);
  afterAll(() => t?.close());

  it.each(Object.keys(SPECS))('%s: same data version, params and seed → same ONNX sha256, model JSON and metrics', async (name) => {
    const [a, b] = await trainTwice(SPECS[name]);
    expect(a.status, a.error).toBe('finished');
    expect(b.status, b.error).toBe('finished');
    expect(a.dataset_version_id).toBe(b.dataset_version_id);
    const bytes = await readArtifact(t.platform.artifacts, a.model_artifact_sha256);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.model_artifact_sha256);
    expect(b.model_artifact_sha256).toBe(a.model_artifact_sha256);
    expect(b.tags['flywheel.model_json_sha256']).toBe(a.tags['flywheel.model_json_sha256']);
    expect(b.metrics).toEqual(a.metrics);
    expect(Object.keys(a.metrics).length).toBeGreaterThan(2);
  }, 60_000);

  it('gbdt with another seed subsamples other rows and gives another model', async () => {
    const [a] = await trainTwice(SPECS.gbdt);
    const [c] = await trainTwice({ ...SPECS.gbdt, seed: 4 });
    expect(c.model_artifact_sha256).not.toBe(a.model_artifact_sha256);
  }, 60_000);
});
