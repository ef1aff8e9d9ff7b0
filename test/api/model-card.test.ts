// Model cards on both databases: fill in a model's card fields (viewer refused), then read a
// version's card as Markdown and HTML: lineage (run, code version, seed, params, dataset versions
// with accepted/quarantined rows and the parent chain), metrics, gate, aliases and their history,
// retraining decisions, the fields ("not filled in yet" where empty); user text escaped in HTML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { buildLinearModel, WEATHER_SPEC } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers, addMember } from '../support/http.js';
import { adminContext, projectAccess, registerFixture } from '../support/serving.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';
const CSV = ['date,precipitation,temp_max,temp_min,wind,weather', '2012-01-01,0,12.8,5,4.7,drizzle', '2012-01-02,10.9,10.6,2.8,4.5,rain', '2012-01-03,0.8,11.7,7.2,2.3,rain'].join('\n') + '\n';
const XSS = '<script>alert("card")</script>';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`model cards (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let viewer: Headers;
    const project = 'cards';
    const base = `/api/v1/projects/${project}/models`;
    let runId: string;

    async function ingest(): Promise<string> {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${project}/datasets/weather/versions`, headers: { ...admin, 'content-type': 'text/csv' }, payload: CSV });
      expect(res.statusCode, res.body).toBe(201);
      return JSON.parse(res.body).id as string;
    }

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: project })).status).toBe(201);
      await addMember(t.app, admin, project, 'vera', PASSWORD, 'viewer');
      viewer = await signIn(t.app, 'vera', PASSWORD);
      expect((await call(t.app, 'POST', `/api/v1/projects/${project}/datasets`, admin, { name: 'weather' })).status).toBe(201);
      await ingest();
      const dv2 = await ingest();

      // A finished run with params, as training records it.
      const store = t.platform.store;
      const access = await projectAccess(t.platform, project);
      const exp = await store.tracking.ensureExperiment(access.project.id, 'card-exp', Date.now());
      runId = newId();
      await store.tracking.createRun({
        id: runId, project_id: access.project.id, experiment_id: exp.id, name: 'card-run', status: 'finished', spec: {}, dataset_version_id: dv2,
        seed: 42, code_version: 'flywheel 9.9.9 (abc1234)', job_id: null, model_artifact_sha256: null, model_version_id: null, gate: null, error: null,
        created_by: null, created_at: Date.now(), start_time: null, end_time: null,
      });
      await store.tracking.logParams(runId, { learning_rate: '0.1', l2: '0.001' });

      const ctx = await adminContext(t.platform);
      await registerFixture(t.platform, project, 'weather'); // v1: lineage that is not in the project
      await t.platform.services.registry.registerVersion(ctx, access, {
        model: 'weather',
        onnx: buildLinearModel(WEATHER_SPEC),
        run_id: runId,
        dataset_version_id: dv2,
        metrics: { accuracy: 0.8123, macro_f1: 0.61 },
        gate: { passed: true, summary: 'all checks passed', checks: [{ metric: 'macro_f1', op: '>=', threshold: 0.5, value: 0.61, passed: true }] },
      });
      await t.platform.services.registry.setAlias(ctx, access, 'weather', 'champion', 1, 'first');
      await t.platform.services.registry.setAlias(ctx, access, 'weather', 'champion', 2, `better ${XSS}`);
      await store.monitoring.createDecision({
        id: newId(), project_id: access.project.id, model: 'weather', trigger_alert_ids: [],
        champion: { version: 1, metrics: { macro_f1: 0.55 } },
        challenger: { run_id: runId, version: 2, metrics: { macro_f1: 0.61 }, gate: { passed: true, summary: 'ok' } },
        holdout: { from: 0, to: 1, rows: 31 }, decision: 'promoted', reason: 'challenger beat the champion by 0.06', created_at: Date.now(),
      });
    }, 120_000);
    afterAll(() => t?.close());

    it('shows "not filled in yet" for empty fields, and lets a data scientist fill them (a viewer gets 403)', async () => {
      const empty = await call(t.app, 'GET', `${base}/weather/versions/2/card`, admin);
      expect(empty.status).toBe(200);
      expect(empty.body.match(/Not filled in yet/g)).toHaveLength(4);

      const refused = await call(t.app, 'PUT', `${base}/weather/card-fields`, viewer, { intended_use: 'nope' });
      expect(refused.status).toBe(403);
      expect((await call(t.app, 'GET', `${base}/weather/card-fields`, viewer)).body.intended_use).toBe('');

      const put = await call(t.app, 'PUT', `${base}/weather/card-fields`, admin, { intended_use: 'Daily weather for Seattle', limitations: `Trained on 3 days. ${XSS}` });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ intended_use: 'Daily weather for Seattle', ethical_considerations: '', owners: '', updated_at: expect.any(Number) });
      const owners = await call(t.app, 'PUT', `${base}/weather/card-fields`, admin, { owners: 'ml-team@example.org' });
      expect(owners.body).toMatchObject({ intended_use: 'Daily weather for Seattle', owners: 'ml-team@example.org' });
      expect((await call(t.app, 'PUT', `${base}/weather/card-fields`, admin, { nonsense: 'x' })).status).toBe(400);
    });

    it('generates the Markdown card from lineage, metrics, gate, aliases, decisions and the fields', async () => {
      const res = await t.app.inject({ method: 'GET', url: `${base}/weather/versions/2/card?format=markdown`, headers: viewer });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/markdown/);
      const md = res.body;
      expect(md).toContain('# Model card: weather v2');
      for (const s of [runId, 'card-run', 'flywheel 9.9.9 (abc1234)', '| seed | 42 |', '| learning_rate | 0.1 |', '| l2 | 0.001 |']) expect(md).toContain(s);
      // Dataset v2 (trained on) and its parent v1, with accepted / quarantined rows and source.
      expect(md).toMatch(/\| weather \| v2 \| 3 \| 0 \| file: [^|]+ \| [^|]+ \| trained on \|/);
      expect(md).toMatch(/\| weather \| v1 \| 3 \| 0 \| .* \| parent 1 \|/);
      expect(md).toContain('| accuracy | 0.8123 |');
      expect(md).toContain('Result: passed — all checks passed');
      expect(md).toContain('| macro_f1 | >= 0.5 | 0.61 | passed |');
      expect(md).toContain('Aliases now: champion');
      expect(md).toContain('v1 → v2');
      expect(md).toContain('challenger beat the champion by 0.06');
      expect(md).toContain('Daily weather for Seattle');
      expect(md).toContain('ml-team@example.org');
      expect(md.match(/Not filled in yet/g)).toHaveLength(1); // ethical considerations
    });

    it('generates an HTML card that escapes everything users wrote', async () => {
      const res = await t.app.inject({ method: 'GET', url: `${base}/weather/versions/2/card?format=html`, headers: admin });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      const html = res.body;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toContain('<script');
      expect(html).toContain('&lt;script&gt;alert(&quot;card&quot;)&lt;/script&gt;');
      expect(html.split('&lt;script&gt;').length - 1).toBe(2); // the limitations field and the alias reason
      expect(html).toContain('<td>flywheel 9.9.9 (abc1234)</td>');
      expect(html).toContain('Daily weather for Seattle');
    });

    it('names lineage it cannot find, and answers 404 for unknown models and versions', async () => {
      const v1 = await call(t.app, 'GET', `${base}/weather/versions/1/card`, admin);
      expect(v1.body).toContain('Run run-fixture (not found');
      expect(v1.body).toContain('Dataset version dv-fixture (not found');
      const noModel = await call(t.app, 'GET', `${base}/nope/versions/1/card`, admin);
      expect(noModel.status).toBe(404);
      expect(noModel.body.error.details.what).toBe('model');
      const noVersion = await call(t.app, 'GET', `${base}/weather/versions/9/card?format=html`, admin);
      expect(noVersion.status).toBe(404);
      expect(noVersion.body.error.details.what).toBe('model version');
      expect((await call(t.app, 'PUT', `${base}/nope/card-fields`, admin, { owners: 'x' })).status).toBe(404);
      expect((await call(t.app, 'GET', `${base}/weather/versions/2/card?format=pdf`, admin)).status).toBe(400);
    });

    it('reads the card through the typed client as text', async () => {
      const { createClient } = await import('../../src/client/client.js');
      const { api } = await import('../../src/contracts/index.js');
      const client = createClient({
        send: async (req) => {
          const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers: { ...req.headers, ...admin } });
          return { status: res.statusCode, body: res.body };
        },
      });
      const md = await client.text(api.getModelCard, { params: { project, model: 'weather', version: 2 }, query: { format: 'markdown' } });
      expect(md).toContain('# Model card: weather v2');
      await expect(client.text(api.getModelCard, { params: { project, model: 'weather', version: 9 }, query: { format: 'markdown' } })).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
