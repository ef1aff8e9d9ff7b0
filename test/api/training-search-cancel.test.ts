// Cancelling a hyper-parameter search, on both databases, through a real job process: the trials
// that are fitting stop at once (their worker threads are terminated, long before they could
// have finished) and are KILLED, as MLflow marks a stopped run, the trials that never started are
// KILLED too, the parent run is KILLED saying the search was cancelled, and the job is cancelled.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/storage/jobs/worker-pool.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';
import { seedWeatherProject } from '../support/weather.js';

const SPEC = {
  dataset: 'weather',
  target: 'weather',
  features: ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' })),
  time_column: 'date',
  holdout: { from: '2013-10-01', to: '2014-01-01' },
  experiment: 'cancel',
  algorithm: 'gbdt',
  // Far more boosting rounds than a test could wait for: a trial left to finish would take minutes.
  params: { max_iter: 100_000, early_stopping: false, learning_rate: 0.001 },
};
const SEARCH = { method: 'grid', params: { max_leaf_nodes: [31, 30, 29] }, metric: 'accuracy', parallelism: 2 };
const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`cancelling a search (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let pool: WorkerPool;
    const base = '/api/v1/projects/p';
    const get = async (path: string) => (await call(t.app, 'GET', `${base}${path}`, admin)).body;

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      await seedWeatherProject(t.app, admin, 'p');
      // A short lease, so the job process hears of the cancel within a second (lease / 3).
      pool = new WorkerPool({
        queue: t.platform.queue,
        childEntry: fileURLToPath(new URL('../../src/platform/job-child.ts', import.meta.url)),
        concurrency: 1,
        leaseMs: 3000,
        pollMs: 50,
        env: { FLYWHEEL_HOME: t.platform.config.home, FLYWHEEL_DATABASE_URL: t.platform.config.databaseUrl, FLYWHEEL_ARTIFACTS: t.platform.config.artifactsUrl },
        logger: QUIET,
      });
      pool.start();
    }, 60_000);
    afterAll(async () => {
      await pool?.stop();
      await t?.close();
    });

    it('stops the running trials at once and records them, the unstarted one and the search as killed', async () => {
      const queued = await call(t.app, 'POST', `${base}/searches`, admin, { ...SPEC, search: SEARCH });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const parentId = queued.body.id as string;

      // Wait until two trials are fitting (the third waits for a free lane).
      const deadline = Date.now() + 60_000;
      let trials = await get(`/runs/${parentId}/trials`);
      while (trials.items.filter((x: { status: string }) => x.status === 'running').length < 2) {
        expect(Date.now(), JSON.stringify(trials.items)).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 100));
        trials = await get(`/runs/${parentId}/trials`);
      }
      // Give the worker threads time to be well into their fits.
      await new Promise((r) => setTimeout(r, 1000));

      const asked = Date.now();
      const cancel = await call(t.app, 'POST', `${base}/jobs/${queued.body.job_id}/cancel`, admin);
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
      let job = await get(`/jobs/${queued.body.job_id}`);
      while (job.status === 'running') {
        expect(Date.now() - asked, 'the search job should stop within seconds of its cancel').toBeLessThan(15_000);
        await new Promise((r) => setTimeout(r, 100));
        job = await get(`/jobs/${queued.body.job_id}`);
      }
      const took = Date.now() - asked;
      expect(job.status).toBe('cancelled');
      // The heartbeat (every second here) hears of it, then the threads are terminated at once,
      // well inside the 5 s a job process gets before it is killed outright.
      expect(took).toBeLessThan(5000);

      trials = await get(`/runs/${parentId}/trials`);
      expect(trials.items.map((x: { status: string }) => x.status)).toEqual(['killed', 'killed', 'killed']);
      const [first, second, third] = trials.items as Array<{ run_id: string; error: string; value: number | null }>;
      for (const x of [first, second]) expect(x.error).toMatch(/cancelled while this trial ran/);
      expect(third.error).toMatch(/cancelled before this trial started/);
      for (const x of trials.items) {
        const child = await get(`/runs/${x.run_id}`);
        expect(child).toMatchObject({ status: 'killed', model_artifact_sha256: null });
        expect(child.end_time).toBeGreaterThanOrEqual(asked);
      }
      const parent = await get(`/runs/${parentId}`);
      expect(parent.status).toBe('killed');
      expect(parent.error).toMatch(/^the search was cancelled: 0 of 3 trials had finished/);
      expect(parent.model_version_id).toBeNull();
      // MLflow clients see the runs as KILLED.
      const token = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'mlflow', role: 'viewer', project: 'p' });
      const mlflow = await call(t.app, 'GET', `/api/2.0/mlflow/runs/get?run_id=${first.run_id}`, bearer(token.body.secret));
      expect(mlflow.body.run?.info?.status, JSON.stringify(mlflow.body)).toBe('KILLED');
      const audit = (await get('/audit')).items as Array<{ action: string; outcome: string }>;
      expect(audit.some((e) => e.action === 'job.cancel' && e.outcome === 'success')).toBe(true);
    }, 120_000);
  });
}
