// Annotation through the API on every database: a job of 5 tasks with overlap 3, three
// annotators pulling and labelling blind, majority vote (with a deterministic tie), feedback on
// the predictions, refusals (4th label, bad label, wrong roles) and concurrent pulls and
// submissions (a task is leased to at most `overlap` people).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleissKappa, percentAgreement, ratingCounts } from '../../src/stats/agreement.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers, addMember } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const LABELS = ['drizzle', 'fog', 'rain', 'snow', 'sun'];
const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/weather/labelling-jobs';

/** Each task's labels by annotator (a1, a2, a3), keyed by the row's day. */
const PLAN: Record<string, [string, string, string]> = {
  '2014-01-01': ['rain', 'rain', 'sun'], // 2 of 3 → rain, agreement 0.667
  '2014-01-02': ['sun', 'fog', 'rain'], // 3-way tie → fog (first in the configuration), tie
  '2014-01-03': ['sun', 'sun', 'sun'],
  '2014-01-04': ['snow', 'snow', 'snow'],
  '2014-01-05': ['fog', 'drizzle', 'fog'],
};
const DAYS = Object.keys(PLAN);
const PREDICTION_OF: Record<string, string> = { '2014-01-01': 'pred-1', '2014-01-02': 'pred-2', '2014-01-04': 'pred-4' };

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`annotation over the API (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};
    let jobId = '';
    let projectId = '';
    const taskIdOfDay: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      const roles: Record<string, string> = { olga: 'owner', a1: 'annotator', a2: 'annotator', a3: 'annotator', a4: 'annotator', rita: 'reviewer', vic: 'viewer', dan: 'data-scientist' };
      projectId = (await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).body.id;
      for (const [u, role] of Object.entries(roles)) {
        await addMember(t.app, admin, 'weather', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
    }, 60_000);
    afterAll(() => t?.close());

    it('creates a job with its tasks in one call, rejecting bad items one by one', async () => {
      const items: unknown[] = DAYS.map((day, i) => ({
        data: { date: day, precipitation: i * 1.5, temp_max: 10 + i, wind: 3.2 },
        ...(PREDICTION_OF[day] ? { prediction_id: PREDICTION_OF[day] } : {}),
        // The first day is served first: highest priority.
        priority: day === DAYS[0] ? 10 : 0,
      }));
      items.splice(2, 0, 'not an object', { data: [1, 2] });
      const r = await call(t.app, 'POST', BASE, as.olga, { name: 'jan-2014', labels: LABELS, overlap: 3, source: { kind: 'predictions', deployment: 'weather-v1' }, items });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.job).toMatchObject({ name: 'jan-2014', labels: LABELS, overlap: 3, kind: 'classification', status: 'active', counts: { tasks: 5, open: 5, resolved: 0, labels: 0 } });
      expect(r.body.job.label_config).toEqual({ type: 'choices', choices: LABELS, from_name: 'label', to_name: 'data' });
      expect(r.body.tasks).toMatchObject({ received: 7, accepted: 5, rejected: 2 });
      expect(r.body.tasks.items[2]).toMatchObject({ index: 2, status: 'rejected', field: 'body.items[2]', reason: expect.stringMatching(/not an object/) });
      expect(r.body.tasks.items[3]).toMatchObject({ index: 3, status: 'rejected', field: 'body.items[3].data', reason: expect.stringMatching(/array/) });
      jobId = r.body.job.id;

      const dup = await call(t.app, 'POST', BASE, as.olga, { name: 'jan-2014', labels: ['a'] });
      expect(dup.status).toBe(409);
      const noLabels = await call(t.app, 'POST', BASE, as.olga, { name: 'other', labels: [] });
      expect(noLabels.status).toBe(400);
      expect(noLabels.body.error.details.field).toMatch(/^body\.labels/);
      const twice = await call(t.app, 'POST', BASE, as.olga, { name: 'other', labels: ['a', 'a'] });
      expect(twice.status).toBe(400);
      expect(twice.body.error.details.field).toBe('body.labels[1]');
    });

    it('refuses job creation to an annotator (403), and the queue and labelling to a viewer (403)', async () => {
      expect((await call(t.app, 'POST', BASE, as.a1, { name: 'mine', labels: ['x'] })).status).toBe(403);
      expect((await call(t.app, 'GET', `${BASE}/jan-2014/next`, as.vic)).status).toBe(403);
      const anyTask = (await call(t.app, 'GET', `${BASE}/jan-2014/tasks`, as.olga)).body.items[0].id;
      expect((await call(t.app, 'POST', `${BASE}/jan-2014/tasks/${anyTask}/labels`, as.vic, { label: 'rain' })).status).toBe(403);
      // The viewer can still read the job.
      expect((await call(t.app, 'GET', `${BASE}/jan-2014`, as.vic)).status).toBe(200);
    });

    it('serves each annotator every task once, blind, highest priority first; resolves by majority vote', async () => {
      const seen: Record<string, string[]> = { a1: [], a2: [], a3: [] };
      for (const [k, who] of (['a1', 'a2', 'a3'] as const).entries()) {
        for (;;) {
          const next = await call(t.app, 'GET', `${BASE}/${jobId}/next`, as[who]);
          expect(next.status).toBe(200);
          if (next.body.task === null) break;
          const task = next.body.task;
          // Blind: the data and nothing of anyone's labels.
          expect(Object.keys(task).sort()).toEqual(['created_at', 'data', 'id', 'job_id', 'lease_expires_at', 'priority', 'suggestion']);
          expect(JSON.stringify(next.body)).not.toMatch(/label|annotator|resolved|agreement/);
          if (seen[who].length === 0) expect(task.data.date).toBe(DAYS[0]);
          expect(seen[who]).not.toContain(task.id);
          seen[who].push(task.id);
          taskIdOfDay[task.data.date] = task.id;

          const bad = await call(t.app, 'POST', `${BASE}/${jobId}/tasks/${task.id}/labels`, as[who], { label: 'hail' });
          expect(bad.status).toBe(400);
          expect(bad.body.error.details.field).toBe('body.label');
          expect(bad.body.error.message).toContain('body.label');

          const label = PLAN[task.data.date][k];
          const ok = await call(t.app, 'POST', `${BASE}/${jobId}/tasks/${task.id}/labels`, as[who], { label, duration_ms: 1200 + k });
          expect(ok.status, JSON.stringify(ok.body)).toBe(201);
          expect(ok.body.label).toMatchObject({ label, annotator: who, task_id: task.id, duration_ms: 1200 + k });
          expect(ok.body.task.status).toBe(k === 2 ? 'resolved' : 'open');

          const again = await call(t.app, 'POST', `${BASE}/${jobId}/tasks/${task.id}/labels`, as[who], { label });
          expect(again.status).toBe(409);
        }
        expect(seen[who]).toHaveLength(5);
      }
      expect(new Set(seen.a1)).toEqual(new Set(seen.a3));
    });

    it('refuses a 4th label with 409 and has nothing left in the queue', async () => {
      const fourth = await call(t.app, 'POST', `${BASE}/${jobId}/tasks/${taskIdOfDay[DAYS[0]]}/labels`, as.a4, { label: 'rain' });
      expect(fourth.status).toBe(409);
      expect(fourth.body.error.message).toMatch(/already has its 3 labels/);
      expect((await call(t.app, 'GET', `${BASE}/${jobId}/next`, as.a4)).body).toEqual({ task: null });
      const missing = await call(t.app, 'POST', `${BASE}/${jobId}/tasks/01a22177-0000-7000-8000-000000000000/labels`, as.a4, { label: 'rain' });
      expect(missing.status).toBe(404);
    });

    it('records the majority, its agreement and a deterministic tie on each task (managers see every label)', async () => {
      const r = await call(t.app, 'GET', `${BASE}/${jobId}/tasks?status=resolved`, as.olga);
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(5);
      const byDay = Object.fromEntries(r.body.items.map((x: { data: { date: string } }) => [x.data.date, x]));
      expect(byDay['2014-01-01']).toMatchObject({ resolved_label: 'rain', tie: false, label_count: 3, prediction_id: 'pred-1' });
      expect(byDay['2014-01-01'].agreement).toBeCloseTo(2 / 3, 10);
      expect(byDay['2014-01-02']).toMatchObject({ resolved_label: 'fog', tie: true });
      expect(byDay['2014-01-02'].agreement).toBeCloseTo(1 / 3, 10);
      expect(byDay['2014-01-03']).toMatchObject({ resolved_label: 'sun', tie: false, agreement: 1 });
      expect(byDay['2014-01-05']).toMatchObject({ resolved_label: 'fog', tie: false });
      expect(byDay['2014-01-01'].labels.map((l: { annotator: string; label: string }) => `${l.annotator}:${l.label}`).sort()).toEqual(['a1:rain', 'a2:rain', 'a3:sun']);
      expect((await call(t.app, 'GET', `${BASE}/${jobId}/tasks?status=open`, as.olga)).body.items).toEqual([]);
    });

    it('shows an annotator only their own labels, and no resolved outcome', async () => {
      const r = await call(t.app, 'GET', `${BASE}/${jobId}/tasks`, as.a2);
      expect(r.status).toBe(200);
      for (const task of r.body.items) {
        expect(task.labels.map((l: { annotator: string }) => l.annotator)).toEqual(['a2']);
        expect(task).toMatchObject({ resolved_label: null, agreement: null, tie: false });
      }
      // A reviewer sees everything.
      const rev = await call(t.app, 'GET', `${BASE}/${jobId}/tasks`, as.rita);
      expect(rev.body.items.every((x: { labels: unknown[] }) => x.labels.length === 3)).toBe(true);
    });

    it('turns resolved tasks with a prediction into feedback on it', async () => {
      const fb = await t.platform.services.feedback.feedbackFor(projectId, ['pred-1', 'pred-2', 'pred-4', 'pred-none']);
      expect([...fb.keys()].sort()).toEqual(['pred-1', 'pred-2', 'pred-4']);
      expect(fb.get('pred-1')).toMatchObject({ label: 'rain', source: 'annotation', task_id: taskIdOfDay['2014-01-01'], project_id: projectId });
      expect(fb.get('pred-2')!.label).toBe('fog');
      expect(fb.get('pred-4')!.label).toBe('snow');
    });

    it('reports progress, per-annotator counts, percent agreement and Fleiss kappa', async () => {
      const list = await call(t.app, 'GET', BASE, as.a1);
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ name: 'jan-2014', counts: { tasks: 5, open: 0, resolved: 5, labels: 15 } });

      const r = await call(t.app, 'GET', `${BASE}/jan-2014`, as.olga);
      expect(r.status).toBe(200);
      const s = r.body.stats;
      expect(s).toMatchObject({ resolved_tasks: 5, ties: 1 });
      expect(s.annotators.map((a: { annotator: string; labels: number }) => [a.annotator, a.labels])).toEqual([
        ['a1', 5],
        ['a2', 5],
        ['a3', 5],
      ]);
      const a1 = s.annotators.find((a: { annotator: string }) => a.annotator === 'a1');
      // a1 agreed with the resolved label on 4 of 5 tasks (not on the tie, resolved to fog).
      expect(a1).toMatchObject({ on_resolved: 5, agreeing: 4, mean_duration_ms: 1200 });
      expect(a1.agreement_with_consensus).toBeCloseTo(0.8, 10);
      const subjects = DAYS.map((d) => PLAN[d]);
      expect(s.fleiss_kappa).toBeCloseTo(fleissKappa(ratingCounts(subjects, LABELS).counts), 12);
      expect(s.percent_agreement).toBeCloseTo(percentAgreement(subjects), 12);
      expect(s.mean_task_agreement).toBeCloseTo((2 / 3 + 1 / 3 + 1 + 1 + 2 / 3) / 5, 12);
      expect((await call(t.app, 'GET', `${BASE}/jan-2014`, as.a1)).body.my_labels).toBe(5);
    });

    it('adds tasks in a batch with a report per item, and refuses bad batches whole', async () => {
      const items = [{ data: { date: '2014-02-01' }, prediction_id: 'pred-1' }, 42, { data: { date: '2014-02-02' } }, { data: { date: '2014-02-03' }, prediction_id: 'pred-9' }, { data: { x: 1 }, prediction_id: 'pred-9' }, { data: {} }, { data: { x: 1 }, priority: 1.5 }];
      const r = await call(t.app, 'POST', `${BASE}/${jobId}/tasks`, as.olga, { items });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ received: 7, accepted: 2, rejected: 5 });
      expect(r.body.items.map((x: { status: string }) => x.status)).toEqual(['rejected', 'rejected', 'accepted', 'accepted', 'rejected', 'rejected', 'rejected']);
      expect(r.body.items[0].reason).toMatch(/already has a task/);
      expect(r.body.items[4].reason).toMatch(/given twice/);
      expect(r.body.items[6].field).toBe('body.items[6].priority');
      expect((await call(t.app, 'POST', `${BASE}/${jobId}/tasks`, as.olga, { items: [] })).status).toBe(400);
      expect((await call(t.app, 'POST', `${BASE}/${jobId}/tasks`, as.a1, { items: [{ data: { x: 1 } }] })).status).toBe(403);
      expect((await call(t.app, 'POST', `${BASE}/nope/tasks`, as.olga, { items: [{ data: { x: 1 } }] })).status).toBe(404);
      const job = await call(t.app, 'GET', `${BASE}/${jobId}`, as.olga);
      expect(job.body.counts).toMatchObject({ tasks: 7, open: 2, resolved: 5 });
    });

    it('never lets concurrent pullers or submitters exceed the overlap', async () => {
      const created = await call(t.app, 'POST', BASE, as.dan, { name: 'race', labels: ['yes', 'no'], overlap: 3, items: [{ data: { q: 1 }, prediction_id: 'race-1' }] });
      expect(created.status).toBe(201);
      const taskId = created.body.tasks.items[0].task_id;
      const who = ['a1', 'a2', 'a3', 'a4', 'rita', 'dan'];
      // Everyone pulls at once: the task is leased to three of them, the others get nothing.
      const nexts = await Promise.all(who.map((u) => call(t.app, 'GET', `${BASE}/race/next`, as[u])));
      const holders = who.filter((_, i) => nexts[i].body.task?.id === taskId);
      expect(holders).toHaveLength(3);
      expect(nexts.filter((n) => n.body.task === null)).toHaveLength(3);
      // Everyone submits at once: only the three holding a lease label it.
      const results = await Promise.all(who.map((u, i) => call(t.app, 'POST', `${BASE}/race/tasks/${taskId}/labels`, as[u], { label: i % 2 ? 'no' : 'yes' })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([201, 201, 201, 409, 409, 409]);
      expect(who.filter((_, i) => results[i].status === 201).sort()).toEqual([...holders].sort());
      const tasks = await call(t.app, 'GET', `${BASE}/race/tasks`, as.olga);
      expect(tasks.body.items[0]).toMatchObject({ status: 'resolved', label_count: 3 });
      expect(tasks.body.items[0].labels).toHaveLength(3);
      expect((await t.platform.services.feedback.feedbackFor(projectId, ['race-1'])).get('race-1')!.label).toBe(tasks.body.items[0].resolved_label);
    });

    it('accepts one of the same person sending their label twice at once, refuses the other, and audits both', async () => {
      const created = await call(t.app, 'POST', BASE, as.dan, { name: 'double', labels: ['yes', 'no'], overlap: 3, items: [{ data: { q: 1 } }] });
      const taskId = created.body.tasks.items[0].task_id;
      expect((await call(t.app, 'GET', `${BASE}/double/next`, as.a2)).body.task.id).toBe(taskId);
      const both = await Promise.all([0, 1].map(() => call(t.app, 'POST', `${BASE}/double/tasks/${taskId}/labels`, as.a2, { label: 'yes' })));
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(both.find((r) => r.status === 409)!.body.error).toMatchObject({ message: 'you have already labelled this task', details: { field: 'task', task: taskId } });
      const task = (await call(t.app, 'GET', `${BASE}/double/tasks`, as.olga)).body.items[0];
      expect(task).toMatchObject({ label_count: 1, status: 'open' });
      expect(task.labels.map((l: { annotator: string }) => l.annotator)).toEqual(['a2']);
      // The slot their lease held became the label's: two are left for others.
      for (const u of ['a3', 'a4']) expect((await call(t.app, 'GET', `${BASE}/double/next`, as[u])).body.task.id).toBe(taskId);
      const events = (await t.platform.services.audit.list({ limit: 20 })).items.filter((e) => e.action === 'labelling.label' && e.target_ids.labelling_task === taskId);
      expect(events.map((e) => e.outcome).sort()).toEqual(['failed', 'success']);
      expect((await t.platform.services.audit.verify()).ok).toBe(true);
    });

    it("takes a change of the caller's role at once on the queue, though its permission checks are cached", async () => {
      const created = await call(t.app, 'POST', BASE, as.dan, { name: 'cached', labels: ['yes', 'no'], overlap: 1, items: [{ data: { q: 1 } }, { data: { q: 2 } }] });
      expect(created.status).toBe(201);
      expect((await call(t.app, 'GET', `${BASE}/cached/next`, as.a4)).status).toBe(200);
      expect((await call(t.app, 'PUT', '/api/v1/projects/weather/members/a4', as.olga, { role: 'viewer' })).status).toBe(200);
      expect((await call(t.app, 'GET', `${BASE}/cached/next`, as.a4)).status).toBe(403);
      const task = created.body.tasks.items[0].task_id;
      expect((await call(t.app, 'POST', `${BASE}/cached/tasks/${task}/labels`, as.a4, { label: 'yes' })).status).toBe(403);
      expect((await call(t.app, 'PUT', '/api/v1/projects/weather/members/a4', as.olga, { role: 'annotator' })).status).toBe(200);
      expect((await call(t.app, 'POST', `${BASE}/cached/tasks/${task}/labels`, as.a4, { label: 'yes' })).status).toBe(201);
    });

    it('refuses a removed member and a revoked token on the queue at once, though tokens and permissions are cached', async () => {
      const created = await call(t.app, 'POST', BASE, as.dan, { name: 'tokens', labels: ['yes', 'no'], overlap: 1, items: [{ data: { q: 1 } }, { data: { q: 2 } }, { data: { q: 3 } }] });
      const [first, second] = created.body.tasks.items.map((i: { task_id: string }) => i.task_id);
      const tok = await call(t.app, 'POST', '/api/v1/tokens', as.a3, { name: 'queue', role: 'annotator', project: 'weather' });
      const a3 = bearer(tok.body.secret);
      expect((await call(t.app, 'GET', `${BASE}/tokens/next`, a3)).body.task.id).toBe(first);
      expect((await call(t.app, 'POST', `${BASE}/tokens/tasks/${first}/labels`, a3, { label: 'yes' })).status).toBe(201);
      expect((await call(t.app, 'DELETE', '/api/v1/projects/weather/members/a3', as.olga)).status).toBe(200);
      expect([403, 404]).toContain((await call(t.app, 'GET', `${BASE}/tokens/next`, a3)).status);
      expect([403, 404]).toContain((await call(t.app, 'POST', `${BASE}/tokens/tasks/${second}/skip`, a3)).status);
      expect((await call(t.app, 'PUT', '/api/v1/projects/weather/members/a3', as.olga, { role: 'annotator' })).status).toBe(200);
      expect((await call(t.app, 'GET', `${BASE}/tokens/next`, a3)).body.task.id).toBe(second);
      expect((await call(t.app, 'DELETE', `/api/v1/tokens/${tok.body.token.id}`, as.a3)).status).toBe(200);
      expect((await call(t.app, 'POST', `${BASE}/tokens/tasks/${second}/labels`, a3, { label: 'no' })).status).toBe(401);
      expect((await call(t.app, 'GET', `${BASE}/tokens/next`, a3)).status).toBe(401);
    });

    it('answers bad requests with a 400 naming the field, and writes nothing', async () => {
      const before = (await call(t.app, 'GET', BASE, as.olga)).body.items.length;
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', BASE, { name: 'x1', labels: ['a'], overlap: 0 }, 'body.overlap'],
        ['POST', BASE, { name: 'Bad Name', labels: ['a'] }, 'body.name'],
        ['POST', BASE, { name: 'x2', labels: ['a'], items: 'nope' }, 'body.items'],
        ['POST', BASE, { name: 'x3', labels: { type: 'choices', choices: [' a'] } }, 'body.labels.choices[0]'],
        ['POST', BASE, { name: 'x4', labels: ['a'], source: { kind: 'elsewhere' } }, 'body.source.kind'],
        ['POST', `${BASE}/${jobId}/tasks/${taskIdOfDay[DAYS[0]]}/labels`, {}, 'body.label'],
        ['POST', `${BASE}/${jobId}/tasks/${taskIdOfDay[DAYS[0]]}/labels`, { label: 'rain', duration_ms: -5 }, 'body.duration_ms'],
        ['GET', `${BASE}/${jobId}/tasks?status=done`, undefined, 'query.status'],
        ['GET', `${BASE}/${jobId}/tasks?cursor=%%%`, undefined, 'cursor'],
      ];
      for (const [method, url, body, field] of cases) {
        const r = await call(t.app, method, url, as.olga, body);
        expect(r.status, `${method} ${url} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.details.field, JSON.stringify(r.body)).toBe(field);
      }
      const notJson = await t.app.inject({ method: 'POST', url: BASE, headers: { ...as.olga, 'content-type': 'application/json' }, payload: '{"name": ' });
      expect(notJson.statusCode).toBe(400);
      expect((await call(t.app, 'GET', BASE, as.olga)).body.items.length).toBe(before);
      expect((await call(t.app, 'GET', `${BASE}/nope`, as.olga)).body.error).toMatchObject({ code: 'not_found', details: { what: 'labelling job' } });
    });

    it('audits job creation and each label', async () => {
      const audit = await call(t.app, 'GET', '/api/v1/projects/weather/audit?limit=200', as.olga);
      const actions = audit.body.items.map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a === 'labelling.label').length).toBeGreaterThanOrEqual(18);
      expect(actions).toContain('labelling.job.create');
      expect(actions).toContain('labelling.tasks.add');
    });
  });
}
