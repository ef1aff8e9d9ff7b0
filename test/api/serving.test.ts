// The deploy stage end to end on both databases: register fixture ONNX models, deploy, predict
// (rows and columns), check the probabilities against hand-computed softmax values, refuse bad
// input with a 400 naming the field, authorize per project role, log every prediction (read
// back after flush), recover a crashed process's open segment, and hot-swap under load.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isId } from '../../src/domain/ids.js';
import { expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { adminContext, openServingApp, projectAccess, registerFixture, SAMPLE_ROW, type ServingApp } from '../support/serving.js';

const ROWS = [
  SAMPLE_ROW,
  { precipitation: 0, temp_max: 24.4, temp_min: 13.9, wind: 1.2, station: 'south' },
  { precipitation: 12.7, temp_max: 4.4, temp_min: -2.1, wind: 6.8, station: 'north' },
  { precipitation: 0.3, temp_max: 11, temp_min: 5, wind: 2.5, station: 'elsewhere' },
];
const FEATURES = WEATHER_SPEC.features.map((f) => f.name);
const PASSWORD = 'a-long-enough-password';

function expectMatches(prediction: { label: string; probabilities: Record<string, number> }, spec: typeof WEATHER_SPEC, row: Record<string, unknown>) {
  const want = expectedPrediction(spec, row);
  expect(prediction.label).toBe(want.label);
  expect(Object.keys(prediction.probabilities)).toEqual(spec.classes);
  for (const c of spec.classes) expect(prediction.probabilities[c]).toBeCloseTo(want.probabilities[c], 6);
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`serving: registry, deployments, predict, prediction log (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let s: ServingApp;
    let admin: Headers;
    let adminPassword: string;
    const project = 'weather';
    const predict = (headers: Headers, body: unknown, deployment = 'weather-prod') => call(s.app, 'POST', `/api/v1/deployments/${deployment}/predict`, headers, body);

    beforeAll(async () => {
      s = await openServingApp({ databaseUrl: await target.freshUrl() });
      const boot = (await s.platform.services.users.bootstrapAdmin())!;
      adminPassword = boot.password;
      admin = await signIn(s.app, boot.user.username, boot.password);
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: project })).status).toBe(201);
      for (const [user, role] of [['dora', 'data-scientist'], ['otto', 'ops'], ['vera', 'viewer'], ['anna', 'annotator'], ['olga', null]] as const) {
        expect((await call(s.app, 'POST', '/api/v1/users', admin, { username: user, password: PASSWORD })).status).toBe(201);
        if (role) expect((await call(s.app, 'PUT', `/api/v1/projects/${project}/members/${user}`, admin, { role })).status).toBe(200);
      }
      await registerFixture(s.platform, project, 'weather', WEATHER_SPEC, { metrics: { accuracy: 0.81, macro_f1: 0.62 } });
      await registerFixture(s.platform, project, 'weather', WEATHER_SPEC_V2, { metrics: { accuracy: 0.84, macro_f1: 0.66 } });
    }, 120_000);
    afterAll(() => s?.close());

    it('lists registered versions with features, classes, metrics, gate and lineage; serves the ONNX bytes', async () => {
      const models = await call(s.app, 'GET', `/api/v1/projects/${project}/models`, admin);
      expect(models.body.items).toMatchObject([{ name: 'weather', latest_version: 2, aliases: {} }]);
      const versions = await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather/versions`, admin);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions.body.items[1]).toMatchObject({
        model: 'weather',
        features: WEATHER_SPEC.features.map(({ name, kind }) => ({ name, kind })),
        classes: WEATHER_SPEC.classes,
        metrics: { accuracy: 0.81, macro_f1: 0.62 },
        gate: { passed: true, summary: 'all checks passed' },
        run_id: 'run-fixture',
        dataset_version_id: 'dv-fixture',
      });
      const onnx = await s.app.inject({ method: 'GET', url: `/api/v1/projects/${project}/models/weather/versions/1/onnx`, headers: admin });
      expect(onnx.statusCode).toBe(200);
      expect(onnx.headers['content-type']).toBe('application/octet-stream');
      expect(onnx.headers['x-artifact-sha256']).toBe(versions.body.items[1].artifact_sha256);
      expect((await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather/versions/9`, admin)).status).toBe(404);
    });

    it('refuses to register a model that breaks the model contract, naming the problem', async () => {
      const ctx = await adminContext(s.platform);
      const access = await projectAccess(s.platform, project);
      const { buildLinearModel } = await import('../fixtures/models/linear-model.js');
      const noClasses = buildLinearModel(WEATHER_SPEC, { metadata: { 'flywheel.classes': 'not json' } });
      await expect(s.platform.services.registry.registerVersion(ctx, access, { model: 'broken', onnx: noClasses })).rejects.toThrow(/flywheel.classes' is not JSON/);
      await expect(s.platform.services.registry.registerVersion(ctx, access, { model: 'broken', onnx: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/model/);
      expect((await call(s.app, 'GET', `/api/v1/projects/${project}/models/broken`, admin)).status).toBe(404);
    });

    it('moves the champion alias with history, deploys it, and refuses a deployment name taken anywhere', async () => {
      const first = await call(s.app, 'PUT', `/api/v1/projects/${project}/models/weather/aliases/champion`, admin, { version: 1, reason: 'first model' });
      expect(first.body).toMatchObject({ alias: 'champion', version: 1, previous_version: null, reason: 'first model', who_name: 'admin' });
      const noAlias = await call(s.app, 'POST', `/api/v1/projects/${project}/deployments`, admin, { name: 'not-yet', model: 'weather', alias: 'staging' });
      expect(noAlias.status).toBe(409);
      const created = await call(s.app, 'POST', `/api/v1/projects/${project}/deployments`, admin, { name: 'weather-prod', model: 'weather' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'weather-prod', model: 'weather', alias: 'champion', version: null, serving_version: 1, predict_path: '/api/v1/deployments/weather-prod/predict' });
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: 'other' })).status).toBe(201);
      await registerFixture(s.platform, 'other', 'm');
      const taken = await call(s.app, 'POST', '/api/v1/projects/other/deployments', admin, { name: 'weather-prod', model: 'm', version: 1 });
      expect(taken.status).toBe(409);
      expect(taken.body.error.message).toMatch(/unique in the instance/);
    });

    it('predicts rows: labels and probabilities match the hand-computed softmax, ids are UUIDv7', async () => {
      const r = await predict(admin, { rows: ROWS });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ deployment: 'weather-prod', model: 'weather', model_version: 1 });
      expect(r.body.predictions).toHaveLength(ROWS.length);
      r.body.predictions.forEach((p: { id: string; label: string; probabilities: Record<string, number> }, i: number) => {
        expect(isId(p.id)).toBe(true);
        expectMatches(p, WEATHER_SPEC, ROWS[i]);
      });
      expect(new Set(r.body.predictions.map((p: { id: string }) => p.id)).size).toBe(ROWS.length);
    });

    it('predicts the columns + data form the same way, in any column order', async () => {
      const columns = ['station', 'wind', 'note', 'temp_min', 'temp_max', 'precipitation'];
      const data = ROWS.map((row) => columns.map((c) => (c === 'note' ? 'extra columns are kept in the log' : row[c as keyof typeof row])));
      const r = await predict(admin, { columns, data });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      r.body.predictions.forEach((p: { label: string; probabilities: Record<string, number> }, i: number) => expectMatches(p, WEATHER_SPEC, ROWS[i]));
    });

    it('answers 400 naming the field for bad input, and logs nothing for it', async () => {
      const before = s.platform.services.predictionLog.pendingRows();
      const rows = ROWS.map((r) => ({ ...r }));
      const missing = rows.map((r, i) => (i === 3 ? { ...r, temp_max: undefined } : r));
      const cases: Array<[unknown, RegExp]> = [
        [{ rows: missing }, /body\.rows\[3\]\.temp_max is missing/],
        [{ rows: rows.map((r, i) => (i === 2 ? { ...r, wind: 'strong' } : r)) }, /body\.rows\[2\]\.wind must be a number/],
        [{ rows: rows.map((r, i) => (i === 1 ? { ...r, precipitation: null } : r)) }, /body\.rows\[1\]\.precipitation must be a number.*got null/],
        [{ rows: rows.map((r, i) => (i === 0 ? { ...r, station: { a: 1 } } : r)) }, /body\.rows\[0\]\.station must be a string/],
        [{ rows: [1, 2] }, /body\.rows\[0\] must be an object/],
        [{ rows: [] }, /body\.rows is empty/],
        [{ columns: FEATURES.filter((f) => f !== 'wind'), data: [[1, 2, 3, 'north']] }, /body\.columns lacks feature 'wind'/],
        [{ columns: FEATURES, data: [[1, 2, 3, 4]] }, /body\.data\[0\] has 4 values but there are 5 columns/],
        [{ columns: FEATURES, data: [[1, 'hot', 3, 4, 'north']] }, /body\.data\[0\]\[1\] must be a number \(feature 'temp_max'/],
        [{ rows, event_times: [1, 2] }, /body\.event_times has 2 entries but there are 4 rows/],
        [{ rows, event_times: [1, 2, 'x', 4] }, /body\.event_times\[2\] must be epoch milliseconds/],
        [{ rows, columns: FEATURES, data: [] }, /both "rows" and "columns"/],
        [{}, /needs "rows".*or "columns" and "data"/],
        [{ rows: Array.from({ length: 10_001 }, () => SAMPLE_ROW) }, /body\.rows/],
      ];
      for (const [body, message] of cases) {
        const r = await predict(admin, body);
        expect(r.status, JSON.stringify(body).slice(0, 200)).toBe(400);
        expect(r.body.error.code).toBe('invalid_input');
        expect(r.body.error.message).toMatch(message);
      }
      const notJson = await s.app.inject({ method: 'POST', url: '/api/v1/deployments/weather-prod/predict', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"rows": [' });
      expect(notJson.statusCode).toBe(400);
      expect(s.platform.services.predictionLog.pendingRows()).toBe(before);
    });

    it('answers 404 for an unknown deployment, 403 for roles without deployment.predict, and hides it from outsiders', async () => {
      expect((await predict(admin, { rows: ROWS }, 'no-such-deployment')).status).toBe(404);
      expect((await predict({}, { rows: ROWS })).status).toBe(401);
      const as = async (user: string) => predict(await signIn(s.app, user, PASSWORD), { rows: [SAMPLE_ROW] });
      expect((await as('dora')).status).toBe(200);
      expect((await as('otto')).status).toBe(200);
      const viewer = await as('vera');
      expect(viewer.status).toBe(403);
      expect(viewer.body.error.details).toMatchObject({ action: 'deployment.predict', role: 'viewer' });
      expect((await as('anna')).status).toBe(403);
      const outsider = await as('olga');
      expect(outsider.status).toBe(404);
      expect(outsider.body.error.details).toMatchObject({ what: 'deployment', id: 'weather-prod' });
      // A viewer reads deployments but cannot change them.
      const vera = await signIn(s.app, 'vera', PASSWORD);
      expect((await call(s.app, 'GET', `/api/v1/projects/${project}/deployments/weather-prod`, vera)).status).toBe(200);
      expect((await call(s.app, 'PATCH', `/api/v1/projects/${project}/deployments/weather-prod`, vera, { version: 2 })).status).toBe(403);
    });

    it('logs every prediction: after flush, segments are registered and each id reads back with inputs and event time', async () => {
      const times = ROWS.map((_, i) => Date.UTC(2014, 0, 10 + i, 12));
      const r = await predict(admin, { rows: ROWS, event_times: times });
      expect(r.status).toBe(200);
      const flushed = await s.platform.services.predictionLog.flush();
      expect(flushed.length).toBeGreaterThan(0);
      expect(s.platform.services.predictionLog.pendingRows()).toBe(0);
      const segments = await call(s.app, 'GET', `/api/v1/projects/${project}/deployments/weather-prod/segments`, admin);
      expect(segments.status).toBe(200);
      const total = segments.body.items.reduce((n: number, seg: { rows: number }) => n + seg.rows, 0);
      const deployment = await call(s.app, 'GET', `/api/v1/projects/${project}/deployments/weather-prod`, admin);
      expect(deployment.body.predictions_logged).toBe(total);

      const access = await projectAccess(s.platform, project);
      const january = await s.platform.services.predictionLog.readPredictions(access.project.id, 'weather-prod', { from: Date.UTC(2014, 0, 1), to: Date.UTC(2014, 1, 1) });
      expect(january.map((p) => p.id)).toEqual(r.body.predictions.map((p: { id: string }) => p.id));
      january.forEach((p, i) => {
        expect(p).toMatchObject({ event_time: times[i], deployment: 'weather-prod', model_version: 1, label: r.body.predictions[i].label });
        expect(p.inputs).toEqual(ROWS[i]);
        expect(p.probabilities).toEqual(r.body.predictions[i].probabilities);
        expect(p.received_at).toBeGreaterThan(0);
      });
      const window = await call(s.app, 'GET', `/api/v1/projects/${project}/deployments/weather-prod/segments?from=${Date.UTC(2014, 0, 1)}&to=${Date.UTC(2014, 1, 1)}`, admin);
      expect(window.body.items.length).toBeGreaterThan(0);
      expect(window.body.items.every((seg: { max_event_time: number }) => seg.max_event_time >= Date.UTC(2014, 0, 1))).toBe(true);
      const all = await s.platform.services.predictionLog.readPredictions(access.project.id, 'weather-prod');
      expect(all.length).toBe(total);
    });

    it('hot-swaps: while 200 predictions run the deployment moves to version 2; none fails and both versions are logged', async () => {
      const one = () => predict(admin, { rows: [SAMPLE_ROW] });
      const first = Array.from({ length: 100 }, one);
      await Promise.race(first);
      const swap = call(s.app, 'PATCH', `/api/v1/projects/${project}/deployments/weather-prod`, admin, { version: 2 });
      const during = Array.from({ length: 90 }, one);
      const swapped = await swap;
      expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
      expect(swapped.body).toMatchObject({ alias: null, version: 2, serving_version: 2 });
      const after = Array.from({ length: 10 }, one);
      const results = await Promise.all([...first, ...during, ...after]);
      expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      expect(results.slice(190).every((r) => r.body.model_version === 2)).toBe(true);
      for (const r of results) expectMatches(r.body.predictions[0], r.body.model_version === 1 ? WEATHER_SPEC : WEATHER_SPEC_V2, SAMPLE_ROW);

      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, project);
      const ids = new Set(results.map((r) => r.body.predictions[0].id));
      const logged = (await s.platform.services.predictionLog.readPredictions(access.project.id, 'weather-prod')).filter((p) => ids.has(p.id));
      expect(logged).toHaveLength(200);
      expect(new Set(logged.map((p) => p.model_version))).toEqual(new Set([1, 2]));
    });

    it('switches deployments that follow an alias when the alias moves', async () => {
      const follow = await call(s.app, 'PATCH', `/api/v1/projects/${project}/deployments/weather-prod`, admin, { alias: 'champion' });
      expect(follow.body).toMatchObject({ alias: 'champion', version: null, serving_version: 1 });
      expect((await predict(admin, { rows: [SAMPLE_ROW] })).body.model_version).toBe(1);
      const moved = await call(s.app, 'PUT', `/api/v1/projects/${project}/models/weather/aliases/champion`, admin, { version: 2, reason: 'beats v1 on the holdout' });
      expect(moved.body).toMatchObject({ version: 2, previous_version: 1 });
      expect((await predict(admin, { rows: [SAMPLE_ROW] })).body.model_version).toBe(2);
      const history = await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather/alias-history`, admin);
      expect(history.body.items.map((h: { version: number; previous_version: number | null; reason: string }) => [h.version, h.previous_version, h.reason])).toEqual([
        [2, 1, 'beats v1 on the holdout'],
        [1, null, 'first model'],
      ]);
      const model = await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather`, admin);
      expect(model.body.aliases).toEqual({ champion: 2 });
      const audit = await call(s.app, 'GET', `/api/v1/projects/${project}/audit`, admin);
      const events = audit.body.items as Array<{ action: string; outcome: string }>;
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['model.register', 'model.alias', 'deployment.create', 'deployment.update']));
      // Never an event per prediction: only the refused calls (two roles denied, one outsider) are audited.
      expect(events.filter((e) => e.action === 'deployments.predict').map((e) => e.outcome).sort()).toEqual(['denied', 'denied', 'failed']);
    });

    it('rolls the open segment of a crashed process when Flywheel starts again on the same home', async () => {
      await s.platform.services.predictionLog.flush();
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../fixtures/serving/crash-child.ts'), s.home, s.databaseUrl, project, 'weather-prod'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const signal = await new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, sig) => done(sig)));
      expect(signal, err).toBe('SIGKILL');
      const ids: string[] = JSON.parse(out.trim());
      expect(ids).toHaveLength(4);
      expect(readdirSync(join(s.home, 'prediction-log', 'open')).length).toBeGreaterThan(0);

      // Flywheel starts again on the same home (here: a second platform beside the first).
      const again = await openServingApp({ home: s.home, databaseUrl: s.databaseUrl });
      try {
        expect(readdirSync(join(s.home, 'prediction-log', 'open')).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
        const access = await projectAccess(again.platform, project);
        const june = await again.platform.services.predictionLog.readPredictions(access.project.id, 'weather-prod', { from: Date.UTC(2014, 5, 1), to: Date.UTC(2014, 6, 1) });
        expect(june.map((p) => p.id)).toEqual(ids);
        expect(june.map((p) => p.event_time)).toEqual([0, 1, 2, 3].map((i) => Date.UTC(2014, 5, 1 + i)));
        expect(june[2].inputs).toEqual({ precipitation: 2, temp_max: 12, temp_min: 4, wind: 3, station: 'south' });
      } finally {
        await again.close();
      }
    }, 60_000);

    it('flushes the open segment on close, so a restart finds every prediction registered', async () => {
      const home = s.home;
      const r = await predict(admin, { rows: ROWS, event_times: ROWS.map((_, i) => Date.UTC(2015, 2, 1 + i)) });
      expect(r.status).toBe(200);
      await s.close();
      s = await openServingApp({ home, databaseUrl: s.databaseUrl });
      admin = await signIn(s.app, 'admin', adminPassword);
      const access = await projectAccess(s.platform, project);
      const march = await s.platform.services.predictionLog.readPredictions(access.project.id, 'weather-prod', { from: Date.UTC(2015, 2, 1), to: Date.UTC(2015, 3, 1) });
      expect(march.map((p) => p.id)).toEqual(r.body.predictions.map((p: { id: string }) => p.id));
    });
  });
}
