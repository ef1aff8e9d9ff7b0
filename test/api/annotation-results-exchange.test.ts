// Labelling results as JSON Lines and CSV over the API on every database: a batch exported for a
// contractor, their results imported back matched by task id with provenance (provider,
// annotator ids, time), unknown task ids and misfitting answers rejected with the reason, the
// same results imported twice stored once, and unreadable files refused whole (400 naming the
// line or row and field, nothing written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';
const BASE = '/api/v1/projects/crowd/labelling-jobs';
const TEXT = 'Anna flew to Oslo.';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`results exchange as JSON Lines and CSV (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    const as: Record<string, Headers> = {};
    let tasks: Array<{ id: string; data: Record<string, unknown> }> = [];
    let spanTask = '';

    const upload = async (job: string, body: string, type: string, query = '') => {
      const res = await t.app.inject({ method: 'POST', url: `${BASE}/${job}/results${query}`, headers: { ...as.olga, 'content-type': type }, payload: body });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const labelCount = async (job: string) => (await call(t.app, 'GET', `${BASE}/${job}`, as.olga)).body.counts.labels as number;

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      const admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'crowd' })).status).toBe(201);
      for (const [u, role] of Object.entries({ olga: 'owner', a1: 'annotator', vic: 'viewer' })) {
        await addMember(t.app, admin, 'crowd', u, PASSWORD, role);
        as[u] = await signIn(t.app, u, PASSWORD);
      }
      const items = ['2014-01-01', '2014-01-02', '2014-01-03'].map((date, i) => ({ data: { date, wind: i + 1.5, note: i === 0 ? 'grey, "wet"' : 'ok' } }));
      expect((await call(t.app, 'POST', BASE, as.olga, { name: 'days', labels: ['rain', 'sun'], overlap: 2, items })).status).toBe(201);
      tasks = (await call(t.app, 'GET', `${BASE}/days/tasks`, as.olga)).body.items;
      // One label given in Flywheel, so the export carries a result.
      expect((await call(t.app, 'POST', `${BASE}/days/tasks/${tasks[0].id}/labels`, as.a1, { label: 'rain', duration_ms: 900 })).status).toBe(201);
      const spans = await call(t.app, 'POST', BASE, as.olga, { name: 'ner', kind: 'text-spans', labels: ['PER', 'LOC'], overlap: 2, items: [{ data: { text: TEXT } }] });
      spanTask = spans.body.tasks.items[0].task_id;
    }, 60_000);
    afterAll(() => t?.close());

    it('exports a batch as JSON Lines (one task per line) and CSV (one result per row)', async () => {
      const jsonl = await t.app.inject({ method: 'GET', url: `${BASE}/days/results?format=jsonl`, headers: as.olga });
      expect(jsonl.statusCode).toBe(200);
      expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({ task_id: tasks[0].id, data: tasks[0].data, status: 'open', results: [{ annotator: 'a1', provider: null, label: 'rain', duration_ms: 900 }] });
      expect(lines[1].results).toEqual([]);
      const csv = await t.app.inject({ method: 'GET', url: `${BASE}/days/results?format=csv`, headers: as.olga });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const rows = csv.body.trim().split('\n');
      expect(rows[0]).toBe('task_id,id,annotator,provider,label,created_at,duration_ms,data.date,data.wind,data.note');
      expect(rows[1]).toMatch(new RegExp(`^${tasks[0].id},[0-9a-f-]{36},a1,,rain,\\d{4}-\\d\\d-\\d\\dT[^,]+,900,2014-01-01,1.5,"grey, ""wet"""$`));
      expect(rows[2]).toBe(`${tasks[1].id},,,,,,,2014-01-02,2.5,ok`);
      expect((await call(t.app, 'GET', `${BASE}/days/results?format=csv`, as.vic)).status).toBe(403);
    });

    it('imports a contractor’s JSON Lines by task id with provenance; unknown tasks and misfits are rejected with the reason', async () => {
      const lines = [
        { task_id: tasks[0].id, annotator: 'w1', label: 'rain', id: 'r-1', created_at: '2024-05-01T10:00:00Z', duration_ms: 5200 },
        { task_id: tasks[1].id, annotator: 'w1', label: 'sun', id: 'r-2', created_at: 1714557600000 },
        { task_id: tasks[1].id, annotator: 'w2', label: 'sun', id: 'r-3' },
        { task_id: 'no-such-task', annotator: 'w2', label: 'sun', id: 'r-4' },
        { task_id: tasks[2].id, annotator: 'w2', label: 'hail', id: 'r-5' },
      ];
      const body = lines.map((l) => JSON.stringify(l)).join('\n');
      const r = await upload('days', body, 'application/x-ndjson', '?provider=acme');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ format: 'jsonl', provider: 'acme', received: 5, accepted: 3, skipped: 0, rejected: 2 });
      expect(r.body.items[3]).toMatchObject({ line: 4, task_id: 'no-such-task', status: 'rejected', field: 'task_id', reason: "no task 'no-such-task' in job 'days'" });
      expect(r.body.items[4]).toMatchObject({ line: 5, status: 'rejected', field: 'label', reason: "'hail' is not one of this job's labels: rain, sun" });
      const after = (await call(t.app, 'GET', `${BASE}/days/tasks`, as.olga)).body.items;
      expect(after[0]).toMatchObject({ status: 'resolved', resolved_label: 'rain', label_count: 2 });
      expect(after[1]).toMatchObject({ status: 'resolved', resolved_label: 'sun' });
      const w1 = after[0].labels.find((l: { annotator: string }) => l.annotator.startsWith('acme/w1~'));
      expect(w1).toMatchObject({ label: 'rain', created_at: Date.parse('2024-05-01T10:00:00Z'), duration_ms: 5200 });
      // The export names the provider's annotator and result ids.
      const out = (await t.app.inject({ method: 'GET', url: `${BASE}/days/results?format=jsonl`, headers: as.olga })).body.trim().split('\n').map((l) => JSON.parse(l));
      expect(out[1].results).toEqual([
        { id: 'r-2', annotator: 'w1', provider: 'acme', label: 'sun', created_at: '2024-05-01T10:00:00.000Z', duration_ms: null },
        { id: 'r-3', annotator: 'w2', provider: 'acme', label: 'sun', created_at: expect.any(String), duration_ms: null },
      ]);
    });

    it('stores nothing twice: the same results again are skipped, and so is the whole export re-imported', async () => {
      const before = await labelCount('days');
      const lines = [
        { task_id: tasks[0].id, annotator: 'w1', label: 'rain', id: 'r-1' },
        { task_id: tasks[1].id, annotator: 'w1', label: 'sun' }, // no id: same annotator, same answer
      ];
      const r = await upload('days', lines.map((l) => JSON.stringify(l)).join('\n'), 'application/x-ndjson', '?provider=acme');
      expect(r.body).toMatchObject({ accepted: 0, skipped: 2, rejected: 0 });
      expect(r.body.items[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/already recorded/) });
      const exported = (await t.app.inject({ method: 'GET', url: `${BASE}/days/results?format=jsonl`, headers: as.olga })).body;
      const back = await upload('days', exported, 'application/x-ndjson');
      expect(back.body).toMatchObject({ received: 4, accepted: 0, skipped: 4, rejected: 0 });
      expect(await labelCount('days')).toBe(before);
    });

    it('imports CSV results (spans as JSON cells), skipping unlabelled rows', async () => {
      const spans = JSON.stringify([{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }]);
      const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
      const csv = [
        'task_id,annotator,spans,created_at,data.text',
        `${spanTask},w1,${q(spans)},2024-05-02T08:00:00Z,${q(TEXT)}`,
        `${spanTask},w2,${q(JSON.stringify([{ start: 13, end: 17, text: 'Oslo', labels: ['LOC'] }]))},,x`,
        `${spanTask},,,,x`,
        `${spanTask},w3,${q(JSON.stringify([{ start: 13, end: 30, text: 'Oslo.', labels: ['LOC'] }]))},,x`,
      ].join('\r\n');
      const r = await upload('ner', csv, 'text/csv', '?format=csv&provider=ling-co');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ format: 'csv', received: 3, accepted: 2, rejected: 1 });
      expect(r.body.items[2]).toMatchObject({ row: 4, line: 5, status: 'rejected', field: 'spans[0].end' });
      const task = (await call(t.app, 'GET', `${BASE}/ner/tasks`, as.olga)).body.items[0];
      expect(task).toMatchObject({ status: 'resolved', resolved_value: { type: 'labels', spans: [] }, tie: true, agreement: 0 });
      const out = await t.app.inject({ method: 'GET', url: `${BASE}/ner/results?format=csv`, headers: as.olga });
      expect(out.body.split('\n')[0]).toBe('task_id,id,annotator,provider,spans,created_at,duration_ms,data.text');
      const again = await upload('ner', out.body, 'text/csv', '?format=csv');
      expect(again.body).toMatchObject({ received: 2, accepted: 0, skipped: 2 });
    });

    it('refuses an unreadable file whole with a 400 naming the line or row and field, writing nothing', async () => {
      const before = await labelCount('days');
      const good = JSON.stringify({ task_id: tasks[2].id, annotator: 'w9', label: 'sun' });
      const cases: Array<[string, string, string, RegExp, Record<string, unknown>]> = [
        ['jsonl', `${good}\n{"task_id": "x", `, 'application/x-ndjson', /^line 2: not valid JSON/, { line: 2 }],
        ['jsonl', `${good}\n{"task_id": "${tasks[2].id}", "label": "sun"}`, 'application/x-ndjson', /^line 2: annotator is missing/, { field: 'annotator', line: 2 }],
        ['jsonl', `${good}\n{"task_id": "${tasks[2].id}", "annotator": "w8"}`, 'application/x-ndjson', /^line 2: label is missing: this job's results give their answer in 'label'/, { field: 'label' }],
        ['jsonl', `${good}\n[1, 2]`, 'application/x-ndjson', /^line 2: must be a JSON object/, { line: 2 }],
        ['jsonl', `${good}\n{"task_id": "${tasks[2].id}", "annotator": "w8", "label": "sun", "created_at": "yesterday"}`, 'application/x-ndjson', /^line 2: created_at must be/, { field: 'created_at' }],
        ['jsonl', `{"task_id": "${tasks[2].id}", "results": [{"annotator": "w8", "label": "sun"}, {"label": "sun"}]}`, 'application/x-ndjson', /^line 1, results\[1\]: annotator is missing/, { field: 'annotator', result: 1 }],
        ['csv', `task_id,annotator\n${tasks[2].id},w8\n`, 'text/csv', /^line 1: the header has no 'label' column/, { field: 'label' }],
        ['csv', `task_id,annotator,label\n${tasks[2].id},w8,sun\n${tasks[2].id},w9\n`, 'text/csv', /^row 2 \(line 3\) has 2 fields but the header names 3 columns/, { row: 2, line: 3 }],
        ['csv', `task_id,annotator,label\n${tasks[2].id},w8,sun\n,w9,sun\n`, 'text/csv', /^row 2 \(line 3\): task_id is missing/, { field: 'task_id', row: 2 }],
        ['csv', `task_id,annotator,label\n${tasks[2].id},"w8,sun\n`, 'text/csv', /^line 2: a quoted field is never closed/, { line: 2 }],
        ['jsonl', '', 'application/x-ndjson', /^the body is empty/, { field: 'body' }],
      ];
      for (const [format, body, type, message, details] of cases) {
        const r = await upload('days', body, type, `?format=${format}`);
        expect(r.status, `${format} ${body}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.message).toMatch(message);
        expect(r.body.error.details).toMatchObject(details);
      }
      const spansBad = await upload('ner', `task_id,annotator,spans\n${spanTask},w5,[{oops\n`, 'text/csv', '?format=csv');
      expect(spansBad.status).toBe(400);
      expect(spansBad.body.error).toMatchObject({ message: 'row 1 (line 2): spans is not valid JSON', details: { field: 'spans', row: 1, line: 2 } });
      expect(await labelCount('days')).toBe(before);
      expect((await upload('days', good, 'application/x-ndjson', '?provider=no%20spaces')).status).toBe(400);
    });
  });
}
