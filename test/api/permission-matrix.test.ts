// Walk the whole permission matrix over every route: each role (and an admin, an outsider and
// an anonymous caller) calls every endpoint; the answer must match ROLE_ACTIONS exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, type Endpoint } from '../../src/contracts/index.js';
import { PROJECT_ROLES, type ProjectRole } from '../../src/domain/roles.js';
import { ROLE_ACTIONS } from '../../src/services/index.js';
import type { ProjectAction } from '../../src/domain/actions.js';
import { buildUrl } from '../../src/client/client.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';
import { SAMPLE_ROW, seedMatrixDeployment } from '../support/serving.js';

type Caller = ProjectRole | 'admin' | 'outsider' | 'anonymous';
const CALLERS: Caller[] = [...PROJECT_ROLES, 'admin', 'outsider', 'anonymous'];

interface Fixture {
  project: string;
  tokenId: string;
  password: string;
  n: number;
}

/** A valid request for every endpoint; a new endpoint without one fails the test. */
const SAMPLES: Record<string, (f: Fixture) => { params?: Record<string, string>; body?: unknown }> = {
  health: () => ({}),
  'auth.login': () => ({ body: { username: 'nobody', password: 'wrong-password' } }),
  'auth.logout': () => ({}),
  'auth.me': () => ({}),
  'auth.password': (f) => ({ body: { current_password: f.password, new_password: f.password } }),
  'users.list': () => ({}),
  'users.create': (f) => ({ body: { username: `made-${f.n}` } }),
  'users.update': () => ({ params: { user: 'victim' }, body: { display_name: 'Victim' } }),
  'users.reset-password': () => ({ params: { user: 'victim' } }),
  'tokens.list': () => ({}),
  'tokens.create': (f) => ({ body: { name: `t${f.n}`, role: 'viewer' } }),
  'tokens.revoke': (f) => ({ params: { token: f.tokenId } }),
  'projects.list': () => ({}),
  'projects.create': (f) => ({ body: { name: `created-${f.n}` } }),
  'projects.get': (f) => ({ params: { project: f.project } }),
  'projects.update': (f) => ({ params: { project: f.project }, body: { description: 'changed' } }),
  'members.list': (f) => ({ params: { project: f.project } }),
  'members.put': (f) => ({ params: { project: f.project, user: 'victim' }, body: { role: 'viewer' } }),
  'members.remove': (f) => ({ params: { project: f.project, user: 'victim' } }),
  'audit.project': (f) => ({ params: { project: f.project } }),
  'audit.list': () => ({}),
  'audit.verify': () => ({}),
  'jobs.list': (f) => ({ params: { project: f.project } }),
  'jobs.get': (f) => ({ params: { project: f.project, job: '01a22177-0000-7000-8000-000000000000' } }),
  'jobs.cancel': (f) => ({ params: { project: f.project, job: '01a22177-0000-7000-8000-000000000000' } }),
  'secrets.list': (f) => ({ params: { project: f.project } }),
  'secrets.put': (f) => ({ params: { project: f.project, name: 'db-password' }, body: { value: 's3cret' } }),
  'secrets.delete': (f) => ({ params: { project: f.project, name: 'db-password' } }),
  'runs.create': (f) => ({
    params: { project: f.project },
    body: { dataset: 'sample-dataset', target: 'y', features: [{ name: 'x', kind: 'numeric' }], time_column: 'date', holdout: { from: '2013-10-01', to: '2014-01-01' } },
  }),
  'loop.get': (f) => ({ params: { project: f.project } }),
  'searches.create': (f) => ({
    params: { project: f.project },
    body: {
      dataset: 'sample-dataset',
      target: 'y',
      features: [{ name: 'x', kind: 'numeric' }],
      time_column: 'date',
      holdout: { from: '2013-10-01', to: '2014-01-01' },
      search: { method: 'grid', params: { l2: [0.1, 1] }, metric: 'accuracy' },
    },
  }),
  'searches.trials': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.command': (f) => ({ params: { project: f.project }, body: { dataset: 'sample-dataset', command: ['/bin/true'] } }),
  'runs.list': (f) => ({ params: { project: f.project } }),
  'runs.get': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'experiments.list': (f) => ({ params: { project: f.project } }),
  'experiments.runs': (f) => ({ params: { project: f.project, experiment: '0' } }),
  'experiments.run-keys': (f) => ({ params: { project: f.project, experiment: '0' } }),
  'runs.details': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.metric-history': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.delete': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.restore': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.artifacts': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'runs.artifact': (f) => ({ params: { project: f.project, run: '01a22177-0000-7000-8000-000000000000' } }),
  'policy.get': (f) => ({ params: { project: f.project } }),
  'policy.put': (f) => ({ params: { project: f.project }, body: { thresholds: { accuracy: { min: 0.5 } } } }),
  'monitors.create': (f) => ({
    params: { project: f.project },
    body: { name: `m${f.n}`, deployment: 'sample-deployment', reference_dataset_version_id: 'none', features: ['x'], baseline: { accuracy: 0.5 } },
  }),
  'monitors.list': (f) => ({ params: { project: f.project } }),
  'monitors.get': (f) => ({ params: { project: f.project, monitor: 'sample-monitor' } }),
  'monitors.evaluate': (f) => ({ params: { project: f.project, monitor: 'sample-monitor' }, body: { month: '2014-01' } }),
  'alerts.list': (f) => ({ params: { project: f.project } }),
  'feedback.record': (f) => ({ params: { project: f.project }, body: { items: [{ prediction_id: `sample-prediction-${f.n}`, value: 12.5 }] } }),
  'decisions.list': (f) => ({ params: { project: f.project } }),
  'retraining.start': (f) => ({
    params: { project: f.project },
    body: {
      model: 'sample-model',
      deployment: 'sample-deployment',
      monitor: 'sample-monitor',
      dataset: 'sample-dataset',
      history_version: 1,
      holdout_month: '2014-01',
      base_spec: { features: [{ name: 'x', kind: 'numeric' }], target: 'y', time_column: 'date' },
    },
  }),
  'datasets.create': (f) => ({ params: { project: f.project }, body: { name: `sample-dataset-${f.n}` } }),
  'datasets.list': (f) => ({ params: { project: f.project } }),
  'datasets.get': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.ingest': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' }, body: 'a,b\n1,2\n' }),
  'datasets.versions.list': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.versions.get': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', version: '1' } }),
  'datasets.quarantine': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', version: '1' } }),
  'datasets.push': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' }, body: { rows: [{ a: 1 }] } }),
  'datasets.commit': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.staging.get': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.staging.put': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' }, body: { commit_at_rows: 1000 } }),
  'datasets.diff': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.quarantine.rules': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', version: '1' } }),
  'datasets.readmit': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', version: '1' }, body: { rows: [{ line: 2, values: { a: '1' } }] } }),
  'datasets.schema.get': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.schema.put': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' }, body: { columns: [{ name: 'a', semantic: 'label' }] } }),
  'datasets.lineage': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', version: '1' } }),
  'datasets.sources.list': (f) => ({ params: { project: f.project, dataset: 'sample-dataset' } }),
  'datasets.sources.create': (f) => ({
    params: { project: f.project, dataset: 'sample-dataset' },
    body: { name: `source-${f.n}`, kind: 'http', url: 'http://127.0.0.1:9/sample.csv', schedule: '0 6 * * *', timezone: 'UTC' },
  }),
  'datasets.sources.get': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', source: 'sample-source' } }),
  'datasets.sources.update': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', source: 'sample-source' }, body: { enabled: false } }),
  'datasets.sources.delete': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', source: 'sample-source' } }),
  'datasets.sources.run': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', source: 'sample-source' } }),
  'datasets.sources.runs': (f) => ({ params: { project: f.project, dataset: 'sample-dataset', source: 'sample-source' } }),
  'models.list': (f) => ({ params: { project: f.project } }),
  'models.get': (f) => ({ params: { project: f.project, model: 'sample-model' } }),
  'models.versions': (f) => ({ params: { project: f.project, model: 'sample-model' } }),
  'models.version': (f) => ({ params: { project: f.project, model: 'sample-model', version: '1' } }),
  'models.version-onnx': (f) => ({ params: { project: f.project, model: 'sample-model', version: '1' } }),
  'models.set-alias': (f) => ({ params: { project: f.project, model: 'sample-model', alias: 'champion' }, body: { version: 1, reason: 'sample' } }),
  'models.alias-history': (f) => ({ params: { project: f.project, model: 'sample-model' } }),
  'models.validate': (f) => ({ params: { project: f.project, model: 'sample-model', version: '1' } }),
  'models.card-fields': (f) => ({ params: { project: f.project, model: 'sample-model' } }),
  'models.put-card-fields': (f) => ({ params: { project: f.project, model: 'sample-model' }, body: { intended_use: 'sample' } }),
  'models.card': (f) => ({ params: { project: f.project, model: 'sample-model', version: '1' } }),
  'deployments.list': (f) => ({ params: { project: f.project } }),
  'deployments.create': (f) => ({ params: { project: f.project }, body: { name: `sample-deployment-${f.n}`, model: 'sample-model' } }),
  'deployments.get': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' } }),
  'deployments.update': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' }, body: { version: 1 } }),
  'deployments.segments': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' } }),
  'deployments.rollback': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' }, body: { reason: 'sample' } }),
  'deployments.history': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' } }),
  'deployments.stats': (f) => ({ params: { project: f.project, deployment: 'sample-deployment' } }),
  // The serving URL names no project: one deployment in a project where every role user has that role.
  'deployments.predict': () => ({ params: { deployment: MATRIX_DEPLOYMENT }, body: { rows: [SAMPLE_ROW] } }),
  'labelling.jobs.list': (f) => ({ params: { project: f.project } }),
  'labelling.jobs.create': (f) => ({ params: { project: f.project }, body: { name: 'sample-job', labels: ['yes', 'no'], overlap: 1, items: [{ data: { x: 1 } }] } }),
  'labelling.jobs.get': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.tasks.add': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { items: [{ data: { x: 2 } }] } }),
  'labelling.tasks.list': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.next': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.export': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.import': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { tasks: [] } }),
  'labelling.consensus': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.labels.submit': (f) => ({ params: { project: f.project, job: 'sample-job', task: '01a22177-0000-7000-8000-000000000000' }, body: { label: 'yes' } }),
  'labelling.disputes': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.review': (f) => ({ params: { project: f.project, job: 'sample-job', task: '01a22177-0000-7000-8000-000000000000' }, body: { decision: 'accept' } }),
  'labelling.reviews.list': (f) => ({ params: { project: f.project, job: 'sample-job', task: '01a22177-0000-7000-8000-000000000000' } }),
  'labelling.skip': (f) => ({ params: { project: f.project, job: 'sample-job', task: '01a22177-0000-7000-8000-000000000000' } }),
  'labelling.labels.withdraw': (f) => ({ params: { project: f.project, job: 'sample-job', task: '01a22177-0000-7000-8000-000000000000' } }),
  'labelling.results.export': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.results.import': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: '{"task_id": "t-1", "annotator": "w1", "label": "yes"}\n' }),
  'labelling.images.upload': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: 'not an image' }),
  'labelling.images.get': (f) => ({ params: { project: f.project, job: 'sample-job', image: '0'.repeat(64) } }),
  'labelling.settings': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { show_suggestions: false } }),
  'labelling.prelabel': (f) => ({ params: { project: f.project, job: 'sample-job' } }),
  'labelling.active-learning': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { strategy: 'entropy', k: 5, mode: 'reprioritise' } }),
  'labelling.output': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { dataset: 'sample-labelled' } }),
  'labelling.tasks.from-predictions': (f) => ({ params: { project: f.project, job: 'sample-job' }, body: { deployment: 'no-such-deployment' } }),
};

const MATRIX_DEPLOYMENT = 'matrix-deployment';

/** Session-ending calls go last so they don't sign the caller out mid-walk. */
const LAST = ['auth.password', 'auth.logout'];
const ordered = [...endpoints].sort((a, b) => LAST.indexOf(a.id) - LAST.indexOf(b.id));

function expected(e: Endpoint, who: Caller): 'allow' | 'deny' | 'unauthenticated' | 'hidden' {
  if (e.auth === 'public') return 'allow';
  if (who === 'anonymous') return 'unauthenticated';
  if (e.auth === 'user') return 'allow';
  const action = e.auth.action;
  if (action === 'project.create') return 'allow';
  if (action === 'instance.admin') return who === 'admin' ? 'allow' : 'deny';
  if (who === 'admin') return 'allow';
  if (who === 'outsider') return 'hidden';
  return ROLE_ACTIONS[who].has(action as ProjectAction) ? 'allow' : 'deny';
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`permission matrix over every route (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const password = 'a-long-enough-password';
    const outcomes: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl(), env: { FLYWHEEL_ALLOW_COMMANDS: '1' } });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      for (const u of ['founder', 'victim', 'outsider', ...PROJECT_ROLES]) {
        const r = await call(t.app, 'POST', '/api/v1/users', admin, { username: u, password });
        expect(r.status).toBe(201);
      }
    }, 120_000);
    beforeAll(() => seedMatrixDeployment(t, 'p-serving', MATRIX_DEPLOYMENT, PROJECT_ROLES), 60_000);
    afterAll(() => t?.close());

    it('has a sample request for every endpoint', () => {
      expect(endpoints.map((e) => e.id).filter((id) => !SAMPLES[id])).toEqual([]);
    });

    it('answers every caller on every route exactly as the matrix says', async () => {
      const founder = await signIn(t.app, 'founder', password);
      let n = 0;
      for (const who of CALLERS) {
        // A project of its own per caller, so one caller's writes cannot change another's answers.
        const project = `p-${who}`;
        expect((await call(t.app, 'POST', '/api/v1/projects', founder, { name: project })).status).toBe(201);
        await call(t.app, 'PUT', `/api/v1/projects/${project}/members/victim`, founder, { role: 'viewer' });
        if ((PROJECT_ROLES as readonly string[]).includes(who)) {
          await call(t.app, 'PUT', `/api/v1/projects/${project}/members/${who}`, founder, { role: who });
        }
        let headers: Headers = {};
        let tokenId = 'none';
        const creds = who === 'admin' ? t.admin : { username: who, password };
        if (who !== 'anonymous') {
          headers = await signIn(t.app, creds.username, creds.password);
          const tok = await call(t.app, 'POST', '/api/v1/tokens', headers, { name: 'to-revoke', role: 'viewer' });
          tokenId = tok.body.token.id;
        }
        for (const e of ordered) {
          // Each session-ending call gets a fresh session.
          if (LAST.includes(e.id) && who !== 'anonymous') headers = await signIn(t.app, creds.username, creds.password);
          const sample = SAMPLES[e.id]({ project, tokenId, password: creds.password, n: n++ });
          const url = buildUrl(e.path, sample.params);
          const res = await call(t.app, e.method, url, headers, sample.body);
          const want = expected(e, who);
          const got =
            res.status === 401 && e.auth !== 'public'
              ? 'unauthenticated'
              : res.status === 403
                ? 'deny'
                : res.status === 404 && (res.body?.error?.details?.what === 'project' || (e.projectFrom === 'deployment' && res.body?.error?.details?.what === 'deployment'))
                  ? 'hidden'
                  : 'allow';
          expect(res.status, `${who} ${e.method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (got !== want) outcomes.push(`${who} ${e.id}: expected ${want}, got ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect(outcomes).toEqual([]);
    }, 120_000);
  });
}
