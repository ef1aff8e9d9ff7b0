// The declared schema over HTTP on both databases: seeded from the first ingest's inferred schema
// with candidate keys; semantic types, nullability, a type and a key edited; the next ingest
// follows it (rows that do not fit the new type or are empty where not nullable are quarantined)
// while the versions made before stay as they were; the diff uses the declared key; bad edits
// answer 400 naming the field and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const V1 = ['id,reading,kind,photo', '1,1.5,a,http://x/1.png', '2,2.5,b,http://x/2.png', '3,3.5,a,http://x/3.png', '4,,b,http://x/4.png'].join('\n');
const V2 = ['id,reading,kind,photo', '1,1,a,http://x/1.png', '2,2,b,http://x/2.png', '3,3.5,a,http://x/3.png', '5,,b,http://x/5.png', '6,6,c,http://x/6.png'].join('\n');

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`declared dataset schema (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/schemas/datasets';
    const schemaOf = (dataset = 'sensors') => call(t.app, 'GET', `${base}/${dataset}/schema`, admin);
    const put = (body: unknown, dataset = 'sensors') => call(t.app, 'PUT', `${base}/${dataset}/schema`, admin, body);
    async function ingest(text: string) {
      const res = await t.app.inject({ method: 'POST', url: `${base}/sensors/versions`, headers: { ...admin, 'content-type': 'text/csv' }, payload: text });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'schemas' })).status).toBe(201);
      for (const name of ['sensors', 'empty']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
      expect((await ingest(V1)).status).toBe(201);
    }, 60_000);
    afterAll(() => t?.close());

    it('seeds the schema from the first ingest, with candidate keys', async () => {
      const s = await schemaOf();
      expect(s.status).toBe(200);
      expect(s.body).toMatchObject({
        dataset: 'sensors',
        declared: false,
        based_on_version: 1,
        key: null,
        candidate_keys: [['id'], ['photo']],
        pending_type_changes: [],
        updated_by: null,
      });
      expect(s.body.columns).toEqual([
        { name: 'id', type: 'integer', nullable: true, semantic: 'id' },
        { name: 'reading', type: 'double', nullable: true, semantic: 'numeric' },
        { name: 'kind', type: 'string', nullable: true, semantic: 'categorical' },
        { name: 'photo', type: 'string', nullable: true, semantic: 'categorical' },
      ]);
      expect(s.body.note).toMatch(/Existing versions are immutable/);
      const none = await put({ columns: [{ name: 'x', semantic: 'label' }] }, 'empty');
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(/has no version yet/);
    });

    it('answers 400 naming the field for bad edits, and changes nothing', async () => {
      const cases: Array<[unknown, string]> = [
        [{ columns: [{ name: 'nope', semantic: 'label' }] }, 'body.columns.0.name'],
        [{ columns: [{ name: 'kind', semantic: 'colour' }] }, 'body.columns.0.semantic'],
        [{ columns: [{ name: 'kind', type: 'decimal' }] }, 'body.columns.0.type'],
        [{ columns: [{ name: 'kind' }, { name: 'kind', nullable: false }] }, 'body.columns.1.name'],
        [{ key: [] }, 'body.key'],
        [{ key: ['id', 'nope'] }, 'body.key.1'],
      ];
      for (const [body, field] of cases) {
        const r = await put(body);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.details.field).toBe(field);
      }
      expect((await schemaOf()).body.declared).toBe(false);
    });

    it('saves semantic types, nullability, a type and a key; the versions already made stay as they were', async () => {
      const r = await put({
        columns: [
          { name: 'kind', semantic: 'label' },
          { name: 'photo', semantic: 'image_url' },
          { name: 'reading', type: 'integer', nullable: false },
        ],
        key: ['id'],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ declared: true, key: ['id'], pending_type_changes: [{ column: 'reading', from: 'double', to: 'integer' }], updated_at: expect.any(Number) });
      expect(r.body.columns.find((c: { name: string }) => c.name === 'reading')).toEqual({ name: 'reading', type: 'integer', nullable: false, semantic: 'numeric' });
      // A second edit keeps the first one's columns and key.
      const again = await put({ columns: [{ name: 'id', nullable: false }] });
      expect(again.body).toMatchObject({ key: ['id'], columns: expect.arrayContaining([{ name: 'kind', type: 'string', nullable: true, semantic: 'label' }]) });
      expect((await schemaOf()).body).toEqual(again.body);
      const v1 = (await call(t.app, 'GET', `${base}/sensors/versions/1`, admin)).body;
      expect(v1.schema.find((c: { name: string }) => c.name === 'reading')).toMatchObject({ type: 'double', nullable: true });
      const audit = await call(t.app, 'GET', '/api/v1/projects/schemas/audit', admin);
      const events = audit.body.items.filter((e: { action: string }) => e.action === 'dataset.schema.update');
      // Two saves; of the edits refused above, the four the service checked are audited as failed
      // (an unknown type or semantic is refused by the request schema before the service runs).
      expect(events.filter((e: { outcome: string }) => e.outcome === 'success')).toHaveLength(2);
      expect(events.filter((e: { outcome: string }) => e.outcome === 'failed')).toHaveLength(4);
    });

    it('binds the next ingest: rows that do not fit the new type or are empty are quarantined; the diff uses the declared key', async () => {
      const v2 = await ingest(V2);
      expect(v2.status, JSON.stringify(v2.body)).toBe(201);
      expect(v2.body.report).toEqual({ rows_read: 5, accepted: 3, quarantined: 2, by_rule: { 'reading.type': 1, 'reading.not_null': 1 } });
      expect(v2.body.schema).toEqual([
        { name: 'id', type: 'integer', nullable: false, semantic: 'id' },
        { name: 'reading', type: 'integer', nullable: false, semantic: 'numeric' },
        { name: 'kind', type: 'string', nullable: true, semantic: 'label' },
        { name: 'photo', type: 'string', nullable: true, semantic: 'image_url' },
      ]);
      expect(v2.body.profile.find((p: { name: string }) => p.name === 'kind').semantic).toBe('label');
      expect(v2.body.rules).toEqual({ columns: { id: { not_null: true }, reading: { not_null: true } } });
      const q = await call(t.app, 'GET', `${base}/sensors/versions/2/quarantine`, admin);
      expect(q.body.items.map((r: { line: number; rule: string }) => [r.line, r.rule])).toEqual([
        [4, 'reading.type'],
        [5, 'reading.not_null'],
      ]);
      expect((await schemaOf()).body).toMatchObject({ based_on_version: 2, pending_type_changes: [] });

      const diff = await call(t.app, 'GET', `${base}/sensors/diff?from=1&to=2`, admin);
      expect(diff.status, JSON.stringify(diff.body)).toBe(200);
      expect(diff.body).toMatchObject({ key: ['id'], key_source: 'declared', schema_changes: [{ column: 'reading', change: 'retyped', from_type: 'double', to_type: 'integer' }] });
      expect(diff.body.rows).toMatchObject({ from: 4, to: 3, added: 1, removed: 2 });
      const cleared = await put({ key: null });
      expect(cleared.body.key).toBeNull();
      expect((await call(t.app, 'GET', `${base}/sensors/diff?from=1&to=2`, admin)).body.key_source).not.toBe('declared');
    });

    it('binds pushed rows too: the declared nullability quarantines empty values, and the commit keeps the declared meanings', async () => {
      expect((await put({ columns: [{ name: 'kind', nullable: false, semantic: 'categorical' }] })).status).toBe(200);
      const rows = [
        { id: 7, reading: 7, kind: null, photo: 'http://x/7.png' },
        { id: 8, reading: 8, kind: 'a', photo: 'http://x/8.png' },
      ];
      const res = await t.app.inject({ method: 'POST', url: `${base}/sensors/rows`, headers: { ...admin, 'idempotency-key': 'declared-1' }, payload: { rows } });
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ accepted: 1, quarantined: 1, by_rule: { 'kind.not_null': 1 }, quarantined_rows: [{ index: 0, rule: 'kind.not_null' }] });
      const v3 = await call(t.app, 'POST', `${base}/sensors/commit`, admin);
      expect(v3.status, JSON.stringify(v3.body)).toBe(201);
      expect(v3.body.schema.find((c: { name: string }) => c.name === 'kind')).toEqual({ name: 'kind', type: 'string', nullable: false, semantic: 'categorical' });
      expect(v3.body.report).toMatchObject({ rows_read: 2, accepted: 1, quarantined: 1 });
    });
  });
}
