// The CLI in local mode (FLYWHEEL_HOME, in-process app) and remote mode (FLYWHEEL_URL + token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('flywheel CLI, local mode', () => {
  const home = tempDir('flywheel-cli-');
  const env = { FLYWHEEL_HOME: home };

  it('creates the admin on first use and prints its password once', async () => {
    const r = await cli(['project', 'list', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Sign in as 'admin' with password: \S{20}/);
    expect(r.json().items).toEqual([]);
    const again = await cli(['project', 'list'], env);
    expect(again.stderr).not.toMatch(/password/);
  });

  it('creates a project, a user and a membership, and lists them', async () => {
    const p = await cli(['project', 'create', 'weather', '--description', 'daily weather', '--json'], env);
    expect(p.code).toBe(0);
    expect(p.json()).toMatchObject({ name: 'weather', description: 'daily weather', my_role: 'owner' });
    const u = await cli(['user', 'create', 'ann', '--json'], env);
    expect(u.code).toBe(0);
    expect(u.json().password).toMatch(/^\S{20}$/);
    const m = await cli(['project', 'members', 'add', 'ann', '--role', 'data-scientist', '--project', 'weather'], env);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('ann is data-scientist in weather');
    const list = await cli(['project', 'members', '--project', 'weather', '--json'], env);
    expect(list.json().items.map((x: { username: string; role: string }) => [x.username, x.role])).toEqual([
      ['admin', 'owner'],
      ['ann', 'data-scientist'],
    ]);
    const human = await cli(['project', 'members', '--project', 'weather'], { ...env, FLYWHEEL_PROJECT: 'weather' });
    expect(human.stdout).toMatch(/USERNAME\s+DISPLAY_NAME\s+ROLE/);
  });

  it('creates tokens in local mode, for the admin or another user', async () => {
    const t = await cli(['token', 'create', '--role', 'data-scientist', '--project', 'weather'], env);
    expect(t.code).toBe(0);
    expect(t.stdout.trim()).toMatch(/^fwt_[A-Za-z0-9_-]{43}$/);
    const forAnn = await cli(['token', 'create', '--role', 'viewer', '--user', 'ann', '--project', 'weather', '--json'], env);
    expect(forAnn.json().token).toMatchObject({ username: 'ann', role: 'viewer', project: 'weather' });
  });

  it('prints one clear line and exits non-zero on bad input', async () => {
    const bad = await cli(['project', 'create', 'Bad Name'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/body\.name: must be 1-63 characters/);
    const dup = await cli(['project', 'create', 'weather'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("a project named 'weather' already exists");
    const role = await cli(['project', 'members', 'add', 'ann', '--role', 'boss', '--project', 'weather'], env);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('--role must be one of');
    const missing = await cli(['project', 'members', '--project', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("project 'nope' was not found");
    const noProject = await cli(['project', 'members'], env);
    expect(noProject.code).toBe(1);
    expect(noProject.stderr).toContain('--project');
    const unknown = await cli(['nonsense'], env);
    expect(unknown.code).toBe(2);
  });

  it('lists and verifies the audit log, and detects an edited and a deleted event', async () => {
    const list = await cli(['audit', 'list', '--project', 'weather', '--json'], env);
    const actions = list.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['project.create', 'member.put', 'token.create']));
    const ok = await cli(['audit', 'verify', '--json'], env);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, broken_at: null });

    const db = new Database(join(home, 'flywheel.db'));
    const original = db.prepare('SELECT details FROM audit_events WHERE seq = 2').get() as { details: string };
    db.prepare('UPDATE audit_events SET details = ? WHERE seq = 2').run('{"name":"forged"}');
    const edited = await cli(['audit', 'verify'], env);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('audit chain BROKEN at event 2');
    db.prepare('UPDATE audit_events SET details = ? WHERE seq = 2').run(original.details);
    expect((await cli(['audit', 'verify'], env)).code).toBe(0);

    db.prepare('DELETE FROM audit_events WHERE seq = 3').run();
    const deleted = await cli(['audit', 'verify', '--json'], env);
    expect(deleted.code).toBe(1);
    expect(deleted.json()).toMatchObject({ ok: false, broken_at: 3 });
    db.close();
  });

  it('resets a lost password (local mode) so the user can sign in again', async () => {
    const r = await cli(['user', 'reset-password', 'ann', '--json'], env);
    expect(r.code).toBe(0);
    const { password } = r.json();
    expect(password).toMatch(/^\S{20}$/);
    const unknown = await cli(['user', 'reset-password', 'nobody'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("user 'nobody' was not found");
  });
});

describe('flywheel CLI, remote mode', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    const local = await cli(['token', 'create', '--role', 'admin', '--json'], { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}` });
    token = local.json().secret;
  });
  afterAll(() => server.close());

  it('runs the same commands over HTTP with a bearer token', async () => {
    const env = { FLYWHEEL_URL: server.url, FLYWHEEL_TOKEN: token };
    const created = await cli(['project', 'create', 'remote-one', '--json'], env);
    expect(created.code).toBe(0);
    const list = await cli(['project', 'list', '--json'], env);
    expect(list.json().items.map((p: { name: string }) => p.name)).toContain('remote-one');
    const verify = await cli(['audit', 'verify', '--json'], env);
    expect(verify.json().ok).toBe(true);
  });

  it('fails clearly with a wrong token or no token', async () => {
    const wrong = await cli(['project', 'list'], { FLYWHEEL_URL: server.url, FLYWHEEL_TOKEN: 'fwt_nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the API token is not valid');
    const none = await cli(['project', 'list'], { FLYWHEEL_URL: server.url });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('FLYWHEEL_TOKEN is not');
  });
});

describe('audit verify detects deleting the newest events', () => {
  it('reports the deleted tail', async () => {
    const home = tempDir('flywheel-cli-tail-');
    const env = { FLYWHEEL_HOME: home };
    await cli(['project', 'create', 'one'], env);
    await cli(['project', 'create', 'two'], env);
    const db = new Database(join(home, 'flywheel.db'));
    const last = db.prepare('SELECT max(seq) AS seq FROM audit_events').get() as { seq: number };
    db.prepare('DELETE FROM audit_events WHERE seq = ?').run(last.seq);
    db.close();
    const r = await cli(['audit', 'verify', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ ok: false, broken_at: last.seq, reason: `events ${last.seq}..${last.seq} were deleted` });
  });
});
