// Labelling automation through the API on every database: leases on the queue, a registry model's
// suggestions (pre-labels, computed in a background job) shown or hidden, exported as Label
// Studio predictions; auto-labelling with seeded spot checks and the measured accuracy of
// auto-labels; the labelled output as a dataset version with each row's label method; active
// learning by uncertainty from a dataset version; tasks from a deployment's logged predictions.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spotCheckDraw } from '../../src/services/annotation/auto-labelling.js';
import { entropy, marginUncertainty, topK } from '../../src/services/annotation/uncertainty.js';
import { authorizeProject } from '../../src/services/index.js';
import { expectedPrediction, WEATHER_SPEC } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';
import { adminContext, registerFixture } from '../support/serving.js';

const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/weather/labelling-jobs';
const LABELS = ['rain', 'sun', 'snow', 'fog'];

/** Rows of the fixture model's features, spread over its classes. */
const rowOf = (i: number) => ({
  precipitation: Math.round(((i * 2.3) % 11) * 10) / 10,
  temp_max: Math.round((4 + ((i * 3.7) % 22)) * 10) / 10,
  temp_min: Math.round((-2 + ((i * 1.9) % 12)) * 10) / 10,
  wind: Math.round((1 + ((i * 0.9) % 6)) * 10) / 10,
  station: i % 2 ? 'north' : 'south',
});
const ROWS = Array.from({ length: 16 }, (_, i) => rowOf(i));
const expected = (row: Record<string, unknown>) => {
  const p = expectedPrediction(WEATHER_SPEC, row);
  return { label: p.label, confidence: p.probabilities[p.label], probabilities: WEATHER_SPEC.classes.map((c) => p.probabilities[c]) };
};

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`labelling automation over the API (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};

    const runJobs = async () => {
      const ran = await runQueuedJobs(t.platform);
      for (const r of ran) expect(r.error, `${r.job.task}: ${r.error}`).toBeUndefined();
      return ran;
    };
    const tasksOf = async (job: string, who = 'olga') => {
      const items: any[] = [];
      for (let cursor: string | null = null; ; ) {
        const page: any = await call(t.app, 'GET', `${BASE}/${job}/tasks?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, as[who]);
        items.push(...page.body.items);
        cursor = page.body.next_cursor;
        if (!cursor) return items;
      }
    };

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
      for (const [u, role] of Object.entries({ olga: 'owner', a1: 'annotator', a2: 'annotator', dan: 'data-scientist' })) {
        await addMember(t.app, admin, 'weather', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
      await registerFixture(t.platform, 'weather', 'weather');
      const ctx = await adminContext(t.platform);
      const access = await authorizeProject(t.platform.store, ctx.principal, 'model.promote', 'weather');
      await t.platform.services.registry.setAlias(ctx, access, 'weather', 'champion', 1, 'fixture');
    }, 120_000);
    afterAll(() => t?.close());

    it('refuses bad automation settings with a 400 naming the field, and writes nothing', async () => {
      const before = (await call(t.app, 'GET', BASE, as.olga)).body.items.length;
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', BASE, { name: 'b1', labels: LABELS, model: { model: 'no-such-model' } }, 'body.model.model'],
        ['POST', BASE, { name: 'b2', labels: ['rain', 'sun'], model: { model: 'weather' } }, 'body.model'], // the model also predicts snow
        ['POST', BASE, { name: 'b3', labels: LABELS, model: { model: 'weather', alias: 'staging' } }, 'body.model.alias'],
        ['POST', BASE, { name: 'b4', labels: LABELS, model: { model: 'weather', version: 9 } }, 'body.model.version'],
        ['POST', BASE, { name: 'b5', labels: LABELS, model: { model: 'weather' }, auto_label: { threshold: 1.5 } }, 'body.auto_label.threshold'],
        ['POST', BASE, { name: 'b6', labels: LABELS, model: { model: 'weather' }, auto_label: { threshold: 0.9, spot_check_share: -0.1 } }, 'body.auto_label.spot_check_share'],
        ['POST', BASE, { name: 'b7', labels: LABELS, auto_label: { threshold: 0.9 } }, 'body.auto_label'], // no model
        ['POST', BASE, { name: 'b8', labels: LABELS, lease_seconds: 1 }, 'body.lease_seconds'],
        ['POST', BASE, { name: 'b9', kind: 'multi-label', labels: LABELS, model: { model: 'weather' } }, 'body.model'],
      ];
      for (const [method, url, body, field] of cases) {
        const r = await call(t.app, method, url, as.olga, body);
        expect(r.status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.details.field, JSON.stringify(r.body)).toBe(field);
        expect(r.body.error.message).toContain(field);
      }
      expect((await call(t.app, 'GET', BASE, as.olga)).body.items).toHaveLength(before);

      expect((await call(t.app, 'POST', BASE, as.olga, { name: 'plain', labels: LABELS, items: [{ data: ROWS[0] }] })).status).toBe(201);
      const settings: Array<[unknown, string]> = [
        [{ model: { model: 'nope' } }, 'body.model.model'],
        [{ auto_label: { threshold: 2 } }, 'body.auto_label.threshold'],
        [{ auto_label: { threshold: 0.5, spot_check_share: 7 } }, 'body.auto_label.spot_check_share'],
        [{ auto_label: { threshold: 0.5 } }, 'body.auto_label'],
      ];
      for (const [body, field] of settings) {
        const r = await call(t.app, 'PATCH', `${BASE}/plain/settings`, as.olga, body);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.details.field).toBe(field);
      }
      const pre = await call(t.app, 'POST', `${BASE}/plain/prelabel`, as.olga);
      expect(pre.status).toBe(400);
      expect(pre.body.error.details.field).toBe('model');
      const al: Array<[unknown, string]> = [
        [{ strategy: 'entropy', k: 0, dataset: 'pool' }, 'body.k'],
        [{ strategy: 'guess', k: 3, dataset: 'pool' }, 'body.strategy'],
        [{ strategy: 'entropy', k: 3, dataset: 'pool' }, 'body.model'],
        [{ strategy: 'entropy', k: 3, dataset: 'no-such-dataset', model: { model: 'weather' } }, 'body.dataset'],
      ];
      for (const [body, field] of al) {
        const r = await call(t.app, 'POST', `${BASE}/plain/active-learning`, as.olga, body);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.details.field).toBe(field);
      }
      expect((await call(t.app, 'GET', `${BASE}/plain`, as.olga)).body).toMatchObject({ model: null, auto_label: null, show_suggestions: true, lease_seconds: 600 });
      // Settings are for managers.
      expect((await call(t.app, 'PATCH', `${BASE}/plain/settings`, as.a1, { show_suggestions: false })).status).toBe(403);
    });

    it('leases a task to its annotator: asking again answers it, nobody else gets its slot, skipping frees it', async () => {
      const r = await call(t.app, 'POST', BASE, as.olga, { name: 'leases', labels: LABELS, overlap: 1, lease_seconds: 30, items: [{ data: ROWS[0] }, { data: ROWS[1] }] });
      expect(r.status).toBe(201);
      expect(r.body.job.lease_seconds).toBe(30);
      const [first, second] = r.body.tasks.items.map((i: { task_id: string }) => i.task_id);
      const before = Date.now();
      const n1 = await call(t.app, 'GET', `${BASE}/leases/next`, as.a1);
      expect(n1.body.task.id).toBe(first);
      expect(n1.body.task.lease_expires_at).toBeGreaterThanOrEqual(before + 30_000);
      expect((await call(t.app, 'GET', `${BASE}/leases/next`, as.a1)).body.task.id).toBe(first);
      expect((await call(t.app, 'GET', `${BASE}/leases/next`, as.a2)).body.task.id).toBe(second);
      expect((await call(t.app, 'GET', `${BASE}/leases/next`, as.dan)).body.task).toBeNull();
      // a2 skips: their slot goes to the next person; a1 labels theirs.
      expect((await call(t.app, 'POST', `${BASE}/leases/tasks/${second}/skip`, as.a2)).status).toBe(200);
      expect((await call(t.app, 'GET', `${BASE}/leases/next`, as.dan)).body.task.id).toBe(second);
      const late = await call(t.app, 'POST', `${BASE}/leases/tasks/${second}/labels`, as.olga, { label: 'rain' });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(/leased/);
      expect((await call(t.app, 'POST', `${BASE}/leases/tasks/${first}/labels`, as.a1, { label: 'rain' })).status).toBe(201);
    });

    it("takes a change of the job's lease time at once on the queue, though the queue keeps the job it reads", async () => {
      const r = await call(t.app, 'POST', BASE, as.olga, { name: 'relet', labels: LABELS, overlap: 1, lease_seconds: 600, items: [{ data: ROWS[0] }, { data: ROWS[1] }] });
      const id = r.body.job.id;
      for (const ref of ['relet', id]) {
        const n = await call(t.app, 'GET', `${BASE}/${ref}/next`, as.a1);
        expect(n.body.task.lease_expires_at).toBeGreaterThanOrEqual(Date.now() + 590_000); // the job is read (and kept) by name and by id
      }
      expect((await call(t.app, 'PATCH', `${BASE}/relet/settings`, as.olga, { lease_seconds: 60 })).status).toBe(200);
      for (const [ref, who] of [['relet', 'a1'], [id, 'a1'], [id, 'a2']]) {
        const n = await call(t.app, 'GET', `${BASE}/${ref}/next`, as[who]);
        expect(n.body.task.lease_expires_at, `${who} via ${ref}`).toBeLessThanOrEqual(Date.now() + 60_000);
      }
    });

    it('computes suggestions in a background job, shows them unless the job hides them, and exports them as Label Studio predictions', async () => {
      const items = [...ROWS.slice(0, 6).map((data) => ({ data })), { data: { precipitation: 1, station: 'north' } }];
      const r = await call(t.app, 'POST', BASE, as.dan, { name: 'pre', labels: LABELS, overlap: 2, model: { model: 'weather' }, items });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.job).toMatchObject({ model: { model: 'weather', version: null, alias: 'champion' }, show_suggestions: true, auto_label: null });
      const queued = await call(t.app, 'POST', `${BASE}/pre/prelabel`, as.dan);
      expect(queued.status).toBe(202);
      expect(queued.body).toMatchObject({ task: 'labelling.prelabel', status: 'queued' });
      const [ran] = await runJobs();
      expect(ran.result).toMatchObject({ model: 'weather', version: 1, tasks: 7, suggested: 6, skipped: 1, auto_labelled: 0, spot_checks: 0 });
      expect((ran.result as any).problems).toEqual([{ reason: "feature 'temp_max' is missing", tasks: 1, example_task: r.body.tasks.items[6].task_id }]);
      const job = await call(t.app, 'GET', `${BASE}/pre`, as.olga);
      expect(job.body.stats.automation).toMatchObject({ suggested: 6, auto_labelled: 0, auto_label_accuracy: null });
      // The job reports its progress as it goes (run again here with a progress listener: the same suggestions).
      const steps: number[] = [];
      const project = await t.platform.store.projects.getByName('weather');
      const dan = await t.platform.store.users.getByUsername('dan');
      await t.platform.services.labellingPrelabel.run(project!.id, { job_id: job.body.id, user_id: dan!.id }, (fraction) => steps.push(fraction));
      expect(steps[0]).toBe(0);
      expect(steps[steps.length - 1]).toBe(1);
      expect(steps.every((f, i) => i === 0 || f >= steps[i - 1])).toBe(true);
      expect(steps.length).toBeGreaterThanOrEqual(3);

      // The annotator's task carries the model's label and confidence, and nothing of anyone's labels.
      const next = await call(t.app, 'GET', `${BASE}/pre/next`, as.a1);
      const want = expected(next.body.task.data);
      expect(next.body.task.suggestion.label).toBe(want.label);
      expect(next.body.task.suggestion.confidence).toBeCloseTo(want.confidence, 5);
      expect(Object.keys(next.body.task.suggestion).sort()).toEqual(['confidence', 'label']);
      // Managers see every class's probability and the version that made it.
      const managerView = (await tasksOf('pre')).find((x) => x.id === next.body.task.id);
      expect(managerView.suggestion).toMatchObject({ label: want.label, source: 'model', model_version_id: expect.any(String) });
      WEATHER_SPEC.classes.forEach((c, k) => expect(managerView.suggestion.scores[c]).toBeCloseTo(want.probabilities[k], 5));

      // Hidden: nothing of the model reaches annotators (the queue or the task list); managers still see it.
      expect((await call(t.app, 'PATCH', `${BASE}/pre/settings`, as.dan, { show_suggestions: false })).body.show_suggestions).toBe(false);
      expect((await call(t.app, 'GET', `${BASE}/pre/next`, as.a1)).body.task.suggestion).toBeNull();
      expect((await call(t.app, 'GET', `${BASE}/pre/next`, as.a2)).body.task.suggestion).toBeNull();
      expect((await tasksOf('pre', 'a1')).every((x) => x.suggestion === null)).toBe(true);
      expect((await tasksOf('pre')).filter((x) => x.suggestion !== null)).toHaveLength(6);
      await call(t.app, 'PATCH', `${BASE}/pre/settings`, as.dan, { show_suggestions: true });

      const exported = await call(t.app, 'GET', `${BASE}/pre/export?format=label-studio`, as.dan);
      const withPrediction = exported.body.find((x: any) => x.id === next.body.task.id);
      expect(withPrediction.predictions).toEqual([
        { model_version: managerView.suggestion.model_version_id, score: managerView.suggestion.confidence, result: [expect.objectContaining({ from_name: 'label', to_name: 'data', type: 'choices', value: { choices: [want.label] } })] },
      ]);
      expect(exported.body.find((x: any) => x.id === r.body.tasks.items[6].task_id).predictions).toEqual([]);
    });

    it('auto-labels confident tasks, sends a seeded share to people, and reports the accuracy of auto-labels', async () => {
      const confidences = ROWS.map((row) => expected(row).confidence).sort((a, b) => a - b);
      // Halfway between two rows' confidences, so float32 rounding in the runtime cannot move a row across it.
      const k = Math.floor(confidences.length / 3);
      const threshold = (confidences[k - 1] + confidences[k]) / 2;
      const auto_label = { threshold, spot_check_share: 0.4, seed: 11 };
      const r = await call(t.app, 'POST', BASE, as.dan, { name: 'auto', labels: LABELS, overlap: 1, model: { model: 'weather', version: 1 }, auto_label, items: ROWS.map((data) => ({ data })) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const ids: string[] = r.body.tasks.items.map((i: { task_id: string }) => i.task_id);
      expect((await call(t.app, 'POST', `${BASE}/auto/prelabel`, as.dan)).status).toBe(202);
      await runJobs();

      const confident = ids.filter((_, i) => expected(ROWS[i]).confidence >= threshold);
      const spot = confident.filter((id) => spotCheckDraw(11, id) < 0.4);
      const auto = confident.filter((id) => !spot.includes(id));
      expect(spot.length).toBeGreaterThan(0);
      expect(auto.length).toBeGreaterThan(0);
      const tasks = await tasksOf('auto');
      const byId = new Map(tasks.map((x) => [x.id, x]));
      for (const id of auto) expect(byId.get(id)).toMatchObject({ status: 'resolved', resolved_by: 'model', resolved_label: expected(ROWS[ids.indexOf(id)]).label, label_count: 0 });
      for (const id of spot) expect(byId.get(id)).toMatchObject({ status: 'open', spot_check: true });

      // Spot checks come to people without the model's answer; they agree on all but one.
      const answered: string[] = [];
      for (;;) {
        const next = await call(t.app, 'GET', `${BASE}/auto/next`, as.a1);
        if (!next.body.task) break;
        const id = next.body.task.id;
        const model = expected(next.body.task.data).label;
        if (spot.includes(id)) expect(next.body.task.suggestion).toBeNull();
        const label = id === spot[0] ? LABELS.find((l) => l !== model)! : model;
        expect((await call(t.app, 'POST', `${BASE}/auto/tasks/${id}/labels`, as.a1, { label })).status).toBe(201);
        answered.push(id);
      }
      expect(answered).toHaveLength(ids.length - auto.length);
      const stats = (await call(t.app, 'GET', `${BASE}/auto`, as.olga)).body.stats.automation;
      expect(stats).toMatchObject({ suggested: 16, auto_labelled: auto.length, spot_checks: spot.length, spot_checks_resolved: spot.length, spot_checks_agreeing: spot.length - 1 });
      expect(stats.auto_label_accuracy).toBeCloseTo((spot.length - 1) / spot.length, 12);

      // A reviewer fixes one auto-label: its row's method becomes review.
      const fixed = auto[0];
      const other = LABELS.find((l) => l !== byId.get(fixed).resolved_label)!;
      expect((await call(t.app, 'POST', `${BASE}/auto/tasks/${fixed}/review`, as.olga, { decision: 'fix', label: other })).status).toBe(200);

      // The labelled output: every resolved task, with its label's method, agreement or confidence, and annotators.
      const out = await call(t.app, 'POST', `${BASE}/auto/output`, as.dan, { dataset: 'weather-labelled' });
      expect(out.status, JSON.stringify(out.body)).toBe(201);
      expect(out.body).toMatchObject({ dataset: 'weather-labelled', version: 1, rows: 16, by_method: { model: auto.length - 1, review: 1, 'human-consensus': ids.length - auto.length } });
      const ctx = await adminContext(t.platform);
      const access = await authorizeProject(t.platform.store, ctx.principal, 'dataset.read', 'weather');
      const version = await t.platform.services.datasets.getVersion(access, 'weather-labelled', 1);
      const cols = await t.platform.services.datasets.readColumns(version, ['label_task_id', 'label', 'label_method', 'label_annotators', 'label_confidence', 'temp_max']);
      const rowOfTask = (id: string) => (cols.columns.label_task_id as string[]).indexOf(id);
      expect((cols.columns.label_method as string[])[rowOfTask(fixed)]).toBe('review');
      expect((cols.columns.label as string[])[rowOfTask(fixed)]).toBe(other);
      // Every other auto-label keeps its method and the model's confidence (how many there are
      // depends on the seeded spot-check draw over the tasks' random ids).
      for (const id of auto.filter((x) => x !== fixed)) {
        expect((cols.columns.label_method as string[])[rowOfTask(id)]).toBe('model');
        expect((cols.columns.label_confidence as Float64Array)[rowOfTask(id)]).toBeCloseTo(expected(ROWS[ids.indexOf(id)]).confidence, 5);
      }
      expect((cols.columns.label_method as string[])[rowOfTask(spot[0])]).toBe('human-consensus');
      expect((cols.columns.label_annotators as string[])[rowOfTask(spot[0])]).toBe('a1');
    });

    it("creates tasks from a dataset version's most uncertain rows, never the same row twice, then reprioritises", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fw-al-'));
      const file = join(dir, 'pool.csv');
      const pool = Array.from({ length: 40 }, (_, i) => rowOf(i + 100));
      writeFileSync(file, ['precipitation,temp_max,temp_min,wind,station', ...pool.map((p) => `${p.precipitation},${p.temp_max},${p.temp_min},${p.wind},${p.station}`)].join('\n') + '\n');
      const ctx = await adminContext(t.platform);
      const access = await authorizeProject(t.platform.store, ctx.principal, 'dataset.write', 'weather');
      await t.platform.services.datasets.create(ctx, access, { name: 'pool' });
      await t.platform.services.datasets.ingestFile(ctx, access, 'pool', file, { format: 'csv' });
      expect((await call(t.app, 'POST', BASE, as.dan, { name: 'al', labels: LABELS, overlap: 1, model: { model: 'weather' } })).status).toBe(201);

      const entropies = pool.map((p) => entropy(expected(p).probabilities));
      const order = topK(entropies, pool.length);
      const queued = await call(t.app, 'POST', `${BASE}/al/active-learning`, as.dan, { strategy: 'entropy', k: 3, dataset: 'pool' });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const [first] = await runJobs();
      expect(first.result).toMatchObject({ mode: 'create', strategy: 'entropy', scored: 40, picked: 3, already_tasks: 0 });
      let tasks = await tasksOf('al');
      const key = (d: Record<string, unknown>) => `${d.precipitation}|${d.temp_max}|${d.temp_min}|${d.wind}|${d.station}`;
      const keyOfRow = (i: number) => key(pool[i]);
      expect(tasks.map((x) => key(x.data)).sort()).toEqual(order.slice(0, 3).map(keyOfRow).sort());
      // The most uncertain is served first.
      const firstServed = await call(t.app, 'GET', `${BASE}/al/next`, as.a1);
      expect(key(firstServed.body.task.data)).toBe(keyOfRow(order[0]));
      expect(firstServed.body.task.priority).toBe(1002);
      expect(firstServed.body.task.suggestion.label).toBe(expected(pool[order[0]]).label);

      // A second round picks the next three rows.
      await call(t.app, 'POST', `${BASE}/al/active-learning`, as.dan, { strategy: 'entropy', k: 3, dataset: 'pool', version: 1 });
      const [second] = await runJobs();
      expect(second.result).toMatchObject({ picked: 3, already_tasks: 3 });
      tasks = await tasksOf('al');
      expect(tasks.map((x) => key(x.data)).sort()).toEqual(order.slice(0, 6).map(keyOfRow).sort());

      // Reprioritise by least confidence: the two least confident open tasks go to the front.
      await call(t.app, 'POST', `${BASE}/al/active-learning`, as.dan, { strategy: 'least-confidence', k: 2, mode: 'reprioritise', base_priority: 5000 });
      const [third] = await runJobs();
      expect(third.result).toMatchObject({ mode: 'reprioritise', picked: 2, scored: 6 });
      const open = (await tasksOf('al')).filter((x) => x.status === 'open');
      const byLc = [...open].sort((a, b) => expected(a.data).confidence - expected(b.data).confidence);
      const front = open.filter((x) => x.priority >= 5000).sort((a, b) => b.priority - a.priority);
      expect(front.map((x) => x.id)).toEqual(byLc.slice(0, 2).map((x) => x.id));
      expect(front.map((x) => x.priority)).toEqual([5001, 5000]);
    });

    it('streams a version of more rows than one batch: picks the k most uncertain over all of it, with their row numbers', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fw-al-big-'));
      const file = join(dir, 'big.csv');
      // 5,000 rows: two batches of the scorer (4,096 rows each); `id` tells each row apart.
      const pool = Array.from({ length: 5000 }, (_, i) => ({ id: i, ...rowOf(i * 7 + 3) }));
      writeFileSync(file, ['id,precipitation,temp_max,temp_min,wind,station', ...pool.map((p) => `${p.id},${p.precipitation},${p.temp_max},${p.temp_min},${p.wind},${p.station}`)].join('\n') + '\n');
      const ctx = await adminContext(t.platform);
      const access = await authorizeProject(t.platform.store, ctx.principal, 'dataset.write', 'weather');
      await t.platform.services.datasets.create(ctx, access, { name: 'big-pool' });
      const version = await t.platform.services.datasets.ingestFile(ctx, access, 'big-pool', file, { format: 'csv' });
      expect((await call(t.app, 'POST', BASE, as.dan, { name: 'al-big', labels: LABELS, overlap: 1, model: { model: 'weather' } })).status).toBe(201);
      const margins = pool.map((p) => marginUncertainty(expected(p).probabilities));
      const best = topK(margins, 10);
      const picks = async () => {
        const job = await t.platform.store.labellingJobs.getByName(version.project_id, 'al-big');
        const tasks = (await t.platform.store.labellingTasks.list(job!.id, { limit: 100 })).items.sort((a, b) => b.priority - a.priority);
        // Each task is its row: the data of the row its source_row names.
        for (const x of tasks) expect(x.data.id).toBe(Number(x.source_row!.split(':')[1]));
        expect(tasks.every((x) => x.source_row!.startsWith(`${version.id}:`))).toBe(true);
        return tasks.map((x) => x.data.id as number);
      };

      expect((await call(t.app, 'POST', `${BASE}/al-big/active-learning`, as.dan, { strategy: 'margin', k: 5, dataset: 'big-pool' })).status).toBe(202);
      const [first] = await runJobs();
      expect(first.result).toMatchObject({ mode: 'create', scored: 5000, picked: 5, already_tasks: 0 });
      const round1 = await picks();
      // The model computes in float32: compare the picks' margins with the best five (near-ties may swap).
      round1.forEach((r, i) => expect(margins[r]).toBeCloseTo(margins[best[i]], 5));
      expect(new Set(round1).size).toBe(5);

      // The next round passes over the five rows already tasks and takes the next five.
      expect((await call(t.app, 'POST', `${BASE}/al-big/active-learning`, as.dan, { strategy: 'margin', k: 5, dataset: 'big-pool' })).status).toBe(202);
      const [second] = await runJobs();
      expect(second.result).toMatchObject({ scored: 4995, picked: 5, already_tasks: 5 });
      const round2 = (await picks()).filter((r) => !round1.includes(r));
      expect(round2).toHaveLength(5);
      round2.forEach((r, i) => expect(margins[r]).toBeCloseTo(margins[best[5 + i]], 5));
    });

    it("makes tasks of a deployment's logged predictions, and their labels flow back as feedback", async () => {
      const ctx = await adminContext(t.platform);
      const access = await authorizeProject(t.platform.store, ctx.principal, 'deployment.write', 'weather');
      await t.platform.services.deployments.create(ctx, access, { name: 'weather-prod', model: 'weather' });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      const served = await call(t.app, 'POST', '/api/v1/deployments/weather-prod/predict', admin, { rows: ROWS.slice(0, 4), event_times: [1, 2, 3, 4].map((d) => Date.UTC(2014, 1, d)) });
      expect(served.status, JSON.stringify(served.body)).toBe(200);
      expect((await call(t.app, 'POST', BASE, as.dan, { name: 'stream', labels: LABELS, overlap: 1, source: { kind: 'predictions', deployment: 'weather-prod' } })).status).toBe(201);

      const bad = await call(t.app, 'POST', `${BASE}/stream/tasks/from-predictions`, as.dan, { deployment: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('body.deployment');
      const made = await call(t.app, 'POST', `${BASE}/stream/tasks/from-predictions`, as.dan, { deployment: 'weather-prod', from: Date.UTC(2014, 1, 1), to: Date.UTC(2014, 1, 4), limit: 2 });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject({ read: 3, created: 2, more: true, already_tasks: 0 });
      // The deployment defaults to the job's source.
      const again = await call(t.app, 'POST', `${BASE}/stream/tasks/from-predictions`, as.dan, { from: Date.UTC(2014, 1, 1), to: Date.UTC(2014, 1, 4) });
      expect(again.body).toMatchObject({ created: 1, already_tasks: 2, more: false });

      const tasks = await tasksOf('stream');
      expect(tasks).toHaveLength(3);
      const predictionIds = served.body.predictions.map((p: { id: string }) => p.id);
      for (const x of tasks) {
        const i = predictionIds.indexOf(x.prediction_id);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(x.data).toEqual(ROWS[i]);
        expect(x.suggestion).toMatchObject({ label: served.body.predictions[i].label, source: 'prediction-log' });
      }
      const next = await call(t.app, 'GET', `${BASE}/stream/next`, as.a1);
      expect((await call(t.app, 'POST', `${BASE}/stream/tasks/${next.body.task.id}/labels`, as.a1, { label: 'fog' })).status).toBe(201);
      const pid = tasks.find((x) => x.id === next.body.task.id).prediction_id;
      const project = await t.platform.store.projects.getByName('weather');
      expect((await t.platform.services.feedback.feedbackFor(project!.id, [pid])).get(pid)).toMatchObject({ label: 'fog', source: 'annotation' });
      // A prediction with feedback is not made into a task again, even in another job.
      expect((await call(t.app, 'POST', BASE, as.dan, { name: 'stream-2', labels: LABELS, overlap: 1 })).status).toBe(201);
      const none = await call(t.app, 'POST', `${BASE}/stream-2/tasks/from-predictions`, as.dan, {});
      expect(none.status).toBe(400);
      expect(none.body.error.details.field).toBe('body.deployment');
      const other = await call(t.app, 'POST', `${BASE}/stream-2/tasks/from-predictions`, as.dan, { deployment: 'weather-prod' });
      expect(other.body).toMatchObject({ read: 4, created: 3, already_labelled: 1 });
    });
  });
}
