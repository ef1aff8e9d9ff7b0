// MLflow's artifact APIs on every database: upload and download through /api/2.0/mlflow-artifacts
// (raw bodies, streamed, larger than the JSON body limit), listings through both
// /api/2.0/mlflow/artifacts/list and mlflow-artifacts, paths that would escape the run refused
// with nothing written, one audit event per upload, and the tracking routes' access rules.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers, addMember } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`MLflow artifacts (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let ds: Headers;
    let viewer: Headers;
    let experimentId: string;
    let runId: string;
    let base: string;

    const put = (path: string, payload: Buffer | string, as: Headers = ds, contentType = 'application/octet-stream') =>
      t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${path}`, headers: { ...as, 'content-type': contentType }, payload });
    const download = (path: string, as: Headers = ds) => t.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${path}`, headers: as });
    const tokenFor = async (session: Headers, role: string) => {
      const r = await call(t.app, 'POST', '/api/v1/tokens', session, { name: `t-${Math.random().toString(36).slice(2, 8)}`, role, project: 'ml' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return bearer(r.body.secret);
    };
    const listRun = async (path?: string) => {
      const r = await call(t.app, 'GET', `/api/2.0/mlflow/artifacts/list?${new URLSearchParams({ run_id: runId, ...(path !== undefined ? { path } : {}) })}`, ds);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ml' })).status).toBe(201);
      for (const [u, role] of [['dana', 'data-scientist'], ['vic', 'viewer']]) {
        await addMember(t.app, admin, 'ml', u, PASSWORD, role);
      }
      ds = await tokenFor(await signIn(t.app, 'dana', PASSWORD), 'data-scientist');
      viewer = await tokenFor(await signIn(t.app, 'vic', PASSWORD), 'viewer');
      const e = await call(t.app, 'POST', '/api/2.0/mlflow/experiments/create', ds, { name: 'artifacts' });
      experimentId = e.body.experiment_id;
      const r = await call(t.app, 'POST', '/api/2.0/mlflow/runs/create', ds, { experiment_id: experimentId, start_time: Date.now() });
      runId = r.body.run.info.run_id;
      expect(r.body.run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
      base = `${experimentId}/${runId}/artifacts`;
    }, 60_000);
    afterAll(() => t?.close());

    it('uploads raw bodies, downloads the same bytes and lists files and directories like ListArtifacts', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // larger than the JSON body limit: streamed
      expect((await put(`${base}/model/model.onnx`, big)).statusCode).toBe(200);
      const up = await put(`${base}/notes.txt`, 'hello artifacts\n', ds, 'text/plain');
      expect(up.statusCode, up.body).toBe(200);
      expect(JSON.parse(up.body)).toEqual({});
      expect((await put(`${base}/model/conf/params.json`, '{"a":1}', ds, 'application/json')).statusCode).toBe(200);

      const got = await download(`${base}/model/model.onnx`);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/octet-stream');
      expect(sha256(got.rawPayload)).toBe(sha256(big));
      expect((await download(`${base}/notes.txt`)).body).toBe('hello artifacts\n');
      expect((await download(`${base}/model/conf/params.json`)).body).toBe('{"a":1}');

      expect(await listRun()).toEqual({
        root_uri: `mlflow-artifacts:/${base}`,
        files: [
          { path: 'model', is_dir: true },
          { path: 'notes.txt', is_dir: false, file_size: 16 },
        ],
      });
      expect((await listRun('model')).files).toEqual([
        { path: 'model/conf', is_dir: true },
        { path: 'model/model.onnx', is_dir: false, file_size: big.length },
      ]);
      expect((await listRun('nothing-here')).files).toBeUndefined();

      const proxied = await call(t.app, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${base}/model`)}`, ds);
      expect(proxied.status).toBe(200);
      expect(proxied.body).toEqual({ files: [{ path: 'conf', is_dir: true }, { path: 'model.onnx', is_dir: false, file_size: big.length }] });
      const root = await call(t.app, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(base)}`, viewer);
      expect(root.body.files.map((f: { path: string }) => f.path)).toEqual(['model', 'notes.txt']);
    });

    it('records one audit event per upload with the stored digest, and replaces a re-uploaded path', async () => {
      expect((await put(`${base}/again.txt`, 'v1')).statusCode).toBe(200);
      expect((await put(`${base}/again.txt`, 'version 2')).statusCode).toBe(200);
      expect((await download(`${base}/again.txt`)).body).toBe('version 2');
      const audit = await call(t.app, 'GET', '/api/v1/projects/ml/audit?limit=200', admin);
      const uploads = audit.body.items.filter((e: { action: string; details: { path?: string } }) => e.action === 'run.artifact.upload' && e.details.path === 'again.txt');
      expect(uploads).toHaveLength(2);
      expect(uploads.map((e: { details: { sha256: string } }) => e.details.sha256).sort()).toEqual([sha256('v1'), sha256('version 2')].sort());
      expect(uploads.every((e: { target_ids: { run: string }; outcome: string }) => e.target_ids.run === runId && e.outcome === 'success')).toBe(true);
    });

    it.each([
      ['a parent segment', '..%2Fescape.txt'],
      ['a nested parent segment', 'a/%2E%2E/%2E%2E/escape.txt'],
      ['an absolute path', '%2Fetc%2Fpasswd'],
      ['a backslash', 'a%5Cescape.txt'],
      ['a NUL byte', 'escape%00.txt'],
      ['an empty segment', 'a//escape.txt'],
      ['no path at all', ''],
    ])('refuses %s with INVALID_PARAMETER_VALUE and writes nothing', async (_what, path) => {
      const r = await put(`${base}/${path}`, 'nope');
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/artifact path/) });
      const d = await download(`${base}/${path}`);
      expect(d.statusCode).toBe(400);
      const listed = await listRun();
      expect(JSON.stringify(listed)).not.toMatch(/escape|passwd/);
    });

    it('refuses escaping listing paths and a file where a directory is (or the reverse)', async () => {
      const bad = await call(t.app, 'GET', `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=..%2F..`, ds);
      expect(bad.status).toBe(400);
      expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      const badProxy = await call(t.app, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${base}/../x`)}`, ds);
      expect(badProxy.status).toBe(400);
      expect((await put(`${base}/notes.txt/inside`, 'x')).statusCode).toBe(400);
      expect((await put(`${base}/model`, 'x')).statusCode).toBe(400);
      expect((await download(`${base}/notes.txt`)).body).toBe('hello artifacts\n');
    });

    it('answers RESOURCE_DOES_NOT_EXIST for unknown files, runs and a run outside the experiment', async () => {
      const missing = await download(`${base}/missing.bin`);
      expect(missing.statusCode).toBe(404);
      expect(JSON.parse(missing.body).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect((await download(`0/${runId}/artifacts/notes.txt`)).statusCode).toBe(404);
      expect((await put(`${experimentId}/not-a-run/artifacts/x.txt`, 'x')).statusCode).toBe(404);
      expect((await call(t.app, 'GET', '/api/2.0/mlflow/artifacts/list?run_id=not-a-run', ds)).status).toBe(404);
    });

    it('uses the tracking routes\' access rules: a token is needed, viewers read but do not write', async () => {
      expect((await put(`${base}/anon.txt`, 'x', {})).statusCode).toBe(401);
      const refused = await put(`${base}/viewer.txt`, 'x', viewer);
      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body).error_code).toBe('PERMISSION_DENIED');
      const audit = await call(t.app, 'GET', '/api/v1/projects/ml/audit?limit=200', admin);
      expect(audit.body.items.filter((e: { action: string; outcome: string }) => e.action === 'mlflow-artifacts.upload' && e.outcome !== 'success')).toHaveLength(1);
      expect((await download(`${base}/notes.txt`, viewer)).body).toBe('hello artifacts\n');
      expect((await download(`${base}/notes.txt`, {})).statusCode).toBe(401);
      expect((await listRun()).files.map((f: { path: string }) => f.path)).not.toContain('viewer.txt');
    });

    it('refuses uploads to a deleted run', async () => {
      const r = await call(t.app, 'POST', '/api/2.0/mlflow/runs/create', ds, { experiment_id: experimentId });
      const id = r.body.run.info.run_id;
      expect((await call(t.app, 'POST', '/api/2.0/mlflow/runs/delete', ds, { run_id: id })).status).toBe(200);
      const up = await put(`${experimentId}/${id}/artifacts/late.txt`, 'x');
      expect(up.statusCode).toBe(400);
      expect(JSON.parse(up.body).message).toMatch(/active/);
    });
  });
}
