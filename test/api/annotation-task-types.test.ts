// Task types beyond single-label classification over the API on every database: a multi-label
// job, a text-spans job and an image-boxes job (images by URL and uploaded), each labelled by
// two annotators, resolved by the consensus of its kind, with job statistics and consensus; bad
// submissions answer 400 naming the field and index; a label is withdrawn while its task is open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { pngDataUrl, pngOf } from '../support/png.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/news/labelling-jobs';

type Task = { id: string; data: Record<string, unknown> };

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`labelling task types (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};

    const tasksOf = async (job: string): Promise<Array<Task & Record<string, any>>> => (await call(t.app, 'GET', `${BASE}/${job}/tasks`, as.olga)).body.items;
    const submit = (job: string, task: string, who: string, body: unknown) => call(t.app, 'POST', `${BASE}/${job}/tasks/${task}/labels`, as[who], body);

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'news' })).status).toBe(201);
      for (const [u, role] of Object.entries({ olga: 'owner', a1: 'annotator', a2: 'annotator' })) {
        await addMember(t.app, admin, 'news', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
    }, 60_000);
    afterAll(() => t?.close());

    it('multi-label: per-label majority, per-label agreement and α, bad choices 400', async () => {
      const created = await call(t.app, 'POST', BASE, as.olga, {
        name: 'topics',
        labels: { type: 'choices', choice: 'multiple', choices: ['sport', 'politics', 'economy'], to_name: 'headline' },
        overlap: 2,
        items: [{ data: { headline: 'Budget vote' } }, { data: { headline: 'Cup final' } }, { data: { headline: 'Tax on clubs' } }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.job).toMatchObject({ kind: 'multi-label', labels: ['sport', 'politics', 'economy'], label_config: { choice: 'multiple', to_name: 'headline' } });
      const tasks = await tasksOf('topics');
      const id = (h: string) => tasks.find((x) => x.data.headline === h)!.id;
      const plan: Array<[string, string[], string[]]> = [
        ['Budget vote', ['politics', 'economy'], ['economy', 'politics']],
        ['Cup final', ['sport'], ['sport']],
        ['Tax on clubs', ['economy', 'sport'], ['economy']],
      ];
      for (const [h, a, b] of plan) {
        expect((await submit('topics', id(h), 'a1', { choices: a })).status).toBe(201);
        expect((await submit('topics', id(h), 'a2', { choices: b })).status).toBe(201);
      }
      const after = await tasksOf('topics');
      const byHeadline = Object.fromEntries(after.map((x) => [x.data.headline, x]));
      expect(byHeadline['Budget vote']).toMatchObject({ status: 'resolved', resolved_label: 'politics, economy', resolved_value: { type: 'choices', choices: ['politics', 'economy'] }, agreement: 1, tie: false });
      // 'sport' picked by one of two: a tie, left out; the task is disputed.
      expect(byHeadline['Tax on clubs']).toMatchObject({ resolved_value: { choices: ['economy'] }, tie: true, disputed: true, agreement: 0.75 });
      expect(byHeadline['Cup final'].labels[0]).toMatchObject({ label: 'sport', value: { type: 'choices', choices: ['sport'] } });

      const job = (await call(t.app, 'GET', `${BASE}/topics`, as.olga)).body;
      const s = job.stats;
      expect(s).toMatchObject({ resolved_tasks: 3, ties: 1, fleiss_kappa: null, mean_pairwise_f1: null });
      const label = (l: string) => s.labels.find((x: { label: string }) => x.label === l);
      expect(label('sport')).toMatchObject({ given: 3, percent_agreement: 2 / 3 });
      expect(label('politics')).toMatchObject({ given: 2, percent_agreement: 1, krippendorff_alpha: 1 });
      expect(s.percent_agreement).toBeCloseTo(8 / 9, 12);
      expect(typeof s.krippendorff_alpha).toBe('number');
      const a2 = s.annotators.find((a: { annotator: string }) => a.annotator === 'a2');
      expect(a2).toMatchObject({ on_resolved: 3, agreeing: 3, agreement_with_consensus: 1, krippendorff_alpha: 1 });

      const consensus = await call(t.app, 'GET', `${BASE}/topics/consensus`, as.olga);
      expect(consensus.status, JSON.stringify(consensus.body)).toBe(200);
      expect(consensus.body.tasks.find((x: { task_id: string }) => x.task_id === id('Tax on clubs'))).toMatchObject({
        label: 'economy',
        value: { type: 'choices', choices: ['economy'] },
        distribution: [0.5, 0, 1],
        confidence: 0.75,
        low_agreement: true,
      });
      // Dawid-Skene per label, worked by hand: sport is the only label they split on (Tax on clubs,
      // a1 yes, a2 no). From the vote shares, a1's sport sensitivity is 1 and specificity ⅔, a2's ⅔
      // and 1, so Tax on clubs stays at ½ for sport (½·1·⅓ against ½·⅓·1): a tie, low agreement.
      const ds = await call(t.app, 'GET', `${BASE}/topics/consensus?method=dawid-skene`, as.olga);
      expect(ds.status, JSON.stringify(ds.body)).toBe(200);
      expect(ds.body).toMatchObject({ method: 'dawid-skene', classes: ['sport', 'politics', 'economy'], converged: true });
      ds.body.priors.forEach((p: number, k: number) => expect(p).toBeCloseTo([1 / 2, 1 / 3, 2 / 3][k], 9));
      const dsTask = (h: string) => ds.body.tasks.find((x: { task_id: string }) => x.task_id === id(h));
      expect(dsTask('Budget vote')).toMatchObject({ label: 'politics, economy', value: { type: 'choices', choices: ['politics', 'economy'] }, low_agreement: false });
      expect(dsTask('Budget vote').confidence).toBeCloseTo(1, 9);
      expect(dsTask('Tax on clubs')).toMatchObject({ label: 'economy', value: { choices: ['economy'] }, low_agreement: true, resolved_label: 'economy' });
      expect(dsTask('Tax on clubs').confidence).toBeCloseTo(1 / 2, 9);
      dsTask('Tax on clubs').distribution.forEach((p: number, k: number) => expect(p).toBeCloseTo([1 / 2, 0, 1][k], 9));
      const dsA1 = ds.body.annotators.find((a: { annotator: string }) => a.annotator === 'a1');
      expect(dsA1.confusion).toBeNull();
      dsA1.sensitivity.forEach((p: number, k: number) => expect(p).toBeCloseTo([1, 1, 1][k], 9));
      dsA1.specificity.forEach((p: number, k: number) => expect(p).toBeCloseTo([2 / 3, 1, 1][k], 9));

      // A reviewer fixes the disputed task with a new answer in the kind's field.
      const disputes = (await call(t.app, 'GET', `${BASE}/topics/disputes`, as.olga)).body.items;
      expect(disputes.map((x: { id: string }) => x.id)).toEqual([id('Tax on clubs')]);
      const review = (body: unknown) => call(t.app, 'POST', `${BASE}/topics/tasks/${id('Tax on clubs')}/review`, as.olga, body);
      expect((await review({ decision: 'fix', label: 'sport' })).body.error.details.field).toBe('body.choices');
      expect((await review({ decision: 'fix', choices: ['golf'] })).body.error.details.field).toBe('body.choices[0]');
      const fixed = await review({ decision: 'fix', choices: ['sport', 'economy'], note: 'clubs are sport' });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      expect(fixed.body.task).toMatchObject({ resolved_label: 'sport, economy', disputed: false });
      expect((await tasksOf('topics')).find((x) => x.id === id('Tax on clubs'))).toMatchObject({ resolved_value: { type: 'choices', choices: ['sport', 'economy'] } });

      const more = await call(t.app, 'POST', `${BASE}/topics/tasks`, as.olga, { items: [{ data: { headline: 'x' } }] });
      const fresh = more.body.items[0].task_id;
      const bad = await submit('topics', fresh, 'a1', { choices: ['sport', 'weather'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ message: "body.choices[1] 'weather' is not one of this job's labels: sport, politics, economy", details: { field: 'body.choices[1]' } });
      expect((await submit('topics', fresh, 'a1', { label: 'sport' })).body.error.details.field).toBe('body.label');
      expect((await submit('topics', fresh, 'a1', {})).body.error.details.field).toBe('body.choices');
      expect((await submit('topics', fresh, 'a1', { choices: ['sport', 'sport'] })).body.error.details.field).toBe('body.choices[1]');
      expect((await submit('topics', fresh, 'a1', { choices: [] })).status).toBe(201); // none apply
    });

    it('text spans: exact-match span F1, majority over identical spans, spans outside the text 400', async () => {
      const text = 'Anna Berg flew from Oslo to Paris.';
      const created = await call(t.app, 'POST', BASE, as.olga, {
        name: 'ner',
        kind: 'text-spans',
        labels: ['PER', 'LOC'],
        overlap: 2,
        items: [{ data: { text } }, { data: { text: 'Nothing here.' } }, { data: { body: 'no text field' } }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.job).toMatchObject({ kind: 'text-spans', label_config: { type: 'labels', labels: ['PER', 'LOC'], to_name: 'text', field: 'text' } });
      expect(created.body.tasks).toMatchObject({ accepted: 2, rejected: 1 });
      expect(created.body.tasks.items[2]).toMatchObject({ status: 'rejected', field: 'body.items[2].data.text' });
      const tasks = await tasksOf('ner');
      const main = tasks.find((x) => x.data.text === text)!.id;
      const empty = tasks.find((x) => x.data.text === 'Nothing here.')!.id;
      const span = (start: number, end: number, label: string) => ({ start, end, text: text.slice(start, end), labels: [label] });
      expect((await submit('ner', main, 'a1', { spans: [span(0, 9, 'PER'), span(20, 24, 'LOC'), span(28, 33, 'LOC')] })).status).toBe(201);
      expect((await submit('ner', main, 'a2', { spans: [span(0, 4, 'PER'), span(20, 24, 'LOC'), span(28, 33, 'LOC')] })).status).toBe(201);
      expect((await submit('ner', empty, 'a1', { spans: [] })).status).toBe(201);
      expect((await submit('ner', empty, 'a2', { spans: [] })).status).toBe(201);

      const resolved = (await tasksOf('ner')).find((x) => x.id === main)!;
      // 'Anna' vs 'Anna Berg' do not match; Oslo and Paris do: F1 = 2·2 / (3 + 3).
      expect(resolved).toMatchObject({ status: 'resolved', tie: true, disputed: true, resolved_label: 'LOC: Oslo; LOC: Paris' });
      expect(resolved.agreement).toBeCloseTo(2 / 3, 12);
      expect(resolved.resolved_value).toEqual({ type: 'labels', spans: [span(20, 24, 'LOC'), span(28, 33, 'LOC')] });
      const s = (await call(t.app, 'GET', `${BASE}/ner`, as.olga)).body.stats;
      expect(s).toMatchObject({ resolved_tasks: 2, krippendorff_alpha: null, percent_agreement: null });
      expect(s.mean_pairwise_f1).toBeCloseTo(4 / 6, 12);
      expect(s.labels).toEqual([
        { label: 'PER', given: 2, percent_agreement: null, krippendorff_alpha: null, f1: 0 },
        { label: 'LOC', given: 4, percent_agreement: null, krippendorff_alpha: null, f1: 1 },
      ]);
      const a1 = s.annotators.find((a: { annotator: string }) => a.annotator === 'a1');
      expect(a1.f1_with_consensus).toBeCloseTo((0.8 + 1) / 2, 12); // main: 2·2 / (3 + 2); empty: 1
      const consensus = await call(t.app, 'GET', `${BASE}/ner/consensus`, as.olga);
      const mainConsensus = consensus.body.tasks.find((x: { task_id: string }) => x.task_id === main);
      expect(mainConsensus.value.spans).toHaveLength(2);
      // Oslo and Paris given by both (confidence 1); the task's confidence is its F1, ⅔, with a tie: low agreement.
      expect(mainConsensus.regions).toEqual([
        { label: 'LOC', votes: 2, confidence: 1, start: 20, end: 24, text: 'Oslo' },
        { label: 'LOC', votes: 2, confidence: 1, start: 28, end: 33, text: 'Paris' },
      ]);
      expect(mainConsensus).toMatchObject({ low_agreement: true, confidence: expect.closeTo(2 / 3, 12) });
      const dsSpans = await call(t.app, 'GET', `${BASE}/ner/consensus?method=dawid-skene`, as.olga);
      expect(dsSpans.status).toBe(400);
      expect(dsSpans.body.error.details.field).toBe('query.method');

      const open = (await call(t.app, 'POST', `${BASE}/ner/tasks`, as.olga, { items: [{ data: { text } }] })).body.items[0].task_id;
      const outside = await submit('ner', open, 'a1', { spans: [span(0, 4, 'PER'), { start: 28, end: 99, text: 'Paris.', labels: ['LOC'] }] });
      expect(outside.status).toBe(400);
      expect(outside.body.error.details.field).toBe('body.spans[1].end');
      expect(outside.body.error.message).toMatch(/outside the text, which is 34 characters long/);
      const wrongText = await submit('ner', open, 'a1', { spans: [{ start: 0, end: 4, text: 'Anne', labels: ['PER'] }] });
      expect(wrongText.body.error).toMatchObject({ details: { field: 'body.spans[0].text' }, message: expect.stringMatching(/'Anne' is not the text at 0..4, which reads 'Anna'/) });
      expect((await submit('ner', open, 'a1', { spans: [{ ...span(0, 4, 'PER'), labels: ['ORG'] }] })).body.error.details.field).toBe('body.spans[0].labels[0]');
      expect((await submit('ner', open, 'a1', { spans: [{ start: -1, end: 4, text: 'Anna', labels: ['PER'] }] })).body.error.details.field).toBe('body.spans[0].start');
    });

    it('image boxes: IoU matching, consensus boxes averaged, uploaded images served back, boxes outside the image 400', async () => {
      const url = pngDataUrl(8, 6);
      const created = await call(t.app, 'POST', BASE, as.olga, {
        name: 'street',
        labels: { type: 'rectanglelabels', labels: ['car', 'person'], to_name: 'image' },
        overlap: 2,
        items: [{ data: { image: url } }, { data: { image: 'not a url' } }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.job.kind).toBe('image-boxes');
      expect(created.body.tasks.items[1]).toMatchObject({ status: 'rejected', field: 'body.items[1].data.image' });

      // An uploaded image becomes a task; the same bytes again answer the same task.
      const png = pngOf(64, 48);
      const upload = (name: string) =>
        t.app.inject({ method: 'POST', url: `${BASE}/street/images?name=${name}`, headers: { ...as.olga, 'content-type': 'image/png' }, payload: png });
      const up = await upload('cam-1.png');
      expect(up.statusCode, up.body).toBe(201);
      const uploaded = JSON.parse(up.body);
      expect(uploaded).toMatchObject({ created: true, image: { content_type: 'image/png', width: 64, height: 48, size: png.length, name: 'cam-1.png' } });
      expect(uploaded.image.url).toMatch(/^\/api\/v1\/projects\/[0-9a-f-]+\/labelling-jobs\/[0-9a-f-]+\/images\/[0-9a-f]{64}$/);
      expect(JSON.parse((await upload('again.png')).body)).toMatchObject({ created: false, task_id: uploaded.task_id });
      const served = await t.app.inject({ method: 'GET', url: uploaded.image.url, headers: as.a1 });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(served.rawPayload, png)).toBe(0);
      const notImage = await t.app.inject({ method: 'POST', url: `${BASE}/street/images`, headers: { ...as.olga, 'content-type': 'image/png' }, payload: Buffer.from('hello') });
      expect(notImage.statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: `${BASE}/street/images/${'0'.repeat(64)}`, headers: as.a1 })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: `${BASE}/ner/images`, headers: { ...as.olga, 'content-type': 'image/png' }, payload: png })).statusCode).toBe(409);

      const tasks = await tasksOf('street');
      const byUrl = tasks.find((x) => x.data.image === url)!.id;
      const car = { x: 10, y: 10, width: 40, height: 30, labels: ['car'] };
      expect((await submit('street', uploaded.task_id, 'a1', { boxes: [car, { x: 60, y: 20, width: 10, height: 30, labels: ['person'] }], original_width: 64, original_height: 48 })).status).toBe(201);
      expect((await submit('street', uploaded.task_id, 'a2', { boxes: [{ ...car, x: 12 }], original_width: 64, original_height: 48 })).status).toBe(201);
      expect((await submit('street', byUrl, 'a1', { boxes: [car] })).status).toBe(201);
      expect((await submit('street', byUrl, 'a2', { boxes: [car] })).status).toBe(201);

      const done = (await tasksOf('street')).find((x) => x.id === uploaded.task_id)!;
      expect(done).toMatchObject({ status: 'resolved', resolved_label: 'car', tie: true, disputed: true });
      expect(done.resolved_value).toEqual({ type: 'rectanglelabels', boxes: [{ x: 11, y: 10, width: 40, height: 30, rotation: 0, labels: ['car'] }], original_width: 64, original_height: 48 });
      expect(done.agreement).toBeCloseTo(2 / 3, 12); // the cars match (IoU 0.9); the person is unmatched
      const s = (await call(t.app, 'GET', `${BASE}/street`, as.olga)).body.stats;
      expect(s.mean_pairwise_f1).toBeCloseTo((2 + 2) / (3 + 2), 12);
      expect(s.labels.find((l: { label: string }) => l.label === 'car')).toMatchObject({ given: 4, f1: 1 });
      expect(s.labels.find((l: { label: string }) => l.label === 'person')).toMatchObject({ given: 1, f1: 0 });
      // The consensus box with its votes (both drew it: confidence 1) and how tightly they agree:
      // each car overlaps the mean box (11..51) on 39 × 30 = 1170 of 1230, IoU 39/41.
      const boxConsensus = (await call(t.app, 'GET', `${BASE}/street/consensus`, as.olga)).body.tasks.find((x: { task_id: string }) => x.task_id === uploaded.task_id);
      expect(boxConsensus.regions).toEqual([{ label: 'car', votes: 2, confidence: 1, x: 11, y: 10, width: 40, height: 30, iou: expect.closeTo(39 / 41, 6) }]);
      expect(boxConsensus).toMatchObject({ low_agreement: true, confidence: expect.closeTo(2 / 3, 12) });

      const open = (await call(t.app, 'POST', `${BASE}/street/tasks`, as.olga, { items: [{ data: { image: url } }] })).body.items[0].task_id;
      const outside = await submit('street', open, 'a1', { boxes: [car, { x: 80, y: 10, width: 30, height: 10, labels: ['car'] }] });
      expect(outside.status).toBe(400);
      expect(outside.body.error).toMatchObject({ details: { field: 'body.boxes[1].width' }, message: expect.stringMatching(/past the image's right edge/) });
      expect((await submit('street', open, 'a1', { boxes: [{ ...car, height: 0 }] })).body.error.details.field).toBe('body.boxes[0].height');
      expect((await submit('street', open, 'a1', { boxes: [{ ...car, x: -5 }] })).body.error.details.field).toBe('body.boxes[0].x');
      expect((await submit('street', open, 'a1', { boxes: [{ ...car, labels: ['bus'] }] })).body.error.details.field).toBe('body.boxes[0].labels[0]');
      expect((await submit('street', open, 'a1', { spans: [] })).body.error.details.field).toBe('body.spans');
    });

    it('withdraws a label while the task is open (undo), never once it is resolved; the queue passes over excluded tasks', async () => {
      const created = await call(t.app, 'POST', BASE, as.olga, { name: 'undo', labels: ['a', 'b'], overlap: 2, items: [{ data: { n: 1 } }, { data: { n: 2 } }] });
      const [task, other] = created.body.tasks.items.map((i: { task_id: string }) => i.task_id);
      // Preloading: the task after the one on screen.
      expect((await call(t.app, 'GET', `${BASE}/undo/next`, as.a1)).body.task.id).toBe(task);
      expect((await call(t.app, 'GET', `${BASE}/undo/next?exclude=${task}`, as.a1)).body.task.id).toBe(other);
      expect((await call(t.app, 'GET', `${BASE}/undo/next?exclude=${task},${other}`, as.a1)).body.task).toBeNull();
      expect((await submit('undo', other, 'a1', { label: 'a' })).status).toBe(201);
      expect((await submit('undo', task, 'a1', { label: 'a' })).status).toBe(201);
      expect((await call(t.app, 'GET', `${BASE}/undo/next`, as.a1)).body.task).toBeNull();
      const undo = await call(t.app, 'DELETE', `${BASE}/undo/tasks/${task}/labels/mine`, as.a1);
      expect(undo.status, JSON.stringify(undo.body)).toBe(200);
      expect(undo.body).toMatchObject({ task_id: task, withdrawn: { label: 'a', annotator: 'a1' } });
      expect((await call(t.app, 'GET', `${BASE}/undo/next`, as.a1)).body.task.id).toBe(task);
      expect((await call(t.app, 'DELETE', `${BASE}/undo/tasks/${task}/labels/mine`, as.a1)).status).toBe(404);
      expect((await submit('undo', task, 'a1', { label: 'b' })).status).toBe(201);
      expect((await submit('undo', task, 'a2', { label: 'b' })).status).toBe(201);
      const final = await call(t.app, 'DELETE', `${BASE}/undo/tasks/${task}/labels/mine`, as.a1);
      expect(final.status).toBe(409);
      expect((await tasksOf('undo')).find((x) => x.id === task)).toMatchObject({ status: 'resolved', resolved_label: 'b', label_count: 2 });
    });
  });
}
