// Serving speed features end to end, on both databases: micro-batching of concurrent requests
// (each caller gets its own outputs, the same as unbatched; /metrics shows runs of more than one
// row; one caller's bad input fails only that caller), the batching settings over the API, the
// access cache (a revoked token or a removed member is refused at once), null numerics (NaN for a
// model that imputes, a 400 naming the field otherwise) and the live statistics endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportGbdtOnnx, fitGbdt, type Columns, type GbdtModel } from '../../src/ml/index.js';
import { expectedPrediction, WEATHER_SPEC } from '../fixtures/models/linear-model.js';
import { synthetic } from '../fixtures/ml/synthetic.js';
import { databaseTargets } from '../support/databases.js';
import { addMember, bearer, call, signIn, type Headers } from '../support/http.js';
import { adminContext, openServingApp, projectAccess, registerFixture, SAMPLE_ROW, type ServingApp } from '../support/serving.js';

const PASSWORD = 'a-long-enough-password';
const P = 'batching';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Distinct weather rows (each gets a different answer). */
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ ...SAMPLE_ROW, precipitation: i * 0.7, temp_max: 20 - i * 0.9, station: i % 3 ? 'north' : 'south' }));

/** The model-run histogram of a deployment in /metrics: rows in all runs and the number of runs. */
function runs(metrics: string, deployment: string): { rows: number; runs: number } {
  const sum = new RegExp(`flywheel_serving_model_batch_rows_sum\\{deployment="${deployment}",version="1"\\} (\\d+)`).exec(metrics);
  const count = new RegExp(`flywheel_serving_model_batch_rows_count\\{deployment="${deployment}",version="1"\\} (\\d+)`).exec(metrics);
  return { rows: Number(sum?.[1] ?? 0), runs: Number(count?.[1] ?? 0) };
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`serving: micro-batching, access cache, null numerics, live stats (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let s: ServingApp;
    let admin: Headers;
    let gbdt: GbdtModel;
    const predict = (headers: Headers, body: unknown, deployment = 'w-batched') => call(s.app, 'POST', `/api/v1/deployments/${deployment}/predict`, headers, body);

    beforeAll(async () => {
      s = await openServingApp({ databaseUrl: await target.freshUrl() });
      const boot = (await s.platform.services.users.bootstrapAdmin())!;
      admin = await signIn(s.app, boot.user.username, boot.password);
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: P })).status).toBe(201);
      for (const [user, role] of [['dora', 'data-scientist'], ['otto', 'ops'], ['vera', 'viewer']] as const) await addMember(s.app, admin, P, user, PASSWORD, role);
      await registerFixture(s.platform, P, 'weather', WEATHER_SPEC);
      await call(s.app, 'PUT', `/api/v1/projects/${P}/models/weather/aliases/champion`, admin, { version: 1, reason: 'first' });
      expect((await call(s.app, 'POST', `/api/v1/projects/${P}/deployments`, admin, { name: 'w-batched', model: 'weather' })).status).toBe(201);
      expect((await call(s.app, 'POST', `/api/v1/projects/${P}/deployments`, admin, { name: 'w-alone', model: 'weather', batching: { max_rows: 1 } })).status).toBe(201);

      // Gradient-boosted trees trained with missing values: the export sends NaN down each split's missing branch.
      const t = synthetic({ rows: 3000, numeric: 4, task: 'binary', missing: 0.15, seed: 11 });
      gbdt = fitGbdt({ features: t.features, columns: t.columns as Columns, target: t.target as string[] }, { max_iter: 20, early_stopping: false });
      const access = await projectAccess(s.platform, P);
      await s.platform.services.registry.registerVersion(await adminContext(s.platform), access, { model: 'trees', onnx: exportGbdtOnnx(gbdt), metrics: {}, gate: { passed: true } });
      await call(s.app, 'PUT', `/api/v1/projects/${P}/models/trees/aliases/champion`, admin, { version: 1, reason: 'first' });
      expect((await call(s.app, 'POST', `/api/v1/projects/${P}/deployments`, admin, { name: 'trees', model: 'trees' })).status).toBe(201);
    }, 120_000);
    afterAll(() => s?.close());

    it('coalesces concurrent single-row requests into model runs, each caller getting its own outputs, the same as unbatched', async () => {
      const batch = rows(40);
      const batched = await Promise.all(batch.map((row) => predict(admin, { rows: [row] })));
      const alone: Array<Awaited<ReturnType<typeof predict>>> = [];
      for (const row of batch) alone.push(await predict(admin, { rows: [row] }, 'w-alone'));
      batched.forEach((r, i) => {
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        const p = r.body.predictions[0];
        const want = expectedPrediction(WEATHER_SPEC, batch[i]);
        expect(p.label).toBe(want.label);
        expect(p.label).toBe(alone[i].body.predictions[0].label);
        for (const c of WEATHER_SPEC.classes) {
          expect(p.probabilities[c]).toBeCloseTo(want.probabilities[c], 6);
          // onnxruntime may round the last float32 bit differently in a larger batch.
          expect(p.probabilities[c]).toBeCloseTo(alone[i].body.predictions[0].probabilities[c], 6);
        }
      });
      expect(new Set(batched.map((r) => r.body.predictions[0].id)).size).toBe(40);

      const metrics = (await s.app.inject({ method: 'GET', url: '/metrics', headers: admin })).body;
      const b = runs(metrics, 'w-batched');
      expect(b.rows).toBe(40);
      expect(b.runs).toBeLessThan(40); // some runs held more than one request
      expect(metrics).toMatch(/flywheel_serving_model_batch_rows_bucket\{le="1",deployment="w-batched",version="1"\} (\d+)/);
      const le1 = Number(/flywheel_serving_model_batch_rows_bucket\{le="1",deployment="w-batched",version="1"\} (\d+)/.exec(metrics)![1]);
      expect(le1).toBeLessThan(b.runs); // runs above one row
      expect(runs(metrics, 'w-alone')).toEqual({ rows: 40, runs: 40 });

      // Every batched prediction is logged under its own id with its own inputs.
      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, P);
      const logged = await s.platform.services.predictionLog.readPredictions(access.project.id, 'w-batched');
      const byId = new Map(logged.map((p) => [p.id, p]));
      batched.forEach((r, i) => expect(byId.get(r.body.predictions[0].id)?.inputs).toEqual(batch[i]));
    });

    it('fails only the caller whose input is bad; the requests batched beside it succeed', async () => {
      const batch = rows(10);
      const bodies = batch.map((row, i) => ({ rows: [i === 3 ? { ...row, wind: 'strong' } : row] }));
      const results = await Promise.all(bodies.map((body) => predict(admin, body)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 400, 200, 200, 200, 200, 200, 200]);
      expect(results[3].body.error.message).toMatch(/body\.rows\[0\]\.wind must be a number/);
      results.forEach((r, i) => i !== 3 && expect(r.body.predictions[0].label).toBe(expectedPrediction(WEATHER_SPEC, batch[i]).label));
    });

    it('reads and changes the batching settings over the API: alone, no binding history entry, bounds checked, ops only', async () => {
      const d = await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-batched`, admin);
      expect(d.body.batching).toEqual({ max_rows: 64, max_delay_ms: 2 });
      const before = (await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-batched/history`, admin)).body.items.length;
      const otto = await signIn(s.app, 'otto', PASSWORD);
      const changed = await call(s.app, 'PATCH', `/api/v1/projects/${P}/deployments/w-batched`, otto, { batching: { max_rows: 8 }, reason: 'smaller batches' });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body).toMatchObject({ batching: { max_rows: 8, max_delay_ms: 2 }, serving_version: 1, alias: 'champion' });
      expect((await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-batched/history`, admin)).body.items).toHaveLength(before);
      const audit = await call(s.app, 'GET', `/api/v1/projects/${P}/audit`, admin);
      expect(audit.body.items.find((e: { action: string; details: Record<string, unknown> }) => e.action === 'deployment.update' && e.details.batching)).toMatchObject({
        details: { batching: { max_rows: 8, max_delay_ms: 2 }, previous_batching: { max_rows: 64, max_delay_ms: 2 }, reason: 'smaller batches' },
      });
      for (const [batching, field] of [
        [{ max_rows: 0 }, 'body.batching.max_rows'],
        [{ max_rows: 20_000 }, 'body.batching.max_rows'],
        [{ max_delay_ms: -1 }, 'body.batching.max_delay_ms'],
        [{ max_delay_ms: 1.5 }, 'body.batching.max_delay_ms'],
      ] as const) {
        const bad = await call(s.app, 'PATCH', `/api/v1/projects/${P}/deployments/w-batched`, otto, { batching });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.field).toBe(field);
      }
      const vera = await signIn(s.app, 'vera', PASSWORD);
      expect((await call(s.app, 'PATCH', `/api/v1/projects/${P}/deployments/w-batched`, vera, { batching: { max_rows: 2 } })).status).toBe(403);
      // The new settings serve at once: a burst of 20 goes in runs of at most 8 rows.
      const metricsBefore = runs((await s.app.inject({ method: 'GET', url: '/metrics', headers: admin })).body, 'w-batched');
      expect((await Promise.all(rows(20).map((row) => predict(admin, { rows: [row] })))).every((r) => r.status === 200)).toBe(true);
      const metricsAfter = runs((await s.app.inject({ method: 'GET', url: '/metrics', headers: admin })).body, 'w-batched');
      expect(metricsAfter.rows - metricsBefore.rows).toBe(20);
      expect(metricsAfter.runs - metricsBefore.runs).toBeGreaterThanOrEqual(3);
    });

    it('refuses a revoked token and a removed member at once, though verified callers are cached', async () => {
      const dora = await signIn(s.app, 'dora', PASSWORD);
      const created = await call(s.app, 'POST', '/api/v1/tokens', dora, { name: 'serving', role: 'data-scientist', project: P });
      expect(created.status).toBe(201);
      const token = bearer(created.body.secret);
      expect((await predict(token, { rows: [SAMPLE_ROW] })).status).toBe(200);
      expect((await predict(token, { rows: [SAMPLE_ROW] })).status).toBe(200);
      expect((await call(s.app, 'DELETE', `/api/v1/tokens/${created.body.token.id}`, dora)).status).toBe(200);
      const revoked = await predict(token, { rows: [SAMPLE_ROW] });
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.message).toMatch(/revoked/);

      const otto = await signIn(s.app, 'otto', PASSWORD);
      const ottoToken = bearer((await call(s.app, 'POST', '/api/v1/tokens', otto, { name: 'serving', role: 'ops', project: P })).body.secret);
      expect((await predict(ottoToken, { rows: [SAMPLE_ROW] })).status).toBe(200);
      expect((await call(s.app, 'DELETE', `/api/v1/projects/${P}/members/otto`, admin)).status).toBe(200);
      expect((await predict(ottoToken, { rows: [SAMPLE_ROW] })).status).toBe(404);
      expect((await call(s.app, 'PUT', `/api/v1/projects/${P}/members/otto`, admin, { role: 'viewer' })).status).toBe(200);
      expect((await predict(ottoToken, { rows: [SAMPLE_ROW] })).status).toBe(403);
    });

    it('feeds a null numeric as missing (NaN) to a model that imputes, and refuses it naming the field otherwise', async () => {
      const row = { x0: null, x1: 0.25, x2: -0.5, x3: 0.75 };
      const r = await predict(admin, { rows: [row, { ...row, x0: 0.1 }] }, 'trees');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const want = gbdt.predictProba({ x0: [Number.NaN, 0.1], x1: [0.25, 0.25], x2: [-0.5, -0.5], x3: [0.75, 0.75] } as Columns);
      const classes = gbdt.classes!;
      r.body.predictions.forEach((p: { probabilities: Record<string, number> }, i: number) => classes.forEach((c, k) => expect(p.probabilities[c]).toBeCloseTo(want.probabilities[i * classes.length + k], 5)));
      const cols = await predict(admin, { columns: ['x0', 'x1', 'x2', 'x3'], data: [[null, 0.25, -0.5, 0.75]] }, 'trees');
      expect(cols.body.predictions[0].probabilities).toEqual(r.body.predictions[0].probabilities);
      const absent = await predict(admin, { rows: [{ x1: 0.25, x2: -0.5, x3: 0.75 }] }, 'trees');
      expect(absent.status).toBe(400);
      expect(absent.body.error.message).toMatch(/body\.rows\[0\]\.x0 is missing/);
      const fixture = await predict(admin, { rows: [{ ...SAMPLE_ROW, wind: null }] });
      expect(fixture.status).toBe(400);
      expect(fixture.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'body.rows[0].wind' } });
      expect(fixture.body.error.message).toMatch(/got null: this model does not impute missing values/);
      // The log keeps the null as sent.
      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, P);
      const logged = await s.platform.services.predictionLog.readPredictions(access.project.id, 'trees');
      expect(logged.find((p) => p.id === r.body.predictions[0].id)?.inputs).toEqual(row);
    });

    it('reads a large {columns, data} body of numbers straight into columns: the same answers and log rows as row objects, the same errors', async () => {
      const n = 600; // a body of several kilobytes: the numeric scan's path
      const names = ['x3', 'x1', 'x0', 'x2']; // any column order
      const data = Array.from({ length: n }, (_, i) => [((i % 13) - 6) / 4, (i % 7) * 0.125, i % 5 === 0 ? -0 : (i % 29) / 10, 1e-3 * i]);
      // Numbers as a client may write them: exponents, trailing zeros, spaces.
      const text = `{ "columns": ${JSON.stringify(names)}, "data": [${data.map((r, i) => `[${r.map((v, k) => (k === 3 && i % 2 ? v.toExponential() : i % 3 === 0 ? v.toFixed(4) : String(v))).join(', ')}]`).join(',')}] }`;
      expect(text.length).toBeGreaterThan(4096);
      const scanned = await call(s.app, 'POST', '/api/v1/deployments/trees/predict', { ...admin, 'content-type': 'application/json' }, text);
      expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
      const objects = await predict(admin, { rows: (JSON.parse(text) as { data: number[][] }).data.map((r) => Object.fromEntries(names.map((c, k) => [c, r[k]]))) }, 'trees');
      expect(objects.status).toBe(200);
      expect(scanned.body.predictions).toHaveLength(n);
      scanned.body.predictions.forEach((p: { label: string; probabilities: unknown }, i: number) => expect([p.label, p.probabilities]).toEqual([objects.body.predictions[i].label, objects.body.predictions[i].probabilities]));
      // The log keeps each row as sent (numbers as written), read back as the same values.
      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, P);
      const logged = new Map((await s.platform.services.predictionLog.readPredictions(access.project.id, 'trees')).map((p) => [p.id, p]));
      const sent = (JSON.parse(text) as { data: number[][] }).data;
      scanned.body.predictions.forEach((p: { id: string }, i: number) => expect(logged.get(p.id)?.inputs).toEqual(Object.fromEntries(names.map((c, k) => [c, sent[i][k]]))));
      // A pretty-printed body (line breaks inside each row) is answered and logged alike.
      const pretty = await call(s.app, 'POST', '/api/v1/deployments/trees/predict', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ columns: names, data: sent.slice(0, 50) }, null, 2));
      expect(pretty.status).toBe(200);
      expect(pretty.body.predictions.map((p: { label: string }) => p.label)).toEqual(scanned.body.predictions.slice(0, 50).map((p: { label: string }) => p.label));
      await s.platform.services.predictionLog.flush();
      const relogged = new Map((await s.platform.services.predictionLog.readPredictions(access.project.id, 'trees')).map((p) => [p.id, p]));
      pretty.body.predictions.forEach((p: { id: string }, i: number) => expect(relogged.get(p.id)?.inputs).toEqual(Object.fromEntries(names.map((c, k) => [c, sent[i][k]]))));
      // Bad bodies of the same shape fail as before, naming the problem.
      const lacking = `{"columns":["x0","x1","x2"],"data":[${Array.from({ length: 300 }, () => '[1,2,3]').join(',')}]}`;
      const missing = await call(s.app, 'POST', '/api/v1/deployments/trees/predict', { ...admin, 'content-type': 'application/json' }, lacking);
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ details: { field: 'body.columns', feature: 'x3' } });
      const twice = await call(s.app, 'POST', '/api/v1/deployments/trees/predict', { ...admin, 'content-type': 'application/json' }, lacking.replace('"x2"]', '"x2","x0"]').replaceAll('[1,2,3]', '[1,2,3,4]'));
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toMatch(/body\.columns names a column twice/);
      const ragged = await call(s.app, 'POST', '/api/v1/deployments/trees/predict', { ...admin, 'content-type': 'application/json' }, text.replace(/\]\s*\]\s*\}\s*$/, ', 5]] }'));
      expect(ragged.status).toBe(400);
      expect(ragged.body.error.message).toMatch(new RegExp(`body\\.data\\[${n - 1}\\] has 5 values but there are 4 columns`));
    });

    it('answers live statistics per second to readers of the project, and nothing to outsiders', async () => {
      await Promise.all(rows(12).map((row) => predict(admin, { rows: [row] }, 'w-alone')));
      await sleep(1100); // the current second is left out until it is over
      const vera = await signIn(s.app, 'vera', PASSWORD);
      const stats = await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-alone/stats?seconds=30`, vera);
      expect(stats.status, JSON.stringify(stats.body)).toBe(200);
      expect(stats.body.deployment).toBe('w-alone');
      expect(stats.body.points).toHaveLength(30);
      const total = stats.body.points.reduce((n: number, p: { requests: number }) => n + p.requests, 0);
      expect(total).toBeGreaterThanOrEqual(12);
      const busy = stats.body.points.filter((p: { requests: number }) => p.requests > 0);
      expect(busy.every((p: { p50_ms: number; p99_ms: number; rows: number }) => p.p50_ms > 0 && p.p99_ms >= p.p50_ms && p.rows > 0)).toBe(true);
      expect(busy.some((p: { rows_per_run: number | null }) => p.rows_per_run === 1)).toBe(true);
      expect((await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-alone/stats?seconds=500`, vera)).status).toBe(400);
      await call(s.app, 'POST', '/api/v1/users', admin, { username: 'olga', password: PASSWORD });
      const olga = await signIn(s.app, 'olga', PASSWORD);
      expect((await call(s.app, 'GET', `/api/v1/projects/${P}/deployments/w-alone/stats`, olga)).status).toBe(404);
    });
  });
}
