// The API surface: health, OpenAPI and its docs, /metrics, sign-in flow, visibility and token scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../src/contracts/index.js';
import { bearer, call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

describe('API surface', () => {
  let t: TestApp;
  let admin: Headers;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, t.admin.username, t.admin.password);
  });
  afterAll(() => t?.close());

  it('reports health of the store, artifacts and job queue without credentials', async () => {
    const r = await call(t.app, 'GET', '/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'ok',
      checks: { metadata: { ok: true, detail: 'sqlite' }, artifacts: { ok: true, detail: 'fs' }, jobs: { ok: true } },
    });
    expect(r.headers['x-request-id']).toBeTruthy();
  });

  it('derives the OpenAPI document from the contracts, with every endpoint, and serves docs', async () => {
    const r = await call(t.app, 'GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    const ops = new Set<string>();
    for (const [path, methods] of Object.entries(r.body.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, op] of Object.entries(methods)) ops.add(`${method.toUpperCase()} ${path}:${op.operationId}`);
    }
    for (const e of endpoints) {
      const path = e.path.replace(/:([a-z_]+)/gi, '{$1}');
      expect(ops.has(`${e.method} ${path}:${e.id}`), `${e.method} ${path}`).toBe(true);
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('serves /metrics in Prometheus format to admins only', async () => {
    expect((await call(t.app, 'GET', '/metrics')).status).toBe(401);
    const tok = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'prom', role: 'admin' });
    const r = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(tok.body.secret) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    expect(r.body).toMatch(/flywheel_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} \d+/);
    expect(r.body).toContain('flywheel_http_request_duration_seconds_bucket');
  });

  it('signs in with HttpOnly SameSite=Lax session cookie, answers /me, signs out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: t.admin.username, password: t.admin.password } });
    const cookies = res.headers['set-cookie'] as string[];
    expect(cookies.find((c) => c.startsWith('fw_session='))).toMatch(/HttpOnly; SameSite=Lax/);
    expect(cookies.find((c) => c.startsWith('fw_csrf='))).not.toMatch(/HttpOnly/);
    const h = await signIn(t.app, t.admin.username, t.admin.password);
    expect((await call(t.app, 'GET', '/api/v1/auth/me', h)).body).toMatchObject({ user: { username: 'admin', is_admin: true }, via: 'session' });
    expect((await call(t.app, 'POST', '/api/v1/auth/logout', h)).status).toBe(200);
    expect((await call(t.app, 'GET', '/api/v1/auth/me', h)).status).toBe(401);
  });

  it('shows projects only to their members, and limits a project token to its project', async () => {
    await call(t.app, 'POST', '/api/v1/users', admin, { username: 'bob', password: 'bob-password-123' });
    await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'alpha' });
    await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'beta' });
    await call(t.app, 'PUT', '/api/v1/projects/alpha/members/bob', admin, { role: 'owner' });
    await call(t.app, 'PUT', '/api/v1/projects/beta/members/bob', admin, { role: 'owner' });
    const bob = await signIn(t.app, 'bob', 'bob-password-123');
    await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'gamma' });
    const mine = await call(t.app, 'GET', '/api/v1/projects', bob);
    expect(mine.body.items.map((p: { name: string }) => p.name)).toEqual(['alpha', 'beta']);
    expect((await call(t.app, 'GET', '/api/v1/projects/gamma', bob)).status).toBe(404);

    const tok = await call(t.app, 'POST', '/api/v1/tokens', bob, { name: 'alpha-only', role: 'owner', project: 'alpha' });
    expect(tok.status).toBe(201);
    expect(tok.body.token).toMatchObject({ project: 'alpha', role: 'owner', username: 'bob' });
    const scoped = bearer(tok.body.secret);
    expect((await call(t.app, 'GET', '/api/v1/projects', scoped)).body.items.map((p: { name: string }) => p.name)).toEqual(['alpha']);
    expect((await call(t.app, 'GET', '/api/v1/projects/alpha/members', scoped)).status).toBe(200);
    const beta = await call(t.app, 'GET', '/api/v1/projects/beta/members', scoped);
    expect(beta.status).toBe(403);
    expect(beta.body.error.message).toBe('this token is limited to another project');
    expect((await call(t.app, 'POST', '/api/v1/projects', scoped, { name: 'sneaky' })).status).toBe(403);

    const notMember = await call(t.app, 'POST', '/api/v1/tokens', bob, { name: 'g', role: 'viewer', project: 'gamma' });
    expect(notMember.status).toBe(403);
    const adminRole = await call(t.app, 'POST', '/api/v1/tokens', bob, { name: 'a', role: 'admin' });
    expect(adminRole.status).toBe(403);
    expect(adminRole.body.error.details.field).toBe('body.role');
  });

  it('lets a viewer token read but never write, whatever the user may do', async () => {
    const tok = await call(t.app, 'POST', '/api/v1/tokens', admin, { name: 'ro', role: 'viewer', project: 'alpha' });
    const ro = bearer(tok.body.secret);
    const project = await call(t.app, 'GET', '/api/v1/projects/alpha', ro);
    expect(project.status).toBe(200);
    expect(project.body.my_actions).toContain('project.read');
    expect(project.body.my_actions).not.toContain('project.update');
    const asAdmin = await call(t.app, 'GET', '/api/v1/projects/alpha', admin);
    expect(asAdmin.body.my_actions).toContain('member.manage');
    expect((await call(t.app, 'PATCH', '/api/v1/projects/alpha', ro, { description: 'x' })).status).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/users', ro)).status).toBe(403);
  });

  it('changes a password: old one stops working, sessions end', async () => {
    const bob = await signIn(t.app, 'bob', 'bob-password-123');
    const wrong = await call(t.app, 'POST', '/api/v1/auth/password', bob, { current_password: 'nope', new_password: 'bob-new-password-1' });
    expect(wrong.status).toBe(403);
    const ok = await call(t.app, 'POST', '/api/v1/auth/password', bob, { current_password: 'bob-password-123', new_password: 'bob-new-password-1' });
    expect(ok.status).toBe(200);
    expect((await call(t.app, 'GET', '/api/v1/auth/me', bob)).status).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', {}, { username: 'bob', password: 'bob-password-123' })).status).toBe(401);
    await signIn(t.app, 'bob', 'bob-new-password-1');
  });

  it('stores secrets encrypted and never returns their values', async () => {
    const put = await call(t.app, 'PUT', '/api/v1/projects/alpha/secrets/pg-password', admin, { value: 'hunter2-very-secret' });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain('hunter2');
    const list = await call(t.app, 'GET', '/api/v1/projects/alpha/secrets', admin);
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['pg-password']);
    expect(JSON.stringify(list.body)).not.toContain('hunter2');
    const row = await t.platform.store.db.selectFrom('secrets').selectAll().executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain('hunter2');
    const project = await t.platform.store.projects.getByName('alpha');
    expect(await t.platform.services.secrets.reveal(project!.id, 'pg-password')).toBe('hunter2-very-secret');
    const audit = await call(t.app, 'GET', '/api/v1/projects/alpha/audit', admin);
    expect(JSON.stringify(audit.body)).not.toContain('hunter2');
  });

  it('stores passwords and tokens only as hashes', async () => {
    const users = await t.platform.store.db.selectFrom('users').select('password_hash').execute();
    expect(users.every((u) => u.password_hash.startsWith('scrypt$'))).toBe(true);
    const tokens = await t.platform.store.db.selectFrom('api_tokens').select(['token_hash', 'prefix']).execute();
    expect(tokens.every((x) => /^[0-9a-f]{64}$/.test(x.token_hash))).toBe(true);
  });
});
