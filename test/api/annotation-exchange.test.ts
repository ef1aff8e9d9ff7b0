// Label Studio JSON exchange and job consensus over the API on every database: export a labelled
// job, import it into a fresh job (labels resolved by majority vote as from the API, provenance
// kept) and export again to the same JSON; a file made by Label Studio itself (numeric ids, extra
// fields) round-trips too; bad tasks and annotations are rejected one by one, nothing is taken
// twice; consensus by majority vote and Dawid-Skene leaves the tasks as they were resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers, addMember } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const LABELS = ['fog', 'rain', 'sun'];
const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/weather/labelling-jobs';

/** Labels by a1, a2, a3 per day; a missing entry is not labelled by that person. */
const PLAN: Record<string, Array<string | undefined>> = {
  '2014-02-01': ['rain', 'rain', 'sun'],
  '2014-02-02': ['sun', 'sun', 'sun'],
  '2014-02-03': ['fog', undefined, undefined],
  '2014-02-04': [undefined, undefined, undefined],
};

/** A file as Label Studio itself writes it: numeric ids, extra fields everywhere, both completed_by forms. */
function labelStudioFile(): Array<Record<string, unknown>> {
  const ann = (id: number, by: unknown, choice: string, extra: Record<string, unknown> = {}) => ({
    id,
    completed_by: by,
    result: [{ id: `r${id}`, from_name: 'label', to_name: 'data', type: 'choices', origin: 'manual', value: { choices: [choice] } }],
    was_cancelled: false,
    ground_truth: false,
    created_at: '2021-03-09T22:16:08.728353Z',
    updated_at: '2021-03-09T22:16:08.728378Z',
    lead_time: 4.288,
    task: 1,
    ...extra,
  });
  return [
    {
      id: 101,
      created_at: '2021-03-09T21:52:49.513742Z',
      project: 83,
      inner_id: 1,
      data: { text: 'grey and wet', day: '2014-03-01' },
      meta: { prediction_id: 'ls-pred-1' },
      annotations: [ann(1001, 10, 'rain'), ann(1002, { id: 11, email: 'b@example.com', first_name: 'B' }, 'rain'), ann(1003, 12, 'fog', { result_count: 1 })],
      predictions: [{ model_version: 'model 1', score: 0.7, result: [{ id: 'p1', from_name: 'label', to_name: 'data', type: 'choices', value: { choices: ['rain'] } }] }],
    },
    { id: 102, data: { text: 'bright' }, annotations: [ann(1004, 10, 'sun')], predictions: [], drafts: [] },
    { id: 103, data: { text: 'nothing yet' }, annotations: [], predictions: [] },
  ];
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`Label Studio exchange and consensus (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};
    let projectId = '';
    let exported: Array<Record<string, any>> = [];

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      projectId = (await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).body.id;
      const roles: Record<string, string> = { olga: 'owner', a1: 'annotator', a2: 'annotator', a3: 'annotator', vic: 'viewer' };
      for (const [u, role] of Object.entries(roles)) {
        await addMember(t.app, admin, 'weather', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
      const items = Object.keys(PLAN).map((day, i) => ({ data: { date: day, wind: 2 + i }, ...(i === 0 ? { prediction_id: 'pred-1' } : {}) }));
      const job = await call(t.app, 'POST', BASE, as.olga, { name: 'source', labels: LABELS, overlap: 3, items });
      expect(job.status).toBe(201);
      const tasks = (await call(t.app, 'GET', `${BASE}/source/tasks`, as.olga)).body.items as Array<{ id: string; data: { date: string } }>;
      for (const task of tasks) {
        for (const [k, who] of ['a1', 'a2', 'a3'].entries()) {
          const label = PLAN[task.data.date][k];
          if (!label) continue;
          const r = await call(t.app, 'POST', `${BASE}/source/tasks/${task.id}/labels`, as[who], { label, ...(k === 0 ? { duration_ms: 1500 } : {}) });
          expect(r.status, JSON.stringify(r.body)).toBe(201);
        }
      }
    }, 60_000);
    afterAll(() => t?.close());

    it('exports a job as Label Studio tasks with one choices annotation per label', async () => {
      const r = await call(t.app, 'GET', `${BASE}/source/export?format=label-studio`, as.olga);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      exported = r.body;
      expect(exported).toHaveLength(4);
      const first = exported.find((x) => x.data.date === '2014-02-01')!;
      expect(first.meta).toEqual({ prediction_id: 'pred-1' });
      expect(first.predictions).toEqual([]);
      expect(first.annotations).toHaveLength(3);
      const a1 = first.annotations.find((a: { completed_by: string }) => a.completed_by === 'a1');
      expect(a1).toMatchObject({ was_cancelled: false, lead_time: 1.5, result: [{ from_name: 'label', to_name: 'data', type: 'choices', value: { choices: ['rain'] } }] });
      expect(new Date(a1.created_at).toISOString()).toBe(a1.created_at);
      expect(exported.find((x) => x.data.date === '2014-02-04')!.annotations).toEqual([]);
      const resolved = await call(t.app, 'GET', `${BASE}/source/export?status=resolved`, as.olga);
      expect(resolved.body.map((x: { data: { date: string } }) => x.data.date).sort()).toEqual(['2014-02-01', '2014-02-02']);
    });

    it('imports the export into a fresh job: tasks created, labels recorded and resolved by majority vote', async () => {
      expect((await call(t.app, 'POST', BASE, as.olga, { name: 'copy', labels: LABELS, overlap: 3 })).status).toBe(201);
      const r = await call(t.app, 'POST', `${BASE}/copy/import?format=label-studio&provider=acme`, as.olga, { tasks: exported });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ provider: 'acme', received: 4, accepted: 4, rejected: 0, tasks_created: 4, annotations: { received: 7, accepted: 7, skipped: 0, rejected: 0 } });
      const tasks = (await call(t.app, 'GET', `${BASE}/copy/tasks`, as.olga)).body.items as Array<Record<string, any>>;
      const byDay = Object.fromEntries(tasks.map((x) => [x.data.date, x]));
      expect(byDay['2014-02-01']).toMatchObject({ status: 'resolved', resolved_label: 'rain', label_count: 3, prediction_id: 'pred-1' });
      expect(byDay['2014-02-02']).toMatchObject({ status: 'resolved', resolved_label: 'sun', agreement: 1 });
      expect(byDay['2014-02-03']).toMatchObject({ status: 'open', label_count: 1 });
      // Provenance: each outside annotator is a placeholder person of the provider.
      const names = byDay['2014-02-01'].labels.map((l: { annotator: string }) => l.annotator).sort();
      expect(names).toEqual([expect.stringMatching(/^acme\/a1~/), expect.stringMatching(/^acme\/a2~/), expect.stringMatching(/^acme\/a3~/)]);
      expect(byDay['2014-02-01'].labels.find((l: { annotator: string }) => l.annotator.startsWith('acme/a1')).duration_ms).toBe(1500);
      const stats = (await call(t.app, 'GET', `${BASE}/copy`, as.olga)).body.stats;
      expect(stats.annotators.map((a: { annotator: string }) => a.annotator.split('~')[0]).sort()).toEqual(['acme/a1', 'acme/a2', 'acme/a3']);
    });

    it('exports the imported job to deep-equal JSON (round trip)', async () => {
      const again = await call(t.app, 'GET', `${BASE}/copy/export?format=label-studio`, as.olga);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(exported);
    });

    it('takes nothing twice: importing the same file again skips every annotation', async () => {
      const r = await call(t.app, 'POST', `${BASE}/copy/import?provider=acme`, as.olga, { tasks: exported });
      expect(r.body).toMatchObject({ accepted: 4, tasks_created: 0, annotations: { received: 7, accepted: 0, skipped: 7, rejected: 0 } });
      expect(r.body.items[0]).toMatchObject({ status: 'accepted', task: 'matched' });
      expect(r.body.items[0].annotations[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/already recorded/) });
      // Back into the job it came from: matched by Flywheel task id, nothing new.
      const home = await call(t.app, 'POST', `${BASE}/source/import`, as.olga, { tasks: exported });
      expect(home.body).toMatchObject({ accepted: 4, tasks_created: 0, annotations: { accepted: 0, skipped: 7 } });
      expect((await call(t.app, 'GET', `${BASE}/copy/export`, as.olga)).body).toEqual(exported);
    });

    it('adds a contractor’s new annotations to a matched task and resolves it', async () => {
      const task = exported.find((x) => x.data.date === '2014-02-03')!;
      const extra = (id: number, who: string, choice: string) => ({ id, completed_by: who, result: [{ id: `x${id}`, from_name: 'label', to_name: 'data', type: 'choices', value: { choices: [choice] } }] });
      const back = [{ ...task, annotations: [...task.annotations, extra(1, 'w1', 'fog'), extra(2, 'w2', 'rain')] }];
      const r = await call(t.app, 'POST', `${BASE}/source/import?provider=crowd`, as.olga, { tasks: back });
      expect(r.body).toMatchObject({ accepted: 1, tasks_created: 0, annotations: { received: 3, accepted: 2, skipped: 1 } });
      const tasks = (await call(t.app, 'GET', `${BASE}/source/tasks`, as.olga)).body.items as Array<Record<string, any>>;
      expect(tasks.find((x) => x.id === task.id)).toMatchObject({ status: 'resolved', resolved_label: 'fog', label_count: 3 });
    });

    it('round-trips a file made by Label Studio, recording feedback for its prediction', async () => {
      expect((await call(t.app, 'POST', BASE, as.olga, { name: 'from-ls', labels: LABELS, overlap: 3 })).status).toBe(201);
      const file = labelStudioFile();
      const r = await call(t.app, 'POST', `${BASE}/from-ls/import?format=label-studio`, as.olga, { tasks: file });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ provider: 'label-studio', accepted: 3, tasks_created: 3, annotations: { accepted: 4, rejected: 0 } });
      const out = await call(t.app, 'GET', `${BASE}/from-ls/export?format=label-studio`, as.olga);
      expect(out.body).toEqual(file);
      const fb = await t.platform.services.feedback.feedbackFor(projectId, ['ls-pred-1']);
      expect(fb.get('ls-pred-1')).toMatchObject({ label: 'rain', source: 'annotation', task_id: r.body.items[0].task_id });
      // Matched by Label Studio's own id on a second import.
      const again = await call(t.app, 'POST', `${BASE}/from-ls/import`, as.olga, { tasks: file });
      expect(again.body).toMatchObject({ tasks_created: 0, annotations: { accepted: 0, skipped: 4 } });
    });

    it('rejects bad tasks and annotations one by one, naming the problem, and keeps the rest', async () => {
      const good = (id: number, by: number, choice: string, extra: Record<string, unknown> = {}) => ({
        id,
        completed_by: by,
        result: [{ id: `g${id}`, from_name: 'label', to_name: 'data', type: 'choices', value: { choices: [choice] } }],
        ...extra,
      });
      const tasks = [
        'not a task',
        { id: 201 },
        { id: 202, data: { x: 1 }, annotations: 'none' },
        {
          id: 203,
          data: { x: 2 },
          annotations: [
            good(1, 1, 'hail'),
            good(2, 2, 'rain', { was_cancelled: true }),
            { id: 3, completed_by: 3, result: [{ from_name: 'other', to_name: 'data', type: 'choices', value: { choices: ['rain'] } }] },
            { id: 4, result: [] },
            good(5, 5, 'rain'),
            good(6, 5, 'sun'),
          ],
        },
      ];
      const r = await call(t.app, 'POST', `${BASE}/from-ls/import?provider=crowd`, as.olga, { tasks });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ received: 4, accepted: 1, rejected: 3, tasks_created: 1, annotations: { received: 6, accepted: 1, rejected: 5 } });
      expect(r.body.items[0]).toMatchObject({ status: 'rejected', field: 'body[0]', reason: expect.stringMatching(/not an object/) });
      expect(r.body.items[1]).toMatchObject({ status: 'rejected', field: 'body[1].data' });
      expect(r.body.items[2]).toMatchObject({ status: 'rejected', field: 'body[2].annotations' });
      const anns = r.body.items[3].annotations;
      expect(anns[0]).toMatchObject({ status: 'rejected', field: 'body[3].annotations[0].result.value.choices', reason: expect.stringMatching(/'hail' is not one of this job's labels/) });
      expect(anns[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/cancelled/) });
      expect(anns[2]).toMatchObject({ status: 'rejected', field: 'body[3].annotations[2].result.from_name' });
      expect(anns[3]).toMatchObject({ status: 'rejected', field: 'body[3].annotations[3].completed_by' });
      expect(anns[4]).toMatchObject({ status: 'accepted', label: 'rain' });
      expect(anns[5]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already labelled this task/) });
      const bad = await call(t.app, 'POST', `${BASE}/from-ls/import?provider=${encodeURIComponent('no spaces')}`, as.olga, { tasks: [] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('query.provider');
    });

    it('refuses export, import and consensus to annotators and viewers (403)', async () => {
      for (const who of ['a1', 'vic']) {
        expect((await call(t.app, 'GET', `${BASE}/source/export`, as[who])).status).toBe(403);
        expect((await call(t.app, 'POST', `${BASE}/source/import`, as[who], { tasks: [] })).status).toBe(403);
        expect((await call(t.app, 'GET', `${BASE}/source/consensus`, as[who])).status).toBe(403);
      }
    });

    it('gives each labelled task a consensus label and confidence, by majority vote or Dawid-Skene, without resolving anything', async () => {
      const before = (await call(t.app, 'GET', `${BASE}/copy/tasks`, as.olga)).body;
      const mv = await call(t.app, 'GET', `${BASE}/copy/consensus?method=majority`, as.olga);
      expect(mv.status, JSON.stringify(mv.body)).toBe(200);
      expect(mv.body).toMatchObject({ method: 'majority', classes: LABELS, priors: null });
      expect(mv.body.tasks).toHaveLength(3);
      const mvFirst = mv.body.tasks.find((x: { labels: number; label: string }) => x.labels === 3 && x.label === 'rain');
      expect(mvFirst.confidence).toBeCloseTo(2 / 3, 10);
      expect(mvFirst.distribution).toEqual([0, 2 / 3, 1 / 3]);

      const ds = await call(t.app, 'GET', `${BASE}/copy/consensus?method=dawid-skene`, as.olga);
      expect(ds.status, JSON.stringify(ds.body)).toBe(200);
      expect(ds.body).toMatchObject({ method: 'dawid-skene', classes: LABELS, converged: true });
      expect(ds.body.priors.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
      expect(ds.body.tasks).toHaveLength(3);
      for (const task of ds.body.tasks) {
        expect(task.confidence).toBe(Math.max(...task.distribution));
        expect(task.label).toBe(LABELS[task.distribution.indexOf(task.confidence)]);
      }
      expect(ds.body.tasks.find((x: { resolved_label: string | null }) => x.resolved_label === 'sun').label).toBe('sun');
      expect(ds.body.annotators).toHaveLength(3);
      for (const a of ds.body.annotators) {
        expect(a.confusion).toHaveLength(3);
        expect(a.accuracy).toBeGreaterThanOrEqual(0);
      }
      expect((await call(t.app, 'GET', `${BASE}/copy/tasks`, as.olga)).body).toEqual(before);
      expect((await call(t.app, 'GET', `${BASE}/copy/consensus?method=em`, as.olga)).status).toBe(400);
    });
  });
}
