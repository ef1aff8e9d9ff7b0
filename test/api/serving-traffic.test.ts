// Canary, shadow, rollback, hot swap and load failures on both databases.
// - Canary: 1,000 requests at 20 % land on the canary within ±5 points. The split is a
//   deterministic hash of each request's first prediction id, so besides the share the test
//   recomputes every request's side from its id; the share itself is binomial (sd 1.26 points at
//   n = 1,000), so ±5 points is about 4 sd: a false failure about 6 times in 100,000 runs.
// - Shadow: mirrored outputs are logged flagged shadow with the answered ids, never returned; a
//   shadow that fails (it needs a feature the requests lack) never fails a request.
// - Rollback returns to the previous binding (also after an alias moved), history kept, audited.
// - Hot swap: binding changes while requests are in flight fail none.
// - A version that cannot load leaves the previous one serving and raises one alert.
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRuntime } from '../../src/domain/ports/model-runtime.js';
import { goesToCanary } from '../../src/services/serving/traffic-split.js';
import { expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2, type LinearModelSpec } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { openServingApp, projectAccess, registerFixture, SAMPLE_ROW, type ServingApp } from '../support/serving.js';

const WEATHER_SPEC_V3: LinearModelSpec = { ...WEATHER_SPEC, intercepts: [0.9, -0.4, 0.2] };
const WEATHER_SPEC_V4: LinearModelSpec = { ...WEATHER_SPEC, intercepts: [-0.7, 0.8, 0.1] };
/** Needs `humidity`, which requests to the deployment do not send: as a shadow it fails on every request. */
const HUMID_SPEC: LinearModelSpec = {
  ...WEATHER_SPEC,
  features: [...WEATHER_SPEC.features.slice(0, 4), { name: 'humidity', kind: 'numeric' }, WEATHER_SPEC.features[4]],
  offset: [...WEATHER_SPEC.offset, 50],
  scale: [...WEATHER_SPEC.scale, 0.02],
  weights: WEATHER_SPEC.weights.map((w) => [...w.slice(0, 4), 0.1, ...w.slice(4)]),
};
const SPECS: Record<number, LinearModelSpec> = { 1: WEATHER_SPEC, 2: WEATHER_SPEC_V2, 3: WEATHER_SPEC_V3, 4: WEATHER_SPEC_V4, 5: HUMID_SPEC };

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`serving traffic: canary, shadow, rollback, hot swap, load failure (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let s: ServingApp;
    let admin: Headers;
    const project = 'traffic';
    const name = 'weather-live';
    const base = `/api/v1/projects/${project}/deployments/${name}`;
    const predict = (rows: unknown[] = [SAMPLE_ROW]) => call(s.app, 'POST', `/api/v1/deployments/${name}/predict`, admin, { rows });
    const patch = (body: unknown) => call(s.app, 'PATCH', base, admin, body);
    const history = async () => (await call(s.app, 'GET', `${base}/history`, admin)).body.items as Array<{ change: string; alias: string | null; version: number | null; serving_version: number | null; canary: unknown; shadow: unknown; reason: string }>;

    beforeAll(async () => {
      s = await openServingApp({ databaseUrl: await target.freshUrl() });
      const boot = (await s.platform.services.users.bootstrapAdmin())!;
      admin = await signIn(s.app, boot.user.username, boot.password);
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: project })).status).toBe(201);
      for (const v of [1, 2, 3, 4, 5]) await registerFixture(s.platform, project, 'weather', SPECS[v]);
      expect((await call(s.app, 'PUT', `/api/v1/projects/${project}/models/weather/aliases/champion`, admin, { version: 1, reason: 'first' })).status).toBe(200);
      expect((await call(s.app, 'POST', `/api/v1/projects/${project}/deployments`, admin, { name, model: 'weather' })).status).toBe(201);
    }, 120_000);
    afterAll(() => s?.close());

    it('splits 1,000 requests 80/20 by the hash of each request\'s first prediction id, and every answer names its version', async () => {
      const set = await patch({ canary: { version: 2, percent: 20 }, reason: 'try v2 on a fifth' });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body).toMatchObject({ serving_version: 1, canary: { alias: null, version: 2, percent: 20 }, canary_version: 2 });
      let canary = 0;
      for (let wave = 0; wave < 20; wave++) {
        const answers = await Promise.all(Array.from({ length: 50 }, () => predict()));
        for (const r of answers) {
          expect(r.status).toBe(200);
          const version = Number(r.headers['x-flywheel-model-version']);
          expect(r.body.model_version).toBe(version);
          const toCanary = goesToCanary(r.body.predictions[0].id, 20);
          expect(version).toBe(toCanary ? 2 : 1);
          expect(r.headers['x-flywheel-route']).toBe(toCanary ? 'canary' : 'primary');
          expect(r.body.predictions[0].label).toBe(expectedPrediction(SPECS[version], SAMPLE_ROW).label);
          if (toCanary) canary++;
        }
      }
      expect(Math.abs(canary / 1000 - 0.2)).toBeLessThanOrEqual(0.05);
      // The compatibility protocols say which version answered too.
      const mlflow = await s.app.inject({ method: 'POST', url: `/deployments/${name}/invocations`, headers: admin, payload: { dataframe_records: [SAMPLE_ROW] } });
      expect(mlflow.statusCode).toBe(200);
      expect(['1', '2']).toContain(mlflow.headers['x-flywheel-model-version']);
      const oip = await call(s.app, 'POST', `/v2/models/${name}/infer`, admin, {
        inputs: WEATHER_SPEC.features.map((f) => ({ name: f.name, shape: [1, 1], datatype: f.kind === 'numeric' ? 'FP32' : 'BYTES', data: [SAMPLE_ROW[f.name as keyof typeof SAMPLE_ROW]] })),
      });
      expect(oip.status, JSON.stringify(oip.body)).toBe(200);
      expect(oip.body.model_version).toBe(oip.headers['x-flywheel-model-version']);
    }, 60_000);

    it('refuses a bad canary or shadow, naming the field', async () => {
      const cases: Array<[unknown, number, RegExp]> = [
        [{ canary: { version: 2, percent: 100 } }, 400, /canary\.percent/],
        [{ canary: { version: 2, percent: 0 } }, 400, /canary\.percent/],
        [{ canary: { percent: 10 } }, 400, /canary needs either an alias or a version/],
        [{ canary: { version: 2, alias: 'champion', percent: 10 } }, 400, /canary needs either an alias or a version/],
        [{ canary: { version: 42, percent: 10 } }, 404, /weather v42/],
        [{ shadow: { alias: 'nobody-set-this' } }, 409, /alias 'nobody-set-this' of model 'weather' points at no version yet/],
      ];
      for (const [body, status, message] of cases) {
        const r = await patch(body);
        expect(r.status, JSON.stringify(body)).toBe(status);
        expect(JSON.stringify(r.body.error)).toMatch(message);
      }
      expect((await call(s.app, 'GET', base, admin)).body).toMatchObject({ canary: { version: 2, percent: 20 }, shadow: null });
    });

    it('mirrors every request to the shadow: its outputs are logged with the same ids, flagged shadow, never returned', async () => {
      expect((await patch({ canary: null, shadow: { version: 3 } })).body).toMatchObject({ canary: null, shadow: { version: 3 }, shadow_version: 3, serving_version: 1 });
      const rows = [SAMPLE_ROW, { ...SAMPLE_ROW, precipitation: 9.5, station: 'south' }, { ...SAMPLE_ROW, temp_max: 27 }];
      const r = await predict(rows);
      expect(r.status).toBe(200);
      expect(r.body.model_version).toBe(1);
      expect(Object.keys(r.body)).toEqual(['deployment', 'model', 'model_version', 'predictions']);
      r.body.predictions.forEach((p: { label: string }, i: number) => expect(p.label).toBe(expectedPrediction(WEATHER_SPEC, rows[i]).label));
      await new Promise((res) => setTimeout(res, 50)); // the mirror runs after the answer
      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, project);
      const ids = r.body.predictions.map((p: { id: string }) => p.id);
      const answered = (await s.platform.services.predictionLog.readPredictions(access.project.id, name)).filter((p) => ids.includes(p.id));
      expect(answered.map((p) => [p.model_version, p.shadow ?? false])).toEqual([[1, false], [1, false], [1, false]]);
      const shadow = (await s.platform.services.predictionLog.readPredictions(access.project.id, name, {}, { shadow: 'only' })).filter((p) => ids.includes(p.id));
      expect(shadow.map((p) => p.id)).toEqual(ids);
      shadow.forEach((p, i) => {
        expect(p).toMatchObject({ shadow: true, model_version: 3, deployment: name });
        expect(p.label).toBe(expectedPrediction(WEATHER_SPEC_V3, rows[i]).label);
        expect(p.probabilities.rain).toBeCloseTo(expectedPrediction(WEATHER_SPEC_V3, rows[i]).probabilities.rain, 5);
      });
    });

    it('answers every request when the shadow fails on each of them, and counts the failures', async () => {
      expect((await patch({ shadow: { version: 5 } })).status).toBe(200);
      const before = s.platform.services.predict.shadowFailureCounts().find((f) => f.deployment === name && f.version === 5)?.count ?? 0;
      const answers = await Promise.all(Array.from({ length: 20 }, () => predict()));
      expect(answers.map((a) => a.status)).toEqual(new Array(20).fill(200));
      await new Promise((res) => setTimeout(res, 100));
      const after = s.platform.services.predict.shadowFailureCounts().find((f) => f.deployment === name && f.version === 5)?.count ?? 0;
      expect(after - before).toBe(20);
      const metrics = await s.app.inject({ method: 'GET', url: '/metrics', headers: admin });
      expect(metrics.body).toMatch(new RegExp(`flywheel_serving_shadow_errors_total\\{deployment="${name}",version="5"\\} ${after}`));
    });

    it('rolls back to the previous binding at once, keeping the history (audited)', async () => {
      // Latest change: the failing shadow v5; before it: shadow v3.
      const back = await call(s.app, 'POST', `${base}/rollback`, admin, { reason: 'shadow v5 is broken' });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      expect(back.body).toMatchObject({ shadow: { version: 3 }, shadow_version: 3, serving_version: 1, restored: { shadow: { version: 3 } } });
      const h = await history();
      expect(h[0]).toMatchObject({ change: 'rollback', reason: 'shadow v5 is broken', shadow: { alias: null, version: 3 } });
      expect(h.map((x) => x.change)).toEqual(['rollback', 'update', 'update', 'update', 'create']);
      const audit = await call(s.app, 'GET', `/api/v1/projects/${project}/audit`, admin);
      expect(audit.body.items.find((e: { action: string }) => e.action === 'deployment.rollback')).toMatchObject({ outcome: 'success', details: { reason: 'shadow v5 is broken' } });
    });

    it('rolls back an alias move: the deployment pins the version it served before the alias moved', async () => {
      expect((await patch({ shadow: null })).status).toBe(200);
      const moved = await call(s.app, 'PUT', `/api/v1/projects/${project}/models/weather/aliases/champion`, admin, { version: 2, reason: 'v2 is better' });
      expect(moved.status).toBe(200);
      expect((await predict()).body.model_version).toBe(2);
      const h = await history();
      expect(h[0]).toMatchObject({ change: 'alias', alias: 'champion', serving_version: 2 });
      expect(h[0].reason).toMatch(/alias champion of weather moved from v1 to v2: v2 is better/);
      const back = await call(s.app, 'POST', `${base}/rollback`, admin, {});
      expect(back.body).toMatchObject({ alias: null, version: 1, serving_version: 1 });
      expect((await predict()).body.model_version).toBe(1);
      expect((await call(s.app, 'POST', `/api/v1/projects/${project}/deployments`, admin, { name: 'fresh', model: 'weather', version: 1 })).status).toBe(201);
      const none = await call(s.app, 'POST', `/api/v1/projects/${project}/deployments/fresh/rollback`, admin, {});
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(/no earlier binding/);
    });

    it('hot-swaps primary, canary and shadow while 25 callers keep requests in flight: none of 400+ fails', async () => {
      const changes: unknown[] = [
        { canary: { version: 2, percent: 50 } },
        { shadow: { version: 3 } },
        { version: 2 },
        { canary: { alias: 'champion', percent: 30 } },
        { canary: null, shadow: null },
        { alias: 'champion' },
        { version: 3, canary: { version: 1, percent: 10 } },
      ];
      // 25 callers keep a request in flight each, all through the swaps (and until 400 are answered).
      const answers: Array<{ status: number; body: any }> = [];
      let swapping = true;
      const caller = async () => {
        while (swapping || answers.length < 400) answers.push(await predict());
      };
      const callers = Array.from({ length: 25 }, caller);
      const swapped: Array<{ status: number; body: any }> = [];
      for (const change of changes) {
        swapped.push(await patch(change));
        await new Promise((res) => setTimeout(res, 5));
      }
      swapped.push(await call(s.app, 'POST', `${base}/rollback`, admin, { reason: 'under load' }));
      swapping = false;
      await Promise.all(callers);
      expect(swapped.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      expect(answers.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      for (const r of answers) expect(r.body.predictions[0].label).toBe(expectedPrediction(SPECS[r.body.model_version], SAMPLE_ROW).label);
      expect(new Set(answers.map((r) => r.body.model_version)).size).toBeGreaterThan(1);
    }, 60_000);

    it('keeps serving the previous version when a version cannot load, and raises one alert', async () => {
      expect((await patch({ alias: 'champion', canary: null, shadow: null })).body).toMatchObject({ serving_version: 2 });
      // v4's bytes are damaged and its session is gone (as on a server that never loaded it).
      const v4 = (await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather/versions/4`, admin)).body;
      const runtime = (s.platform.services.predict as unknown as { runtime: ModelRuntime }).runtime;
      await runtime.unload(v4.artifact_sha256);
      const file = await s.platform.artifacts.localPath(v4.artifact_sha256);
      await rm(file, { force: true });
      await writeFile(file, 'not an onnx model');

      const refused = await patch({ version: 4 });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/model version v4 could not be loaded .*: deployment 'weather-live' is unchanged and keeps serving v2/);
      expect((await predict()).body.model_version).toBe(2);

      // Another process moves the alias the deployment follows to v4: the refresh fails, v2 keeps serving.
      const model = (await call(s.app, 'GET', `/api/v1/projects/${project}/models/weather`, admin)).body;
      await s.platform.store.models.putAlias({ model_id: model.id, alias: 'champion', version: 4, updated_by: null, updated_at: Date.now() });
      const seen = await call(s.app, 'GET', base, admin);
      expect(seen.status).toBe(200);
      const during = await Promise.all(Array.from({ length: 20 }, () => predict()));
      expect(during.map((r) => [r.status, r.body.model_version])).toEqual(new Array(20).fill([200, 2]));

      const alerts = await call(s.app, 'GET', `/api/v1/projects/${project}/alerts`, admin);
      const loadFailed = alerts.body.items.filter((a: { kind: string }) => a.kind === 'serving.load_failed');
      expect(loadFailed).toHaveLength(1);
      expect(loadFailed[0]).toMatchObject({ deployment: name, monitor_id: null, metric: 'model_version', value: 4, threshold: 2, status: 'open' });
      expect(loadFailed[0].message).toMatch(/deployment 'weather-live' could not load model version v4: .*; v2 keeps serving/);
      await s.platform.store.models.putAlias({ model_id: model.id, alias: 'champion', version: 2, updated_by: null, updated_at: Date.now() });
    });
  });
}
