// Bad input on every kind of endpoint answers with the error wire format and the right status,
// and a failed operation writes nothing (one transaction per operation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore, Repositories } from '../../src/domain/ports/metadata-store.js';
import { databaseTargets } from '../support/databases.js';
import { bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

function expectWire(body: any, code: string) {
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`bad input over HTTP (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' });
      await call(t.app, 'POST', '/api/v1/users', admin, { username: 'vera', password: 'vera-password-123' });
      await call(t.app, 'PUT', '/api/v1/projects/weather/members/vera', admin, { role: 'viewer' });
    }, 60_000);
    afterAll(() => t?.close());

    it('404 for unknown ids and names, with what was not found', async () => {
      const p = await call(t.app, 'GET', '/api/v1/projects/nope', admin);
      expect(p.status).toBe(404);
      expect(p.body.error).toMatchObject({ code: 'not_found', details: { what: 'project', id: 'nope' } });
      const m = await call(t.app, 'PUT', '/api/v1/projects/weather/members/ghost', admin, { role: 'viewer' });
      expect(m.status).toBe(404);
      expect(m.body.error.message).toBe("user 'ghost' was not found");
      const j = await call(t.app, 'GET', '/api/v1/projects/weather/jobs/01a22177-0000-7000-8000-000000000000', admin);
      expect(j.status).toBe(404);
      const r = await call(t.app, 'GET', '/api/v1/no-such-route', admin);
      expect(r.status).toBe(404);
      expectWire(r.body, 'not_found');
    });

    it('401 for missing, malformed, wrong, revoked and expired credentials', async () => {
      const none = await call(t.app, 'GET', '/api/v1/projects');
      expect(none.status).toBe(401);
      expectWire(none.body, 'unauthenticated');
      const malformed = await call(t.app, 'GET', '/api/v1/projects', { authorization: 'Token abc' });
      expect(malformed.status).toBe(401);
      expect(malformed.body.error.message).toContain('Bearer');
      const wrong = await call(t.app, 'GET', '/api/v1/projects', bearer('fwt_wrong'));
      expect(wrong.status).toBe(401);
      const created = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'short', role: 'viewer' });
      const secret = created.body.secret as string;
      expect((await call(t.app, 'GET', '/api/v1/projects', bearer(secret))).status).toBe(200);
      await call(t.app, 'DELETE', `/api/v1/tokens/${created.body.token.id}`, admin);
      const revoked = await call(t.app, 'GET', '/api/v1/projects', bearer(secret));
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.message).toBe('the API token was revoked');
      const expiring = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'exp', role: 'viewer', expires_in_days: 1 });
      const tok = await t.platform.store.tokens.getById(expiring.body.token.id);
      // Move the expiry into the past directly in the database.
      await t.platform.store.db.updateTable('api_tokens').set({ expires_at: Date.now() - 1 }).where('id', '=', tok!.id).execute();
      const expired = await call(t.app, 'GET', '/api/v1/projects', bearer(expiring.body.secret));
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toBe('the API token has expired');
    });

    it('401 for an expired session, and the session is gone afterwards', async () => {
      const h = await signIn(t.app, 'vera', 'vera-password-123');
      expect((await call(t.app, 'GET', '/api/v1/auth/me', h)).status).toBe(200);
      await t.platform.store.db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).execute();
      const r = await call(t.app, 'GET', '/api/v1/auth/me', h);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'unauthenticated', details: { reason: 'session_expired' } });
      expect((await call(t.app, 'GET', '/api/v1/auth/me', h)).body.error.message).toContain('not valid');
      admin = await signIn(t.app, t.admin.username, t.admin.password);
    });

    it('401 for a wrong password, audited as denied', async () => {
      const r = await call(t.app, 'POST', '/api/v1/auth/login', {}, { username: 'vera', password: 'nope-nope-nope' });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe('wrong username or password');
      const audit = await call(t.app, 'GET', '/api/v1/audit?limit=5', admin);
      expect(audit.body.items[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', actor_name: 'system' });
    });

    it('403 for a role without the right, and for a mutation without the CSRF header', async () => {
      const vera = await signIn(t.app, 'vera', 'vera-password-123');
      const r = await call(t.app, 'PATCH', '/api/v1/projects/weather', vera, { description: 'mine now' });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toBe("role 'viewer' may not project.update in project 'weather'");
      const noCsrf = await call(t.app, 'PATCH', '/api/v1/projects/weather', { cookie: admin.cookie }, { description: 'x' });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.error.details).toEqual({ reason: 'csrf' });
      const audit = await call(t.app, 'GET', '/api/v1/projects/weather/audit', admin);
      expect(audit.body.items.some((e: any) => e.outcome === 'denied' && e.action === 'projects.update')).toBe(true);
    });

    it('409 for duplicate names, and for removing the last owner', async () => {
      const dup = await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'weather' });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', message: "a project named 'weather' already exists" });
      const dupUser = await call(t.app, 'POST', '/api/v1/users', admin, { username: 'vera' });
      expect(dupUser.status).toBe(409);
      const last = await call(t.app, 'DELETE', `/api/v1/projects/weather/members/${t.admin.username}`, admin);
      expect(last.status).toBe(409);
      expect(last.body.error.message).toContain('last owner');
    });

    it('400 naming the field for invalid bodies, queries and JSON', async () => {
      const name = await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'Has Spaces' });
      expect(name.status).toBe(400);
      expect(name.body.error.details.field).toBe('body.name');
      const missing = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.field).toBe('body.role');
      const role = await call(t.app, 'PUT', '/api/v1/projects/weather/members/vera', admin, { role: 'emperor' });
      expect(role.body.error.details.field).toBe('body.role');
      const limit = await call(t.app, 'GET', '/api/v1/projects?limit=5000', admin);
      expect(limit.status).toBe(400);
      expect(limit.body.error.details.field).toBe('query.limit');
      const cursor = await call(t.app, 'GET', '/api/v1/projects?cursor=garbage', admin);
      expect(cursor.status).toBe(400);
      expect(cursor.body.error.details.field).toBe('cursor');
      const json = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"name": ' });
      expect(json.statusCode).toBe(400);
      expect(JSON.parse(json.body).error.message).toContain('not valid JSON');
      const shortPassword = await call(t.app, 'POST', '/api/v1/users', admin, { username: 'shorty', password: 'short' });
      expect(shortPassword.body.error.message).toContain('body.password: must be at least 12 characters');
    });

    it('413 for an oversized body', async () => {
      const big = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/projects/weather/secrets/big',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: JSON.stringify({ value: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(big.statusCode).toBe(413);
      expectWire(JSON.parse(big.body), 'payload_too_large');
    });

    it('pages every list with a cursor: no item twice, none missing', async () => {
      for (let i = 0; i < 7; i++) await call(t.app, 'POST', '/api/v1/projects', admin, { name: `paged-${i}` });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await call(t.app, 'GET', `/api/v1/projects?limit=3${cursor ? `&cursor=${cursor}` : ''}`, admin);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...r.body.items.map((p: { name: string }) => p.name));
        cursor = r.body.next_cursor;
        pages++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((n) => n.startsWith('paged-')).sort()).toEqual(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4', 'paged-5', 'paged-6']);
      expect(pages).toBe(Math.ceil(seen.length / 3));
    });

    it('writes nothing when an operation fails midway (failure injected in its transaction)', async () => {
      const store = t.platform.store as MetadataStore;
      const original = store.transaction.bind(store);
      let injected = false;
      // Let the project and the membership be written, then fail when the audit event is appended.
      (store as { transaction: MetadataStore['transaction'] }).transaction = (fn) =>
        original((tx) =>
          fn({
            ...tx,
            audit: {
              ...tx.audit,
              append: async (e, h) => {
                if (e.action === 'project.create' && !injected) {
                  injected = true;
                  throw new Error('disk full (injected)');
                }
                return tx.audit.append(e, h);
              },
            },
          } as Repositories),
        );
      try {
        const r = await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'half-written' });
        expect(r.status).toBe(500);
        expect(r.body.error).toEqual({ code: 'internal', message: 'an unexpected error happened; it has been logged' });
      } finally {
        (store as { transaction: MetadataStore['transaction'] }).transaction = original;
      }
      expect(await store.projects.getByName('half-written')).toBeUndefined();
      const again = await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'half-written' });
      expect(again.status).toBe(201);
      const audit = await call(t.app, 'GET', '/api/v1/audit?limit=10', admin);
      const failed = audit.body.items.find((e: any) => e.action === 'project.create' && e.outcome === 'failed');
      expect(failed).toMatchObject({ details: { name: 'half-written', error: 'internal' } });
      expect((await call(t.app, 'POST', '/api/v1/audit/verify', admin)).body.ok).toBe(true);
    });
  });
}
