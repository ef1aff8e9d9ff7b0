// Label Studio JSON for every task type on every database: a file as Label Studio writes it
// (multi-label choices, text spans with `labels`, image boxes with `rectanglelabels` in percent,
// predictions, `origin`, extra fields) imports with its answers read, and exports deep-equal; a
// job labelled in Flywheel exports, imports into a fresh job and exports the same JSON again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/ls/labelling-jobs';
const TEXT = 'Anna Berg flew from Oslo to Paris.';
const IMAGE = 'https://images.example.com/street-1.jpg';

const annotation = (id: number, by: number, result: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  completed_by: by,
  result,
  was_cancelled: false,
  ground_truth: false,
  created_at: '2024-03-09T22:16:08.728353Z',
  updated_at: '2024-03-09T22:16:08.728378Z',
  lead_time: 4.288,
  task: 1,
  ...extra,
});

/** One fixture per type, as Label Studio exports it. */
const FIXTURES: Record<string, { labels: unknown; tasks: Array<Record<string, unknown>>; answers: unknown[] }> = {
  'multi-label': {
    labels: { type: 'choices', choice: 'multiple', choices: ['sport', 'politics', 'economy'], from_name: 'topic', to_name: 'headline' },
    tasks: [
      {
        id: 201,
        data: { headline: 'Budget vote' },
        annotations: [
          annotation(3001, 10, [{ id: 'm1', from_name: 'topic', to_name: 'headline', type: 'choices', origin: 'manual', value: { choices: ['politics', 'economy'] } }]),
          annotation(3002, 11, []),
        ],
        predictions: [{ id: 9, model_version: 'v1', score: 0.61, result: [{ id: 'p1', from_name: 'topic', to_name: 'headline', type: 'choices', value: { choices: ['politics'] } }] }],
      },
    ],
    answers: [{ type: 'choices', choices: ['politics', 'economy'] }, { type: 'choices', choices: [] }],
  },
  'text-spans': {
    labels: { type: 'labels', labels: ['PER', 'LOC'], from_name: 'label', to_name: 'text' },
    tasks: [
      {
        id: 301,
        data: { text: TEXT, source: 'wire' },
        annotations: [
          annotation(4001, 10, [
            { id: 's1', from_name: 'label', to_name: 'text', type: 'labels', origin: 'manual', value: { start: 0, end: 9, text: 'Anna Berg', labels: ['PER'] } },
            { id: 's2', from_name: 'label', to_name: 'text', type: 'labels', origin: 'manual', value: { start: 28, end: 33, text: 'Paris', labels: ['LOC'] } },
          ]),
        ],
        predictions: [],
        drafts: [],
      },
    ],
    answers: [{ type: 'labels', spans: [{ start: 0, end: 9, text: 'Anna Berg', labels: ['PER'] }, { start: 28, end: 33, text: 'Paris', labels: ['LOC'] }] }],
  },
  'image-boxes': {
    labels: { type: 'rectanglelabels', labels: ['car', 'person'], from_name: 'label', to_name: 'image' },
    tasks: [
      {
        id: 401,
        data: { image: IMAGE },
        annotations: [
          annotation(5001, 10, [
            {
              id: 'b1',
              from_name: 'label',
              to_name: 'image',
              type: 'rectanglelabels',
              original_width: 640,
              original_height: 480,
              image_rotation: 0,
              origin: 'manual',
              value: { x: 12.5, y: 20, width: 30.25, height: 40, rotation: 0, rectanglelabels: ['car'] },
            },
          ]),
        ],
        predictions: [],
      },
    ],
    answers: [{ type: 'rectanglelabels', boxes: [{ x: 12.5, y: 20, width: 30.25, height: 40, rotation: 0, labels: ['car'] }], original_width: 640, original_height: 480 }],
  },
};

/** Answers given in Flywheel, per type, for the native round trip. */
const NATIVE: Record<string, { labels: unknown; item: Record<string, unknown>; answers: Array<Record<string, unknown>> }> = {
  'multi-label': { labels: FIXTURES['multi-label'].labels, item: { headline: 'Cup final' }, answers: [{ choices: ['sport'] }, { choices: ['sport', 'economy'] }] },
  'text-spans': {
    labels: FIXTURES['text-spans'].labels,
    item: { text: TEXT },
    answers: [{ spans: [{ start: 20, end: 24, text: 'Oslo', labels: ['LOC'] }] }, { spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }, { start: 20, end: 24, text: 'Oslo', labels: ['LOC'] }] }],
  },
  'image-boxes': {
    labels: FIXTURES['image-boxes'].labels,
    item: { image: IMAGE },
    answers: [{ boxes: [{ x: 1.5, y: 2, width: 10, height: 20, labels: ['person'] }], original_width: 640, original_height: 480 }, { boxes: [] }],
  },
};

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`Label Studio JSON for every task type (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'ls' })).status).toBe(201);
      for (const [u, role] of Object.entries({ olga: 'owner', a1: 'annotator', a2: 'annotator' })) {
        await addMember(t.app, admin, 'ls', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
    }, 60_000);
    afterAll(() => t?.close());

    for (const [kind, fixture] of Object.entries(FIXTURES)) {
      it(`${kind}: a Label Studio file imports with its answers read and exports deep-equal`, async () => {
        const job = `ls-${kind}`;
        expect((await call(t.app, 'POST', BASE, as.olga, { name: job, labels: fixture.labels, overlap: 3 })).status).toBe(201);
        const r = await call(t.app, 'POST', `${BASE}/${job}/import?format=label-studio`, as.olga, { tasks: fixture.tasks });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toMatchObject({ accepted: fixture.tasks.length, rejected: 0, annotations: { accepted: fixture.answers.length, rejected: 0 } });
        const tasks = (await call(t.app, 'GET', `${BASE}/${job}/tasks`, as.olga)).body.items;
        expect(tasks[0].labels.map((l: { value: unknown }) => l.value)).toEqual(fixture.answers);
        const out = await call(t.app, 'GET', `${BASE}/${job}/export?format=label-studio`, as.olga);
        expect(out.body).toEqual(fixture.tasks);
        const again = await call(t.app, 'POST', `${BASE}/${job}/import`, as.olga, { tasks: fixture.tasks });
        expect(again.body).toMatchObject({ tasks_created: 0, annotations: { accepted: 0, skipped: fixture.answers.length } });
      });

      it(`${kind}: labelled in Flywheel, export → import → export gives deep-equal JSON`, async () => {
        const native = NATIVE[kind];
        const job = `native-${kind}`;
        const created = await call(t.app, 'POST', BASE, as.olga, { name: job, labels: native.labels, overlap: 2, items: [{ data: native.item }] });
        const task = created.body.tasks.items[0].task_id;
        for (const [k, who] of ['a1', 'a2'].entries()) {
          const r = await call(t.app, 'POST', `${BASE}/${job}/tasks/${task}/labels`, as[who], { ...native.answers[k], duration_ms: 2500 });
          expect(r.status, JSON.stringify(r.body)).toBe(201);
        }
        const first = (await call(t.app, 'GET', `${BASE}/${job}/export`, as.olga)).body;
        expect(first[0].annotations).toHaveLength(2);
        expect(first[0].annotations[0]).toMatchObject({ completed_by: 'a1', lead_time: 2.5, was_cancelled: false });
        for (const x of first[0].annotations.flatMap((a: { result: unknown[] }) => a.result) as Array<{ id: string; from_name: string; to_name: string }>) {
          expect(x).toMatchObject({ id: expect.stringMatching(/^[0-9a-z]{10}$/), from_name: (native.labels as { from_name: string }).from_name, to_name: (native.labels as { to_name: string }).to_name });
        }
        const copy = `copy-${kind}`;
        expect((await call(t.app, 'POST', BASE, as.olga, { name: copy, labels: native.labels, overlap: 2 })).status).toBe(201);
        const imp = await call(t.app, 'POST', `${BASE}/${copy}/import?provider=acme`, as.olga, { tasks: first });
        expect(imp.body).toMatchObject({ accepted: 1, tasks_created: 1, annotations: { accepted: 2, rejected: 0 } });
        const second = (await call(t.app, 'GET', `${BASE}/${copy}/export`, as.olga)).body;
        expect(second).toEqual(first);
        // Resolved the same way in both jobs.
        const [a, b] = await Promise.all([job, copy].map(async (j) => (await call(t.app, 'GET', `${BASE}/${j}/tasks`, as.olga)).body.items[0]));
        expect(b).toMatchObject({ status: 'resolved', resolved_label: a.resolved_label, resolved_value: a.resolved_value, agreement: a.agreement });
      });
    }

    it('rejects an annotation whose spans or boxes do not fit, naming the result item', async () => {
      const bad = [
        {
          id: 901,
          data: { text: 'short' },
          annotations: [annotation(1, 10, [{ id: 'x', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 50, text: 'short', labels: ['PER'] } }])],
        },
      ];
      const r = await call(t.app, 'POST', `${BASE}/ls-text-spans/import`, as.olga, { tasks: bad });
      expect(r.body.items[0].annotations[0]).toMatchObject({ status: 'rejected', field: 'body[0].annotations[0].result[0].value.end', reason: expect.stringMatching(/outside the text/) });
      const box = [
        {
          id: 902,
          data: { image: IMAGE },
          annotations: [annotation(2, 10, [{ id: 'y', from_name: 'label', to_name: 'image', type: 'rectanglelabels', value: { x: 90, y: 0, width: 20, height: 10, rotation: 0, rectanglelabels: ['car'] } }])],
        },
      ];
      const b = await call(t.app, 'POST', `${BASE}/ls-image-boxes/import`, as.olga, { tasks: box });
      expect(b.body.items[0].annotations[0]).toMatchObject({ status: 'rejected', field: 'body[0].annotations[0].result[0].value.width' });
      const label = [{ id: 903, data: { image: IMAGE }, annotations: [annotation(3, 10, [{ ...(box[0].annotations[0].result[0] as Record<string, unknown>), value: { x: 1, y: 1, width: 1, height: 1, rectanglelabels: ['bus'] } }])] }];
      const l = await call(t.app, 'POST', `${BASE}/ls-image-boxes/import`, as.olga, { tasks: label });
      expect(l.body.items[0].annotations[0]).toMatchObject({ status: 'rejected', field: 'body[0].annotations[0].result[0].value.rectanglelabels[0]' });
    });
  });
}
