// Annotation quality over the API on every database: gold tasks mixed into the queue at the
// job's rate (the deterministic draw predicts exactly what is served), gold answers measured but
// never resolving anything, skips and the skip rate, the disputes queue (agreement below the threshold, or a tie), and a
// reviewer's accept / fix / reject with their effects, history, audit and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servesGold } from '../../src/services/annotation/gold-mixing.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers, addMember } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const LABELS = ['rain', 'sun', 'fog'];
const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/quality/labelling-jobs';

/** Review job (overlap 3, dispute below 0.67): labels by a1, a2, a3. */
const PLAN: Array<{ day: string; labels: [string, string, string]; prediction?: string; disputed: boolean }> = [
  { day: 'd1', labels: ['rain', 'rain', 'sun'], prediction: 'q-pred-1', disputed: true }, // 2/3 = 0.667 < 0.67
  { day: 'd2', labels: ['sun', 'sun', 'sun'], disputed: false },
  { day: 'd3', labels: ['rain', 'sun', 'fog'], prediction: 'q-pred-3', disputed: true }, // tie → rain
  { day: 'd4', labels: ['fog', 'fog', 'rain'], disputed: true },
];

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`annotation quality over the API (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let projectId = '';
    const as: Record<string, Headers> = {};
    const taskOf: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      projectId = (await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'quality' })).body.id;
      const roles: Record<string, string> = { olga: 'owner', a1: 'annotator', a2: 'annotator', a3: 'annotator', rita: 'reviewer' };
      for (const [u, role] of Object.entries(roles)) {
        await addMember(t.app, admin, 'quality', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
      const items = PLAN.map((p) => ({ data: { day: p.day }, ...(p.prediction ? { prediction_id: p.prediction } : {}) }));
      const r = await call(t.app, 'POST', BASE, as.olga, { name: 'review-job', labels: LABELS, overlap: 3, dispute_below: 0.67, items });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.job).toMatchObject({ gold_rate: 0, dispute_below: 0.67 });
      PLAN.forEach((p, i) => (taskOf[p.day] = r.body.tasks.items[i].task_id));
      for (const p of PLAN) {
        for (const [i, u] of ['a1', 'a2', 'a3'].entries()) {
          const s = await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf[p.day]}/labels`, as[u], { label: p.labels[i] });
          expect(s.status, JSON.stringify(s.body)).toBe(201);
        }
      }
    }, 60_000);
    afterAll(() => t?.close());

    describe('gold tasks', () => {
      const GOLD = { g1: 'rain', g2: 'sun', g3: 'fog' } as Record<string, string>;
      let jobId = '';
      const goldIds = new Map<string, string>(); // task id → gold label

      it('creates gold tasks from items with a gold_label, rejecting unknown labels and bad rates', async () => {
        const items = [
          ...['r1', 'r2', 'r3', 'r4'].map((day) => ({ data: { day } })),
          ...Object.entries(GOLD).map(([day, gold_label]) => ({ data: { day }, gold_label })),
          { data: { day: 'bad' }, gold_label: 'hail' },
          { data: { day: 'bad2' }, gold_label: 'rain', prediction_id: 'p-x' },
        ];
        const r = await call(t.app, 'POST', BASE, as.olga, { name: 'gold-job', labels: LABELS, overlap: 2, gold_rate: 0.5, items });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expect(r.body.job).toMatchObject({ gold_rate: 0.5, dispute_below: 0.67 });
        expect(r.body.tasks).toMatchObject({ accepted: 7, rejected: 2 });
        expect(r.body.job.counts).toEqual({ tasks: 4, open: 4, resolved: 0, labels: 0 });
        expect(r.body.tasks.items[7]).toMatchObject({ status: 'rejected', field: 'body.items[7].gold_label' });
        expect(r.body.tasks.items[8]).toMatchObject({ status: 'rejected', field: 'body.items[8].gold_label' });
        jobId = r.body.job.id;
        for (const [i, day] of Object.keys(GOLD).entries()) goldIds.set(r.body.tasks.items[4 + i].task_id, GOLD[day]);
        for (const [body, field] of [
          [{ name: 'g-bad', labels: LABELS, gold_rate: 1.5 }, 'body.gold_rate'],
          [{ name: 'g-bad', labels: LABELS, dispute_below: -0.1 }, 'body.dispute_below'],
        ] as const) {
          const bad = await call(t.app, 'POST', BASE, as.olga, body);
          expect(bad.status).toBe(400);
          expect(bad.body.error.details.field).toBe(field);
        }
      });

      it('serves gold exactly where the seeded draw says, until each annotator has answered every task', async () => {
        // a1 answers gold right except g3; a2 answers every gold task wrong; a3 right on all.
        const answer = (u: string, taskId: string): string => {
          const gold = goldIds.get(taskId);
          if (gold === undefined) return 'rain';
          if (u === 'a2') return LABELS.find((l) => l !== gold)!;
          if (u === 'a1' && gold === 'fog') return 'sun';
          return gold;
        };
        for (const u of ['a1', 'a2', 'a3']) {
          const userId: string = (await call(t.app, 'GET', '/api/v1/auth/me', as[u])).body.user.id;
          let goldLeft = goldIds.size;
          const served: string[] = [];
          for (let n = 0; n < 20; n++) {
            const next = await call(t.app, 'GET', `${BASE}/gold-job/next`, as[u]);
            expect(next.status).toBe(200);
            const task = next.body.task;
            if (task === null) break;
            expect(Object.keys(task).sort()).toEqual(['created_at', 'data', 'id', 'job_id', 'lease_expires_at', 'priority', 'suggestion']); // gold looks like any task
            const isGold = goldIds.has(task.id);
            served.push(isGold ? 'gold' : 'task');
            {
              // Which kind comes is fixed by the draw on (job, annotator, labels given so far); a1
              // and a2 can take all 4 regular tasks (overlap 2), a3 none, so a3 gets gold only.
              const regularLeft = u !== 'a3' && n - (goldIds.size - goldLeft) < 4;
              const expectGold = goldLeft > 0 && (!regularLeft || servesGold(jobId, userId, n, 0.5));
              expect(isGold, `${u} request ${n}`).toBe(expectGold);
            }
            const s = await call(t.app, 'POST', `${BASE}/gold-job/tasks/${task.id}/labels`, as[u], { label: answer(u, task.id), duration_ms: 100 });
            expect(s.status, JSON.stringify(s.body)).toBe(201);
            expect(s.body.label.annotator_id).toBe(userId);
            if (isGold) {
              goldLeft--;
              expect(s.body.task.status).toBe('open');
            }
          }
          expect(served.filter((k) => k === 'gold')).toHaveLength(3);
          if (u === 'a3') expect(served).toEqual(['gold', 'gold', 'gold']);
        }
      });

      it('never resolves gold tasks nor lists them as disputes, and reports per-annotator gold accuracy', async () => {
        const tasks = (await call(t.app, 'GET', `${BASE}/gold-job/tasks`, as.olga)).body.items;
        const gold = tasks.filter((x: { gold_label: string | null }) => x.gold_label !== null);
        expect(gold).toHaveLength(3);
        for (const g of gold) {
          expect(g).toMatchObject({ status: 'open', resolved_label: null, disputed: false });
          expect(g.labels).toHaveLength(3);
        }
        expect(tasks.filter((x: { status: string }) => x.status === 'resolved')).toHaveLength(4);
        // Progress counts regular tasks only: gold tasks stay open for ever.
        expect((await call(t.app, 'GET', `${BASE}/gold-job`, as.olga)).body.counts).toEqual({ tasks: 4, open: 0, resolved: 4, labels: 8 });
        expect((await call(t.app, 'GET', `${BASE}/gold-job/disputes`, as.rita)).body.items).toEqual([]);
        const stats = (await call(t.app, 'GET', `${BASE}/gold-job`, as.olga)).body.stats;
        const by = Object.fromEntries(stats.annotators.map((a: { annotator: string }) => [a.annotator, a]));
        expect(by.a1).toMatchObject({ gold_answered: 3, gold_correct: 2, mean_duration_ms: 100 });
        expect(by.a1.gold_accuracy).toBeCloseTo(2 / 3, 12);
        expect(by.a2).toMatchObject({ gold_answered: 3, gold_correct: 0, gold_accuracy: 0 });
        expect(by.a3).toMatchObject({ gold_answered: 3, gold_correct: 3, gold_accuracy: 1, on_resolved: 0, agreement_with_consensus: null });
        expect(by.a1).toMatchObject({ on_resolved: 4, agreeing: 4, agreement_with_consensus: 1 });
        const gate = await call(t.app, 'POST', `${BASE}/gold-job/tasks/${gold[0].id}/review`, as.rita, { decision: 'accept' });
        expect(gate.status).toBe(409);
      });
    });

    describe('skips', () => {
      it('does not serve a skipped task to that annotator again, and reports skips and the skip rate', async () => {
        const r = await call(t.app, 'POST', BASE, as.olga, { name: 'skip-job', labels: LABELS, overlap: 2, items: [{ data: { s: 1 } }, { data: { s: 2 } }] });
        const [s1, s2] = r.body.tasks.items.map((i: { task_id: string }) => i.task_id);
        expect((await call(t.app, 'GET', `${BASE}/skip-job/next`, as.a1)).body.task.id).toBe(s1);
        const skip = await call(t.app, 'POST', `${BASE}/skip-job/tasks/${s1}/skip`, as.a1);
        expect(skip.status, JSON.stringify(skip.body)).toBe(200);
        expect(skip.body).toEqual({ task_id: s1, skipped: true });
        expect((await call(t.app, 'POST', `${BASE}/skip-job/tasks/${s1}/skip`, as.a1)).status).toBe(200); // twice: no-op
        expect((await call(t.app, 'GET', `${BASE}/skip-job/next`, as.a1)).body.task.id).toBe(s2);
        expect((await call(t.app, 'GET', `${BASE}/skip-job/next`, as.a2)).body.task.id).toBe(s1); // others still get it
        expect((await call(t.app, 'POST', `${BASE}/skip-job/tasks/${s2}/labels`, as.a1, { label: 'rain' })).status).toBe(201);
        expect((await call(t.app, 'GET', `${BASE}/skip-job/next`, as.a1)).body.task).toBeNull();
        const labelled = await call(t.app, 'POST', `${BASE}/skip-job/tasks/${s2}/skip`, as.a1);
        expect(labelled.status).toBe(409);
        expect(labelled.body.error.details.field).toBe('task');
        expect((await call(t.app, 'POST', `${BASE}/skip-job/tasks/01a22177-0000-7000-8000-000000000000/skip`, as.a1)).status).toBe(404);
        const a1 = (await call(t.app, 'GET', `${BASE}/skip-job`, as.olga)).body.stats.annotators.find((a: { annotator: string }) => a.annotator === 'a1');
        expect(a1).toMatchObject({ labels: 1, skips: 1, skip_rate: 0.5 });
      });
    });

    describe('disputes and reviews', () => {
      it('flags exactly the tasks below the threshold or tied, and lists them in pages to reviewers only', async () => {
        const tasks = (await call(t.app, 'GET', `${BASE}/review-job/tasks`, as.olga)).body.items;
        for (const p of PLAN) expect(tasks.find((x: { id: string }) => x.id === taskOf[p.day]).disputed, p.day).toBe(p.disputed);
        const page1 = await call(t.app, 'GET', `${BASE}/review-job/disputes?limit=2`, as.rita);
        expect(page1.status).toBe(200);
        expect(page1.body.items.map((x: { id: string }) => x.id)).toEqual([taskOf.d1, taskOf.d3]);
        expect(page1.body.items[0].labels).toHaveLength(3);
        expect(page1.body.items[1]).toMatchObject({ tie: true, resolved_label: 'rain' });
        const page2 = await call(t.app, 'GET', `${BASE}/review-job/disputes?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`, as.rita);
        expect(page2.body.items.map((x: { id: string }) => x.id)).toEqual([taskOf.d4]);
        expect(page2.body.next_cursor).toBeNull();
        expect((await call(t.app, 'GET', `${BASE}/review-job/disputes`, as.a1)).status).toBe(403);
        expect((await call(t.app, 'GET', `${BASE}/review-job/disputes`, as.olga)).status).toBe(200);

        // A higher threshold is met by 2 of 3 agreeing only below it: 0.6 does not dispute d1.
        const items = [{ data: { x: 1 } }, { data: { x: 2 } }];
        const lax = await call(t.app, 'POST', BASE, as.olga, { name: 'lax', labels: LABELS, overlap: 3, dispute_below: 0.6, items });
        const [x1, x2] = lax.body.tasks.items.map((i: { task_id: string }) => i.task_id);
        for (const [i, u] of ['a1', 'a2', 'a3'].entries()) {
          await call(t.app, 'POST', `${BASE}/lax/tasks/${x1}/labels`, as[u], { label: ['rain', 'rain', 'sun'][i] });
          await call(t.app, 'POST', `${BASE}/lax/tasks/${x2}/labels`, as[u], { label: ['rain', 'sun', 'fog'][i] });
        }
        expect((await call(t.app, 'GET', `${BASE}/lax/disputes`, as.rita)).body.items.map((x: { id: string }) => x.id)).toEqual([x2]);
      });

      it('refuses reviews to annotators (403), bad bodies (400 naming the field) and open tasks (409)', async () => {
        const url = `${BASE}/review-job/tasks/${taskOf.d1}/review`;
        expect((await call(t.app, 'POST', url, as.a1, { decision: 'accept' })).status).toBe(403);
        const cases: Array<[unknown, string]> = [
          [{ decision: 'maybe' }, 'body.decision'],
          [{}, 'body.decision'],
          [{ decision: 'fix' }, 'body.label'],
          [{ decision: 'fix', label: 'hail' }, 'body.label'],
          [{ decision: 'accept', label: 'sun' }, 'body.label'],
          [{ decision: 'accept', note: 'x'.repeat(2001) }, 'body.note'],
        ];
        for (const [body, field] of cases) {
          const r = await call(t.app, 'POST', url, as.rita, body);
          expect(r.status, JSON.stringify(r.body)).toBe(400);
          expect(r.body.error.details.field).toBe(field);
        }
        expect((await call(t.app, 'POST', `${BASE}/review-job/tasks/01a22177-0000-7000-8000-000000000000/review`, as.rita, { decision: 'accept' })).status).toBe(404);
        const open = (await call(t.app, 'POST', `${BASE}/review-job/tasks`, as.olga, { items: [{ data: { day: 'd5' } }] })).body.items[0].task_id;
        const r = await call(t.app, 'POST', `${BASE}/review-job/tasks/${open}/review`, as.rita, { decision: 'accept' });
        expect(r.status).toBe(409);
        expect(r.body.error.details.field).toBe('task');
        // Nothing was recorded by the refusals.
        expect((await call(t.app, 'GET', `${BASE}/review-job/tasks/${taskOf.d1}/reviews`, as.rita)).body.items).toEqual([]);
      });

      it('accept keeps the resolved label and clears the dispute', async () => {
        const r = await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf.d1}/review`, as.rita, { decision: 'accept', note: 'looks right' });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.task).toEqual({ id: taskOf.d1, status: 'resolved', resolved_label: 'rain', disputed: false });
        expect(r.body.review).toMatchObject({ decision: 'accept', before_label: 'rain', after_label: 'rain', note: 'looks right', discarded_labels: [] });
        const fb = await t.platform.services.feedback.feedbackFor(projectId, ['q-pred-1']);
        expect(fb.get('q-pred-1')!.label).toBe('rain');
        const ids = (await call(t.app, 'GET', `${BASE}/review-job/disputes`, as.rita)).body.items.map((x: { id: string }) => x.id);
        expect(ids).toEqual([taskOf.d3, taskOf.d4]);
      });

      it('fix replaces the resolved label and the prediction feedback', async () => {
        const r = await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf.d3}/review`, as.rita, { decision: 'fix', label: 'sun' });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.task).toEqual({ id: taskOf.d3, status: 'resolved', resolved_label: 'sun', disputed: false });
        expect(r.body.review).toMatchObject({ decision: 'fix', before_label: 'rain', after_label: 'sun', note: null });
        const task = (await call(t.app, 'GET', `${BASE}/review-job/tasks?status=resolved`, as.olga)).body.items.find((x: { id: string }) => x.id === taskOf.d3);
        expect(task).toMatchObject({ resolved_label: 'sun', disputed: false });
        expect(task.labels).toHaveLength(3);
        const fb = await t.platform.services.feedback.feedbackFor(projectId, ['q-pred-3']);
        expect(fb.get('q-pred-3')).toMatchObject({ label: 'sun', task_id: taskOf.d3 });
      });

      it('reject discards the labels (kept in the review), reopens the task, and it is labelled again', async () => {
        const r = await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf.d4}/review`, as.rita, { decision: 'reject', note: 'sloppy' });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.task).toEqual({ id: taskOf.d4, status: 'open', resolved_label: null, disputed: false });
        expect(r.body.review).toMatchObject({ decision: 'reject', before_label: 'fog', after_label: null });
        expect(r.body.review.discarded_labels.map((l: { label: string }) => l.label).sort()).toEqual(['fog', 'fog', 'rain']);
        const task = (await call(t.app, 'GET', `${BASE}/review-job/tasks?status=open`, as.olga)).body.items.find((x: { id: string }) => x.id === taskOf.d4);
        expect(task).toMatchObject({ status: 'open', label_count: 0, resolved_label: null, agreement: null, tie: false, resolved_at: null, labels: [] });
        expect((await call(t.app, 'GET', `${BASE}/review-job/disputes`, as.rita)).body.items).toEqual([]);
        // A second review of the reopened task is refused.
        expect((await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf.d4}/review`, as.rita, { decision: 'reject' })).status).toBe(409);
        // The discarded labels no longer count: the job's label total dropped by 3.
        expect((await call(t.app, 'GET', `${BASE}/review-job`, as.olga)).body.counts).toMatchObject({ resolved: 3, labels: 9 });

        // Back in the queue for the same people (d4 comes before the newer d5).
        for (const u of ['a1', 'a2', 'a3']) {
          const next = await call(t.app, 'GET', `${BASE}/review-job/next`, as[u]);
          expect(next.body.task.id).toBe(taskOf.d4);
          expect((await call(t.app, 'POST', `${BASE}/review-job/tasks/${taskOf.d4}/labels`, as[u], { label: 'sun' })).status).toBe(201);
        }
        const again = (await call(t.app, 'GET', `${BASE}/review-job/tasks?status=resolved`, as.olga)).body.items.find((x: { id: string }) => x.id === taskOf.d4);
        expect(again).toMatchObject({ resolved_label: 'sun', agreement: 1, disputed: false });

        const history = await call(t.app, 'GET', `${BASE}/review-job/tasks/${taskOf.d4}/reviews`, as.rita);
        expect(history.body.items).toHaveLength(1);
        expect(history.body.items[0]).toMatchObject({ decision: 'reject', note: 'sloppy' });
        expect(history.body.items[0].discarded_labels).toHaveLength(3);
      });

      it('lets only one of two concurrent rejections through', async () => {
        const url = `${BASE}/review-job/tasks/${taskOf.d4}/review`;
        const both = await Promise.all([call(t.app, 'POST', url, as.rita, { decision: 'reject' }), call(t.app, 'POST', url, as.olga, { decision: 'reject' })]);
        expect(both.map((r) => r.status).sort(), JSON.stringify(both.map((r) => r.body))).toEqual([200, 409]);
        const ok = both.find((r) => r.status === 200)!;
        expect(ok.body.review.discarded_labels).toHaveLength(3);
        expect((await call(t.app, 'GET', `${BASE}/review-job/tasks/${taskOf.d4}/reviews`, as.rita)).body.items).toHaveLength(2);
      });

      it('audits every review with its decision and labels', async () => {
        const audit = await call(t.app, 'GET', '/api/v1/projects/quality/audit?limit=200', as.olga);
        const reviews = audit.body.items.filter((e: { action: string; outcome: string }) => e.action === 'labelling.review' && e.outcome === 'success');
        expect(reviews.map((e: { details: { decision: string } }) => e.details.decision).sort()).toEqual(['accept', 'fix', 'reject', 'reject']);
        const fix = reviews.find((e: { details: { decision: string } }) => e.details.decision === 'fix');
        expect(fix.details).toMatchObject({ before_label: 'rain', after_label: 'sun' });
      });
    });
  });
}
