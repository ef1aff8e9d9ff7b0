// flywheel annotate: create a job from a JSONL file, then an annotator (remote, with a token)
// pulls and labels through the CLI until the queue is empty; errors are one clear line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('flywheel annotate', () => {
  let server: TestServer;
  let local: Record<string, string>;
  let annotator: Record<string, string>;
  const dir = tempDir('flywheel-annotate-');

  beforeAll(async () => {
    server = await startTestServer();
    local = { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}`, FLYWHEEL_PROJECT: 'weather' };
    expect((await cli(['project', 'create', 'weather'], local)).code).toBe(0);
    expect((await cli(['user', 'create', 'ann'], local)).code).toBe(0);
    expect((await cli(['project', 'members', 'add', 'ann', '--role', 'annotator'], local)).code).toBe(0);
    const tok = await cli(['token', 'create', '--role', 'annotator', '--user', 'ann', '--project', 'weather', '--json'], local);
    annotator = { FLYWHEEL_URL: server.url, FLYWHEEL_TOKEN: tok.json().secret, FLYWHEEL_PROJECT: 'weather' };
  }, 60_000);
  afterAll(() => server?.close());

  it('creates a job from a JSON Lines file and lists it', async () => {
    const file = join(dir, 'items.jsonl');
    writeFileSync(file, ['{"data": {"date": "2014-01-01", "temp_max": 8.3}, "prediction_id": "p1"}', '{"data": {"date": "2014-01-02", "temp_max": 9.1}}', '"oops"', ''].join('\n'));
    const r = await cli(['annotate', 'create', 'jan', '--labels', 'rain,sun,fog', '--overlap', '1', '--items', file, '--json'], local);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().tasks).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    const human = await cli(['annotate', 'create', 'feb', '--labels', 'rain,sun', '--items', file], local);
    expect(human.stdout).toContain('created labelling job feb');
    expect(human.stdout).toContain('2 tasks, 1 items rejected');
    const jobs = await cli(['annotate', 'jobs'], local);
    expect(jobs.stdout).toMatch(/NAME\s+LABELS\s+OVERLAP/);
    expect(jobs.stdout).toMatch(/jan\s+rain,sun,fog\s+1\s+2\s+0/);
  });

  it('lets an annotator pull and label over HTTP until nothing is left', async () => {
    const seen: string[] = [];
    for (;;) {
      const next = await cli(['annotate', 'next', '--job', 'jan', '--json'], annotator);
      expect(next.code, next.stderr).toBe(0);
      const task = next.json().task;
      if (!task) break;
      seen.push(task.id);
      const human = await cli(['annotate', 'next', '--job', 'jan'], annotator);
      expect(human.stdout).toMatch(/^task \S+ \(yours until \S+\)\n {2}date\s+2014-01-0\d/);
      const bad = await cli(['annotate', 'label', task.id, 'hail', '--job', 'jan'], annotator);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain("body.label 'hail' is not one of this job's labels: rain, sun, fog");
      const ok = await cli(['annotate', 'label', task.id, 'rain', '--job', 'jan', '--duration-ms', '900'], annotator);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`labelled task ${task.id} as rain (task resolved)`);
    }
    expect(seen).toHaveLength(2);
    expect((await cli(['annotate', 'next', '--job', 'jan'], annotator)).stdout).toContain('nothing left for you to label');
    const denied = await cli(['annotate', 'create', 'mine', '--labels', 'a'], annotator);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('may not labelling.manage');
  });

  it('shows progress, agreement and the tasks', async () => {
    const show = await cli(['annotate', 'show', '--job', 'jan'], local);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('jan: 2/2 tasks resolved, 2 labels, overlap 1');
    expect(show.stdout).toMatch(/ann\s+2\s+100\.0%\s+900/);
    const tasks = await cli(['annotate', 'tasks', '--job', 'jan', '--status', 'resolved', '--json'], local);
    expect(tasks.json().items.map((t: { resolved_label: string }) => t.resolved_label)).toEqual(['rain', 'rain']);
    const badStatus = await cli(['annotate', 'tasks', '--job', 'jan', '--status', 'done'], local);
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain('--status must be open or resolved');
    const noFile = await cli(['annotate', 'add-tasks', '--job', 'jan', '--items', join(dir, 'missing.jsonl')], local);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('cannot read');
  });
});
