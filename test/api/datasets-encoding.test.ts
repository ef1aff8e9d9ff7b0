// Ingest over HTTP of text that is not plain UTF-8: a Latin-1 file is refused unless declared
// (then converted), and a record over the size limit is quarantined while the rest is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`ingest encodings and record limits (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/cities/datasets';

    async function ingest(dataset: string, body: Buffer | string, query = '') {
      const res = await t.app.inject({ method: 'POST', url: `${base}/${dataset}/versions${query}`, headers: { ...admin, 'content-type': 'text/csv' }, payload: body });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'cities' })).status).toBe(201);
      for (const name of ['latin', 'long']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
    }, 60_000);
    afterAll(() => t?.close());

    it('refuses Latin-1 text unless it is declared, then converts it', async () => {
      const latin1 = Buffer.from('city,temp\nZürich,4.5\nSão Paulo,25\n', 'latin1');
      const refused = await ingest('latin', latin1);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/not UTF-8/);
      expect((await call(t.app, 'GET', `${base}/latin`, admin)).body.latest_version).toBe(0);
      const bad = await ingest('latin', latin1, '?encoding=cp1252');
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toMatch(/encoding/);
      const ok = await ingest('latin', latin1, '?encoding=latin-1');
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.source.bytes).toBe(latin1.length);
      const city = ok.body.profile.find((p: any) => p.name === 'city');
      expect(city.top.map((x: any) => x.value).sort()).toEqual(['São Paulo', 'Zürich']);
    });

    it('quarantines a record longer than 1 MiB with its line and keeps the others', async () => {
      const res = await ingest('long', `id,text\n1,short\n2,${'x'.repeat(1_100_000)}\n3,short too\n`);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
      expect(res.body.report).toEqual({ rows_read: 3, accepted: 2, quarantined: 1, by_rule: { 'parse.record_too_long': 1 } });
      const q = await call(t.app, 'GET', `${base}/long/versions/1/quarantine`, admin);
      expect(q.body.items).toMatchObject([{ line: 3, rule: 'parse.record_too_long', reason: 'the record is longer than 1048576 bytes (the configured limit for one record)' }]);
    });
  });
}
