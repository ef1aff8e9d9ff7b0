// flywheel annotate disputes / review: three annotators disagree over the API, the local admin
// lists the disputed tasks and accepts, fixes and rejects them from the command line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { call, signIn } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'a-long-enough-password';

describe('flywheel annotate disputes/review', () => {
  let server: TestServer;
  let local: Record<string, string>;
  const tasks: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    local = { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}`, FLYWHEEL_PROJECT: 'weather' };
    expect((await cli(['project', 'create', 'weather'], local)).code).toBe(0);
    const admin = await signIn(server.app, server.admin.username, server.admin.password);
    const created = await call(server.app, 'POST', '/api/v1/projects/weather/labelling-jobs', admin, {
      name: 'j',
      labels: ['rain', 'sun'],
      overlap: 3,
      items: [{ data: { d: 1 } }, { data: { d: 2 } }, { data: { d: 3 } }, { data: { d: 4 } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tasks.push(...created.body.tasks.items.map((i: { task_id: string }) => i.task_id));
    const plan = [['rain', 'rain', 'sun'], ['sun', 'sun', 'sun'], ['sun', 'rain', 'sun'], ['rain', 'sun', 'sun']];
    for (const [i, u] of ['a1', 'a2', 'a3'].entries()) {
      expect((await call(server.app, 'POST', '/api/v1/users', admin, { username: u, password: PASSWORD })).status).toBe(201);
      expect((await call(server.app, 'PUT', `/api/v1/projects/weather/members/${u}`, admin, { role: 'annotator' })).status).toBe(200);
      const as = await signIn(server.app, u, PASSWORD);
      for (const [k, task] of tasks.entries()) expect((await call(server.app, 'POST', `/api/v1/projects/weather/labelling-jobs/j/tasks/${task}/labels`, as, { label: plan[k][i] })).status).toBe(201);
    }
  }, 60_000);
  afterAll(() => server?.close());

  it('lists the disputed tasks, then accepts, fixes and rejects them', async () => {
    const list = await cli(['annotate', 'disputes', '--job', 'j'], local);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ID\s+RESOLVED_LABEL\s+AGREEMENT\s+TIE\s+LABELS/);
    const json = await cli(['annotate', 'disputes', '--job', 'j', '--json'], local);
    expect(json.json().items.map((t: { id: string }) => t.id)).toEqual([tasks[0], tasks[2], tasks[3]]);

    const accept = await cli(['annotate', 'review', tasks[0], 'accept', '--job', 'j'], local);
    expect(accept.code, accept.stderr).toBe(0);
    expect(accept.stdout).toContain(`task ${tasks[0]} accepted: rain`);
    const fix = await cli(['annotate', 'review', tasks[2], 'fix', '--label', 'rain', '--note', 'radar', '--job', 'j'], local);
    expect(fix.stdout).toContain(`task ${tasks[2]} fixed: sun → rain`);
    const reject = await cli(['annotate', 'review', tasks[3], 'reject', '--job', 'j', '--json'], local);
    expect(reject.json()).toMatchObject({ task: { id: tasks[3], status: 'open' }, review: { decision: 'reject' } });
    expect((await cli(['annotate', 'disputes', '--job', 'j'], local)).stdout).toContain('no disputed tasks in this job');
  });

  it('refuses an unknown decision and a fix without a label, in one line naming the problem', async () => {
    const bad = await cli(['annotate', 'review', tasks[1], 'maybe', '--job', 'j'], local);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("decision must be accept, fix, reject, got 'maybe'");
    const noLabel = await cli(['annotate', 'review', tasks[1], 'fix', '--job', 'j'], local);
    expect(noLabel.code).toBe(1);
    expect(noLabel.stderr.trim().split('\n')).toHaveLength(1);
    expect(noLabel.stderr).toContain('body.label');
  });
});
