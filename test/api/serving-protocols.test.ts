// The compatibility serving protocols on both databases: MLflow's scoring protocol (every JSON
// input form and CSV answer the labels Flywheel's own predict endpoint answers, in MLflow's
// error format otherwise) and the Open Inference Protocol V2 (metadata, ready/live, infer with
// the same probabilities, version-specific infer, 400 for bad tensors, 401/403/404). Every
// prediction of every protocol is in the prediction log after a flush, and /metrics counts the
// requests per deployment, version and protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers } from '../support/http.js';
import { openServingApp, projectAccess, registerFixture, SAMPLE_ROW, type ServingApp } from '../support/serving.js';

const ROWS = [
  SAMPLE_ROW,
  { precipitation: 0, temp_max: 24.4, temp_min: 13.9, wind: 1.2, station: 'south' },
  { precipitation: 12.7, temp_max: 4.4, temp_min: -2.1, wind: 6.8, station: 'north' },
  { precipitation: 0.3, temp_max: 11, temp_min: 5, wind: 2.5, station: 'elsewhere' },
];
const FEATURES = WEATHER_SPEC.features.map((f) => f.name);
const PASSWORD = 'a-long-enough-password';
const DEPLOYMENT = 'scoring';
const key = (inputs: Record<string, unknown>) => JSON.stringify(FEATURES.map((f) => inputs[f]));

/** The value of the sample of `metric` carrying all of `labels` (undefined when there is none). */
function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
}

/** OIP input tensors for rows, in the given feature order. */
function tensors(rows: Array<Record<string, unknown>>, order = FEATURES) {
  return order.map((name) => {
    const numeric = WEATHER_SPEC.features.find((f) => f.name === name)!.kind === 'numeric';
    return { name, shape: [rows.length, 1], datatype: numeric ? 'FP32' : 'BYTES', data: rows.map((r) => r[name]) };
  });
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`serving protocols: MLflow scoring, Open Inference Protocol, metrics (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let s: ServingApp;
    let admin: Headers;
    let dora: Headers;
    let vera: Headers;
    let olga: Headers;
    let native: { label: string; probabilities: Record<string, number> }[];
    const project = 'weather';
    const rowsSent = { mlflow: 0, oip: 0 };
    const invoke = (headers: Headers, payload: unknown, name = DEPLOYMENT) => call(s.app, 'POST', `/deployments/${name}/invocations`, headers, payload);
    const infer = (headers: Headers, payload: unknown, path = `/v2/models/${DEPLOYMENT}`) => call(s.app, 'POST', `${path}/infer`, headers, payload);
    const token = async (who: Headers, role: string) => bearer((await call(s.app, 'POST', '/api/v1/tokens', who, { name: `t-${role}`, role, project })).body.secret);

    beforeAll(async () => {
      s = await openServingApp({ databaseUrl: await target.freshUrl() });
      const boot = (await s.platform.services.users.bootstrapAdmin())!;
      const session = await signIn(s.app, boot.user.username, boot.password);
      admin = bearer((await call(s.app, 'POST', '/api/v1/tokens', session, { name: 'admin', role: 'admin' })).body.secret);
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: project })).status).toBe(201);
      for (const [user, role] of [['dora', 'data-scientist'], ['vera', 'viewer'], ['olga', null]] as const) {
        expect((await call(s.app, 'POST', '/api/v1/users', admin, { username: user, password: PASSWORD })).status).toBe(201);
        if (role) expect((await call(s.app, 'PUT', `/api/v1/projects/${project}/members/${user}`, admin, { role })).status).toBe(200);
      }
      dora = await token(await signIn(s.app, 'dora', PASSWORD), 'data-scientist');
      vera = await token(await signIn(s.app, 'vera', PASSWORD), 'viewer');
      olga = bearer((await call(s.app, 'POST', '/api/v1/tokens', await signIn(s.app, 'olga', PASSWORD), { name: 'mine', role: 'viewer' })).body.secret);
      await registerFixture(s.platform, project, 'weather', WEATHER_SPEC);
      await registerFixture(s.platform, project, 'weather', WEATHER_SPEC_V2);
      await call(s.app, 'PUT', `/api/v1/projects/${project}/models/weather/aliases/champion`, admin, { version: 1, reason: 'first' });
      expect((await call(s.app, 'POST', `/api/v1/projects/${project}/deployments`, admin, { name: DEPLOYMENT, model: 'weather' })).status).toBe(201);
      const r = await call(s.app, 'POST', `/api/v1/deployments/${DEPLOYMENT}/predict`, admin, { rows: ROWS });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      native = r.body.predictions;
    }, 120_000);
    afterAll(() => s?.close());

    it('MLflow: every JSON input form and CSV answer the labels of the native predict endpoint', async () => {
      const labels = native.map((p) => p.label);
      const columns = ['station', 'wind', 'temp_min', 'temp_max', 'precipitation'];
      const payloads: Array<[string, unknown]> = [
        ['dataframe_split', { dataframe_split: { columns, data: ROWS.map((r) => columns.map((c) => r[c as keyof typeof r])) } }],
        ['dataframe_split in feature order', { dataframe_split: { data: ROWS.map((r) => FEATURES.map((c) => r[c as keyof typeof r])) } }],
        ['dataframe_records', { dataframe_records: ROWS }],
        ['instances (records)', { instances: ROWS }],
        ['instances (lists)', { instances: ROWS.map((r) => FEATURES.map((c) => r[c as keyof typeof r])) }],
        ['inputs (dict of columns)', { inputs: Object.fromEntries(FEATURES.map((c) => [c, ROWS.map((r) => r[c as keyof typeof r])])) }],
        ['inputs (records)', { inputs: ROWS, params: { ignored: true } }],
      ];
      for (const [form, payload] of payloads) {
        const r = await invoke(dora, payload);
        expect(r.status, `${form}: ${JSON.stringify(r.body)}`).toBe(200);
        expect(r.body, form).toEqual({ predictions: labels });
        rowsSent.mlflow += ROWS.length;
      }
      // Older MLflow clients send a format parameter with the JSON content type.
      const split = await s.app.inject({
        method: 'POST',
        url: `/deployments/${DEPLOYMENT}/invocations`,
        headers: { ...dora, 'content-type': 'application/json; format=pandas-split' },
        payload: JSON.stringify(payloads[0][1]),
      });
      expect(split.statusCode, split.body).toBe(200);
      expect(JSON.parse(split.body)).toEqual({ predictions: labels });
      rowsSent.mlflow += ROWS.length;
      const csv = ['station,precipitation,temp_max,temp_min,wind', ...ROWS.map((r) => `"${r.station}",${r.precipitation},${r.temp_max},${r.temp_min},${r.wind}`)].join('\r\n');
      const r = await s.app.inject({ method: 'POST', url: `/deployments/${DEPLOYMENT}/invocations`, headers: { ...dora, 'content-type': 'text/csv' }, payload: csv });
      expect(r.statusCode, r.body).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ predictions: labels });
      rowsSent.mlflow += ROWS.length;
    });

    it("MLflow: errors in MLflow's format — 400 BAD_REQUEST naming the field, 401, 403, 404 — and /ping, /health are public", async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ rows: ROWS }, /exactly one of the input fields dataframe_split, dataframe_records, instances, inputs/],
        [{ dataframe_records: ROWS.map((r, i) => (i === 1 ? { ...r, wind: 'strong' } : r)) }, /^dataframe_records\[1\]\.wind must be a number/],
        [{ dataframe_split: { columns: ['wind'], data: [[1]] } }, /^dataframe_split\.columns lacks feature 'precipitation'/],
        [{ instances: [] }, /instances is empty/],
      ];
      for (const [payload, message] of cases) {
        const r = await invoke(dora, payload);
        expect(r.status, JSON.stringify(payload)).toBe(400);
        expect(r.body.error_code).toBe('BAD_REQUEST');
        expect(r.body.message).toMatch(message);
      }
      const badCsv = await s.app.inject({ method: 'POST', url: `/deployments/${DEPLOYMENT}/invocations`, headers: { ...dora, 'content-type': 'text/csv' }, payload: 'precipitation,temp_max\n1,2,3\n' });
      expect(badCsv.statusCode).toBe(400);
      expect(JSON.parse(badCsv.body)).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringMatching(/csv line 2/) });
      const notJson = await s.app.inject({ method: 'POST', url: `/deployments/${DEPLOYMENT}/invocations`, headers: { ...dora, 'content-type': 'application/json' }, payload: '{"inputs": [' });
      expect(notJson.statusCode).toBe(400);
      expect(JSON.parse(notJson.body).error_code).toBe('BAD_REQUEST');
      expect((await invoke({}, { inputs: ROWS })).body).toMatchObject({ error_code: 'UNAUTHENTICATED' });
      const denied = await invoke(vera, { inputs: ROWS });
      expect([denied.status, denied.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
      for (const who of [olga, admin]) {
        const r = await invoke(who, { inputs: ROWS }, who === olga ? DEPLOYMENT : 'no-such-deployment');
        expect([r.status, r.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      }
      for (const path of ['/ping', '/health']) expect((await call(s.app, 'GET', path)).status).toBe(200);
    });

    it('OIP: live, ready and server metadata; model metadata and readiness per deployment and version', async () => {
      expect(await call(s.app, 'GET', '/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
      expect(await call(s.app, 'GET', '/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
      expect((await call(s.app, 'GET', '/v2')).status).toBe(401);
      expect((await call(s.app, 'GET', '/v2', vera)).body).toEqual({ name: 'flywheel', version: 'test', extensions: [] });

      const meta = await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}`, vera);
      expect(meta.status, JSON.stringify(meta.body)).toBe(200);
      expect(meta.body).toEqual({
        name: DEPLOYMENT,
        versions: ['1'],
        platform: 'onnxruntime',
        inputs: WEATHER_SPEC.features.map((f) => ({ name: f.name, datatype: f.kind === 'numeric' ? 'FP32' : 'BYTES', shape: [-1, 1] })),
        outputs: [
          { name: 'label', datatype: 'BYTES', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        ],
      });
      expect((await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}/versions/2`, vera)).body.versions).toEqual(['2']);
      expect(await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}/ready`, vera)).toMatchObject({ status: 200, body: { name: DEPLOYMENT, ready: true } });
      expect((await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}/versions/2/ready`, vera)).status).toBe(200);
      const missing = await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}/versions/9`, vera);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatch(/v9/);
      expect((await call(s.app, 'GET', '/v2/models/no-such-model', vera)).body).toEqual({ error: expect.stringMatching(/no-such-model/) });
      expect((await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}`, olga)).status).toBe(404);
      expect((await call(s.app, 'GET', `/v2/models/${DEPLOYMENT}`)).status).toBe(401);
    });

    it('OIP: infer answers the native labels and probabilities (within 1e-6); a version path runs that version', async () => {
      const r = await infer(dora, { id: 'req-1', inputs: tensors(ROWS, [...FEATURES].reverse()) });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ model_name: DEPLOYMENT, model_version: '1', id: 'req-1' });
      const [label, probabilities] = r.body.outputs;
      expect(label).toEqual({ name: 'label', datatype: 'BYTES', shape: [ROWS.length], data: native.map((p) => p.label) });
      expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [ROWS.length, 3] });
      const flat = native.flatMap((p) => WEATHER_SPEC.classes.map((c) => p.probabilities[c]));
      flat.forEach((p, i) => expect(Math.abs(probabilities.data[i] - p)).toBeLessThan(1e-6));
      rowsSent.oip += ROWS.length;

      const v2 = await infer(dora, { inputs: tensors(ROWS), outputs: [{ name: 'probabilities' }] }, `/v2/models/${DEPLOYMENT}/versions/2`);
      expect(v2.status, JSON.stringify(v2.body)).toBe(200);
      expect(v2.body.model_version).toBe('2');
      expect(v2.body.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities']);
      ROWS.forEach((row, i) => {
        const want = expectedPrediction(WEATHER_SPEC_V2, row);
        WEATHER_SPEC.classes.forEach((c, k) => expect(Math.abs(v2.body.outputs[0].data[i * 3 + k] - want.probabilities[c])).toBeLessThan(1e-6));
      });
      rowsSent.oip += ROWS.length;
      // The deployment itself still serves version 1.
      expect((await infer(dora, { inputs: tensors([SAMPLE_ROW]) })).body.model_version).toBe('1');
      rowsSent.oip += 1;
    });

    it('OIP: bad tensors answer 400 {"error"} and predict nothing; 401, 403 and 404 as for every serving call', async () => {
      const before = s.platform.services.predictionLog.pendingRows();
      const good = tensors(ROWS);
      const swap = (name: string, patch: Record<string, unknown>) => good.map((t) => (t.name === name ? { ...t, ...patch } : t));
      const cases: Array<[unknown, RegExp]> = [
        [{ inputs: swap('wind', { data: [1, 2, 3] }) }, /input 'wind'\.data has 3 elements but shape \[4, 1\] needs 4/],
        [{ inputs: swap('wind', { datatype: 'BYTES' }) }, /input 'wind'\.datatype is BYTES, but the model takes FP32/],
        [{ inputs: swap('station', { datatype: 'INT64' }) }, /input 'station'\.datatype is INT64, but the model takes BYTES/],
        [{ inputs: good.filter((t) => t.name !== 'temp_min') }, /input 'temp_min' is missing/],
        [{ inputs: swap('wind', { shape: [4, 2] }) }, /input 'wind'\.shape is \[4, 2\]/],
        [{ inputs: swap('wind', { data: [1, 2, 'x', 4] }) }, /input 'wind'\.data\[2\] must be a number/],
        [{ inputs: good, outputs: [{ name: 'logits' }] }, /outputs\[0\]\.name must be one of/],
        [{ tensors: good }, /inputs must be a non-empty array/],
      ];
      for (const [payload, message] of cases) {
        const r = await infer(dora, payload);
        expect(r.status, JSON.stringify(payload).slice(0, 200)).toBe(400);
        expect(Object.keys(r.body)).toEqual(['error']);
        expect(r.body.error).toMatch(message);
      }
      expect((await infer(dora, { inputs: good }, `/v2/models/${DEPLOYMENT}/versions/x`)).status).toBe(400);
      expect((await infer(dora, { inputs: good }, `/v2/models/${DEPLOYMENT}/versions/9`)).status).toBe(404);
      expect(s.platform.services.predictionLog.pendingRows()).toBe(before);
      expect((await infer({}, { inputs: good })).status).toBe(401);
      expect((await infer(vera, { inputs: good })).status).toBe(403);
      expect((await infer(olga, { inputs: good })).status).toBe(404);
      expect((await infer(dora, { inputs: good }, '/v2/models/no-such-model')).status).toBe(404);
    });

    it('logs every prediction of every protocol: after flush each logged row has its inputs and label', async () => {
      await s.platform.services.predictionLog.flush();
      const access = await projectAccess(s.platform, project);
      const logged = await s.platform.services.predictionLog.readPredictions(access.project.id, DEPLOYMENT);
      // native predict (beforeAll) + MLflow + OIP rows
      expect(logged).toHaveLength(ROWS.length + rowsSent.mlflow + rowsSent.oip);
      const byKey = new Map(ROWS.map((r) => [key(r), r]));
      for (const p of logged) {
        const row = byKey.get(key(p.inputs));
        expect(row, JSON.stringify(p.inputs)).toBeDefined();
        expect(p.label).toBe(expectedPrediction(p.model_version === 1 ? WEATHER_SPEC : WEATHER_SPEC_V2, row!).label);
      }
      expect(logged.filter((p) => p.model_version === 2)).toHaveLength(ROWS.length);
    });

    it('/metrics counts requests, latency, batch sizes and errors per deployment, version and protocol', async () => {
      const r = await s.app.inject({ method: 'GET', url: '/metrics', headers: admin });
      expect(r.statusCode).toBe(200);
      const text = r.body;
      const base = { deployment: DEPLOYMENT, version: '1' };
      expect(sample(text, 'flywheel_serving_requests_total', { ...base, protocol: 'flywheel', status: '200' })).toBe(1);
      expect(sample(text, 'flywheel_serving_requests_total', { ...base, protocol: 'mlflow', status: '200' })).toBe(9);
      expect(sample(text, 'flywheel_serving_requests_total', { ...base, protocol: 'oip', status: '200' })).toBe(2);
      expect(sample(text, 'flywheel_serving_requests_total', { deployment: DEPLOYMENT, version: '2', protocol: 'oip', status: '200' })).toBe(1);
      expect(sample(text, 'flywheel_serving_requests_total', { ...base, protocol: 'oip', status: '400' })).toBe(9);
      expect(sample(text, 'flywheel_serving_requests_total', { deployment: '(unknown)', protocol: 'mlflow', status: '404' })).toBe(1);
      expect(sample(text, 'flywheel_serving_errors_total', { ...base, protocol: 'mlflow', kind: 'client' })).toBeGreaterThanOrEqual(9);
      expect(sample(text, 'flywheel_serving_request_duration_seconds_count', { ...base, protocol: 'mlflow' })).toBeGreaterThanOrEqual(8);
      expect(sample(text, 'flywheel_serving_batch_rows_sum', { ...base, protocol: 'mlflow' })).toBe(rowsSent.mlflow);
      expect(sample(text, 'flywheel_serving_batch_rows_bucket', { ...base, protocol: 'oip', le: '1' })).toBe(1);
    });
  });
}
