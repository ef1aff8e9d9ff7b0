// Bring your own trainer, end to end: a command run executes examples/sklearn-trainer/train.py
// (Debian's scikit-learn) in a job process against a listening server; the script reads the CSV
// Flywheel wrote, logs params and metrics through the MLflow REST API with the run's token, and
// writes a hand-built ONNX model, which Flywheel loads, keeps, judges and registers; onnxruntime
// reproduces the scikit-learn probabilities the script uploaded; the token is revoked afterwards.
// A failing command, one that writes no model or junk, one that runs too long and a missing
// program fail the run with the reason and keep the log; bad requests answer 4xx naming the
// field; a server without FLYWHEEL_ALLOW_COMMANDS=1 refuses (403).
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/platform/workers.js';
import { readArtifact } from '../../src/services/serving/artifact-bytes.js';
import type { WorkerPool } from '../../src/storage/jobs/worker-pool.js';
import { pythonHas } from '../fixtures/ml/python.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, startTestServer, type TestServer } from '../support/server.js';

const PYTHON = '/usr/bin/python3';
const HAS_PEERS = pythonHas(PYTHON, ['sklearn', 'numpy', 'onnx']);
if (!HAS_PEERS) console.warn(`SKIPPED: the sklearn trainer example — ${PYTHON} lacks scikit-learn or onnx (apt-get install -y python3-sklearn python3-onnx)`);

const TRAINER = join(import.meta.dirname, '../../examples/sklearn-trainer/train.py');
const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'];

describe('command runs (bring your own trainer)', () => {
  let t: TestServer;
  let admin: Headers;
  const base = '/api/v1/projects/p';

  const waitJob = async (jobId: string) => {
    for (;;) {
      const job = (await call(t.app, 'GET', `${base}/jobs/${jobId}`, admin)).body;
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const artifact = async (runId: string, path: string) => {
    const run = (await call(t.app, 'GET', `${base}/runs/${runId}`, admin)).body;
    const entry = await t.platform.store.runArtifacts.get(run.id, path);
    return entry ? new TextDecoder().decode(await readArtifact(t.platform.artifacts, entry.sha256)) : undefined;
  };

  beforeAll(async () => {
    t = await startTestServer({ env: { FLYWHEEL_ALLOW_COMMANDS: '1' } });
    admin = await signIn(t.app, t.admin.username, t.admin.password);
    await seedWeatherProject(t.app, admin, 'p');
    await call(t.app, 'PUT', `${base}/validation-policy`, admin, { thresholds: { accuracy: { min: 0.5 } } });
  }, 60_000);
  afterAll(() => t?.close());

  it.skipIf(!HAS_PEERS)('runs the scikit-learn example in a job, collects its ONNX model, registers it, and revokes its token', async () => {
    // The job processes reach this server at its real address.
    t.platform.config.publicUrl = t.url;
    const pool: WorkerPool = startWorkers(t.platform, pino({ level: 'silent' }));
    try {
      const command = [PYTHON, TRAINER, '--target', 'weather', '--features', FEATURES.join(','), '--time-column', 'date', '--holdout-from', '2013-10-01', '--C', '0.5'];
      const queued = await call(t.app, 'POST', `${base}/command-runs`, admin, { dataset: 'weather', experiment: 'byo', command, timeout_seconds: 120, register: { model: 'byo', alias: 'champion' } });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      expect(queued.body.spec).toMatchObject({ kind: 'command', command, version: 1, timeout_seconds: 120 });
      const job = await waitJob(queued.body.job_id);
      const run = (await call(t.app, 'GET', `${base}/runs/${queued.body.id}`, admin)).body;
      const log = await artifact(run.id, 'flywheel/command.log');
      expect(job.status, `${job.last_error}\n${log}`).toBe('succeeded');
      expect(job.task).toBe('training.command');
      expect(run.status, run.error).toBe('finished');
      expect(log).toContain('training on 639 rows, holding out 92');
      // Logged by the script through the MLflow API, beside what Flywheel records of the command.
      expect(run.params).toMatchObject({ trainer: 'sklearn.LogisticRegression', C: '0.5', target: 'weather', train_rows: '639' });
      expect(run.tags).toMatchObject({ 'flywheel.dataset': 'weather', 'flywheel.dataset_version': '1', 'flywheel.data_rows': '731' });
      expect(run.metrics.accuracy).toBeGreaterThan(0.5);
      expect(run.tags).toMatchObject({ 'flywheel.exit_code': '0', 'flywheel.model_contract': 'ok', 'mlflow.source.name': 'examples/sklearn-trainer/train.py' });
      expect(run.gate.passed).toBe(true);
      expect(run.gate.basis.note).toContain('recorded metrics');
      expect((await call(t.app, 'GET', `${base}/models/byo`, admin)).body.aliases).toEqual({ champion: 1 });

      // onnxruntime on the collected model reproduces scikit-learn's probabilities.
      const sample = JSON.parse((await artifact(run.id, 'sklearn-sample.json'))!) as { features: string[]; classes: string[]; rows: number[][]; probabilities: number[][] };
      const session = await ort.InferenceSession.create(await readArtifact(t.platform.artifacts, run.model_artifact_sha256));
      const feeds = Object.fromEntries(sample.features.map((f, j) => [f, new ort.Tensor('float32', Float32Array.from(sample.rows, (r) => r[j]), [sample.rows.length, 1])]));
      const out = await session.run(feeds);
      const probs = out.probabilities.data as Float32Array;
      sample.probabilities.flat().forEach((p, i) => expect(Math.abs(probs[i] - p)).toBeLessThan(1e-5));
      expect(await artifact(run.id, 'model/model.onnx')).toBeDefined();

      const tokens = (await call(t.app, 'GET', '/api/v1/tokens?limit=1000', admin)).body.items;
      const token = tokens.find((x: { name: string }) => x.name === `run ${run.id}`);
      expect(token).toMatchObject({ role: 'data-scientist', project: 'p' });
      expect(token.revoked_at).not.toBeNull();
    } finally {
      await pool.stop();
    }
  }, 180_000);

  it('fails runs whose command fails, writes no model or junk, runs too long or cannot start, keeping the log', async () => {
    const cases: Array<[string[], string, string?]> = [
      [['sh', '-c', 'echo boom >&2; exit 3'], 'the command exited with code 3', 'boom'],
      [['sh', '-c', 'test -s "$FLYWHEEL_DATA_CSV" && test -s "$FLYWHEEL_DATA_PARQUET" && echo "rows $FLYWHEEL_DATA_ROWS"'], 'wrote no model at FLYWHEEL_MODEL_PATH', 'rows 731'],
      [['sh', '-c', 'echo junk > "$FLYWHEEL_MODEL_PATH"'], 'not a loadable ONNX model'],
      [['sleep', '30'], 'ran past its timeout of 1 s', 'was stopped'],
      [['/no/such/program'], "cannot start '/no/such/program'"],
    ];
    const ids: string[] = [];
    for (const [command] of cases) {
      const r = await call(t.app, 'POST', `${base}/command-runs`, admin, { dataset: 'weather', command, timeout_seconds: 1 });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      ids.push(r.body.id);
    }
    const ran = await runQueuedJobs(t.platform, ['training.command']);
    expect(ran.map((j) => j.error ?? 'succeeded').every((e) => e !== 'succeeded')).toBe(true);
    for (const [i, [, reason, logged]] of cases.entries()) {
      const run = (await call(t.app, 'GET', `${base}/runs/${ids[i]}`, admin)).body;
      expect(run.status).toBe('failed');
      expect(run.error).toContain(reason);
      expect(run.model_artifact_sha256).toBeNull();
      const log = await artifact(run.id, 'flywheel/command.log');
      if (logged) expect(log).toContain(logged);
    }
  }, 60_000);

  it('refuses bad requests naming the field, and any request on a server that does not allow commands', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ dataset: 'weather', command: [] }, 400, 'body.command'],
      [{ dataset: 'weather', command: [''] }, 400, 'body.command'],
      [{ dataset: 'weather', command: ['true'], cwd: 'relative/dir' }, 400, 'body.cwd'],
      [{ dataset: 'weather', command: ['true'], env: { MLFLOW_RUN_ID: 'x' } }, 400, 'body.env.MLFLOW_RUN_ID'],
      [{ dataset: 'weather', command: ['true'], env: { 'BAD-NAME': 'x' } }, 400, 'body.env.BAD-NAME'],
      [{ dataset: 'weather', command: ['true'], timeout_seconds: 0 }, 400, 'body.timeout_seconds'],
      [{ dataset: 'nope', command: ['true'] }, 404, 'dataset'],
    ];
    for (const [body, status, field] of cases) {
      const r = await call(t.app, 'POST', `${base}/command-runs`, admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(JSON.stringify(r.body.error)).toContain(field);
    }
    const closed = await createTestApp();
    try {
      const h = await signIn(closed.app, closed.admin.username, closed.admin.password);
      await call(closed.app, 'POST', '/api/v1/projects', h, { name: 'p' });
      const r = await call(closed.app, 'POST', `${base}/command-runs`, h, { dataset: 'weather', command: ['true'] });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain('FLYWHEEL_ALLOW_COMMANDS=1');
    } finally {
      await closed.close();
    }
  });
});
