// Push ingest's hot path over HTTP on both databases: a body read from its text stores what the
// same rows parsed store (the same files, reports and quarantine), request-level problems answer
// as before, the staging area's kept counts match its batches through retries, concurrent pushes
// of one key and commits, and cached access and bindings follow changes at once (a revoked token,
// a removed member, a declared-schema edit, a new version).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPushBody } from '../../src/services/datasets/push-body.js';
import { databaseTargets } from '../support/databases.js';
import { addMember, bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`push ingest's hot path (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/hot/datasets';

    /** POST a body as text (exactly these bytes). */
    async function pushText(dataset: string, body: string, key: string, headers: Headers = admin) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base}/${dataset}/rows`,
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
        payload: body,
      });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }
    const push = (dataset: string, rows: unknown[], key: string, headers: Headers = admin) => pushText(dataset, JSON.stringify({ rows }), key, headers);
    const staging = async (dataset: string) => (await call(t.app, 'GET', `${base}/${dataset}/staging`, admin)).body;
    const commit = (dataset: string) => call(t.app, 'POST', `${base}/${dataset}/commit`, admin);
    /** The staging area's size summed over its staged batches (what the kept counts must equal). */
    async function summed(dataset: string) {
      const project = await t.platform.store.projects.getByName('hot');
      const d = await t.platform.store.datasets.getByName(project!.id, dataset);
      const batches = await t.platform.store.stagedBatches.listStaged(d!.id);
      return { staged_rows: batches.reduce((n, b) => n + b.file.rows, 0), staged_batches: batches.length };
    }

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'hot' })).status).toBe(201);
      for (const name of ['scanned', 'parsed', 'errors', 'counts', 'access', 'bind']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
    }, 60_000);
    afterAll(() => t?.close());

    it('stores from a body read from its text exactly what the same rows parsed store', async () => {
      // As Python's json.dumps writes them: spaces, 1.0 for integral floats, \u escapes, nested values.
      const first =
        '{"rows": [{"id": 1, "x": 1.0, "n": 1e3, "s": "caf\\u00e9", "o": {"k": 2.0}}, {"id": 2, "x": 2.5, "n": 7, "s": "plain\\n", "o": null},\n' +
        ' {"id": 3, "x": 0.30000000000000004, "n": -0, "s": "", "o": [1.50, "a"]}]}';
      const second = '{"rows": [{"id": 4, "x": 4.0, "n": 12, "s": "x", "o": null}, {"id": "five", "x": 5.25, "n": 1, "s": "y", "o": null}]}';
      // A member beside `rows` makes the body go the parsed way (the schema ignores it).
      const parsedBody = (text: string) => JSON.stringify({ ...JSON.parse(text), note: 'parsed' });
      for (const text of [first, second]) {
        expect(scanPushBody(text, 10_000)).toBeDefined();
        expect(scanPushBody(parsedBody(text), 10_000)).toBeUndefined();
      }
      const reports = [];
      for (const [k, text] of [first, second].entries()) {
        const scanned = await pushText('scanned', text, `b-${k}`);
        const parsed = await pushText('parsed', parsedBody(text), `b-${k}`);
        expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
        expect(parsed.status, JSON.stringify(parsed.body)).toBe(200);
        const { batch_id: _a, ...mine } = scanned.body;
        const { batch_id: _b, ...theirs } = parsed.body;
        expect(mine).toEqual(theirs);
        reports.push(mine);
      }
      expect(reports[1]).toMatchObject({ accepted: 1, quarantined: 1, quarantined_rows: [{ index: 1, rule: expect.stringMatching(/^id\./) }] });
      const [a, b] = [await commit('scanned'), await commit('parsed')];
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect(a.body.schema).toEqual(b.body.schema);
      expect(a.body.report).toEqual(b.body.report);
      expect(a.body.files.map((f: { sha256: string }) => f.sha256)).toEqual(b.body.files.map((f: { sha256: string }) => f.sha256));
      expect(a.body.schema.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
        ['id', 'integer'],
        ['x', 'double'],
        ['n', 'integer'],
        ['s', 'string'],
        ['o', 'string'],
      ]);
      // A retry of the same bytes is the same batch.
      expect((await pushText('scanned', second, 'b-1')).body).toMatchObject({ replayed: true, accepted: 1, quarantined: 1 });
    });

    it('answers request-level problems as before, naming them, and stores nothing', async () => {
      const cases: Array<[string, RegExp]> = [
        ['{"rows": [', /JSON/],
        ['', /empty/],
        ['{"rows": []}', /rows/],
        ['{"rows": [1, 2]}', /body\.rows\[0\] is not a JSON object/],
        ['{"rows": {"a": 1}}', /rows/],
        ['{"rows": [{"__proto__": {"x": 1}}]}', /./],
      ];
      for (const [body, message] of cases) {
        const r = await pushText('errors', body, `e-${body.length}`);
        expect(r.status, body).toBe(400);
        expect(JSON.stringify(r.body.error), body).toMatch(message);
      }
      const unknown = await pushText('errors', '{"rows": [{"a": 1}]}', 'e-first');
      expect(unknown.status).toBe(200);
      const extra = await pushText('errors', '{"rows": [{"a": 2, "b": 1}]}', 'e-extra');
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toMatch(/\bb\b/);
      // A key twice in a row: the last value counts, as JSON.parse reads it.
      const twice = await pushText('errors', '{"rows": [{"a": 7, "a": 3}]}', 'e-twice');
      expect(twice.body).toMatchObject({ accepted: 1, staged_rows: 2 });
      expect(await staging('errors')).toMatchObject({ staged_rows: 2, staged_batches: 2 });
      const v = await commit('errors');
      const a = await t.platform.services.datasets.readColumns(v.body, ['a']);
      expect(Array.from(a.columns.a as Float64Array)).toEqual([1, 3]);
    });

    it('keeps the staging counts equal to the staged batches through retries, concurrent pushes of one key and commits', async () => {
      const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, v: `r${from + i}` }));
      expect((await push('counts', rows(2, 1), 'c-0')).status).toBe(200); // the first batch settles the schema
      // Distinct keys and retries of one key, all at once.
      const answers = await Promise.all([
        push('counts', rows(3, 10), 'c-1'),
        push('counts', rows(4, 20), 'c-2'),
        ...[1, 2, 3].map(() => push('counts', rows(5, 30), 'c-same')),
        push('counts', rows(6, 40), 'c-3'),
      ]);
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      const same = answers.slice(2, 5);
      expect(new Set(same.map((a) => a.body.batch_id)).size).toBe(1);
      expect(same.filter((a) => !a.body.replayed)).toHaveLength(1);
      // Each stored batch saw the staged rows with it: all different, the last one the total.
      const stored = answers.filter((a) => !a.body.replayed).map((a) => a.body.staged_rows);
      expect(new Set(stored).size).toBe(4);
      expect(Math.max(...stored)).toBe(2 + 3 + 4 + 5 + 6);
      expect(await staging('counts')).toMatchObject({ staged_rows: 20, staged_batches: 5 });
      expect(await summed('counts')).toEqual({ staged_rows: 20, staged_batches: 5 });
      // A retry stores nothing and counts nothing; the same key with other rows neither.
      expect((await push('counts', rows(3, 10), 'c-1')).body).toMatchObject({ replayed: true });
      expect((await push('counts', rows(1, 99), 'c-1')).status).toBe(409);
      expect(await staging('counts')).toMatchObject({ staged_rows: 20, staged_batches: 5 });
      const v = await commit('counts');
      expect(v.body).toMatchObject({ version: 1, report: { accepted: 20 } });
      expect(await staging('counts')).toMatchObject({ staged_rows: 0, staged_batches: 0 });
      expect((await push('counts', rows(3, 10), 'c-1')).body).toMatchObject({ replayed: true, committed_version_id: v.body.id });
      expect((await push('counts', rows(7, 50), 'c-4')).body).toMatchObject({ staged_rows: 7, replayed: false });
      expect(await staging('counts')).toMatchObject({ staged_rows: 7, staged_batches: 1 });
      expect(await summed('counts')).toEqual({ staged_rows: 7, staged_batches: 1 });
      // The automatic commit takes what is staged, and the counts follow.
      expect((await call(t.app, 'PUT', `${base}/counts/staging`, admin, { commit_at_rows: 10 })).body).toMatchObject({ commit_at_rows: 10, staged_rows: 7 });
      expect((await push('counts', rows(3, 60), 'c-5')).body).toMatchObject({ staged_rows: 10, committed_version_id: expect.any(String) });
      expect(await staging('counts')).toMatchObject({ commit_at_rows: 10, staged_rows: 0, staged_batches: 0 });
      // No batch left a scratch folder behind (only the warm workspaces' own folders are there).
      expect(readdirSync(join(t.home, 'tmp', 'push')).filter((f) => !f.startsWith('push-ws-'))).toEqual([]);
    });

    it('refuses the next push at once when the token is revoked or the member removed', async () => {
      await addMember(t.app, admin, 'hot', 'pusher', 'pusher-password-1', 'data-scientist');
      const pusher = await signIn(t.app, 'pusher', 'pusher-password-1');
      const tok = await call(t.app, 'POST', '/api/v1/tokens', pusher, { name: 'pushing', role: 'data-scientist', project: 'hot' });
      expect(tok.status, JSON.stringify(tok.body)).toBe(201);
      const as = bearer(tok.body.secret);
      expect((await push('access', [{ a: 1 }], 'a-1', as)).status).toBe(200);
      expect((await push('access', [{ a: 2 }], 'a-2', as)).status).toBe(200); // through the cache now
      expect((await call(t.app, 'DELETE', `/api/v1/tokens/${tok.body.token.id}`, pusher)).status).toBeLessThan(300);
      expect((await push('access', [{ a: 3 }], 'a-3', as)).status).toBe(401);

      const again = await call(t.app, 'POST', '/api/v1/tokens', pusher, { name: 'pushing-2', role: 'data-scientist', project: 'hot' });
      const as2 = bearer(again.body.secret);
      expect((await push('access', [{ a: 4 }], 'a-4', as2)).status).toBe(200);
      expect((await call(t.app, 'DELETE', '/api/v1/projects/hot/members/pusher', admin)).status).toBeLessThan(300);
      expect([403, 404]).toContain((await push('access', [{ a: 5 }], 'a-5', as2)).status);
      expect(await staging('access')).toMatchObject({ staged_rows: 3, staged_batches: 3 });
    });

    it('binds pushes to the newest version and the declared schema as soon as they change', async () => {
      expect((await push('bind', [{ a: 1, b: 'x' }], 'k-1')).status).toBe(200);
      expect((await commit('bind')).status).toBe(201); // version 1: a integer, b string
      expect((await push('bind', [{ a: 2.5, b: 'y' }], 'k-2')).body).toMatchObject({ accepted: 0, quarantined: 1 });
      expect((await push('bind', [{ a: 3, b: null }], 'k-3')).body).toMatchObject({ accepted: 1, quarantined: 0 });
      // Declared: b may not be empty, a a double. The next push follows the nullability at once
      // (the type applies from the next version, as for every append).
      const declared = await call(t.app, 'PUT', `${base}/bind/schema`, admin, { columns: [{ name: 'b', nullable: false }, { name: 'a', type: 'double' }] });
      expect(declared.status, JSON.stringify(declared.body)).toBe(200);
      expect((await push('bind', [{ a: 4, b: null }], 'k-4')).body).toMatchObject({
        accepted: 0,
        quarantined: 1,
        quarantined_rows: [{ index: 0, rule: 'b.not_null' }],
      });
      expect((await push('bind', [{ a: 2.5, b: 'y' }], 'k-5')).body).toMatchObject({ accepted: 0, quarantined: 1 });
      // A new version, whose a is a double: pushes bind to it at once.
      const csv = await t.app.inject({ method: 'POST', url: `${base}/bind/versions`, headers: { ...admin, 'content-type': 'text/csv' }, payload: 'a,b\n1.5,x\n' });
      expect(csv.statusCode, csv.body).toBe(201);
      expect((await push('bind', [{ a: 2.5, b: 'y' }], 'k-6')).body).toMatchObject({ accepted: 1, quarantined: 0 });
      expect((await push('bind', [{ a: 2.5, b: null }], 'k-7')).body).toMatchObject({ accepted: 0, quarantined: 1 });
    });
  });
}
