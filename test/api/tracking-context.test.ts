// What a built-in training run records about where it ran, on every database: the process that
// trains it (through the real task handler) tags the git commit and dirty flag of its working
// directory, its Node version and host, and the content hash of the data version, and the run's
// details answer them with its seed and code version.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { seedWeatherProject } from '../support/weather.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';


function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`run context of built-in training (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/p';

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      await seedWeatherProject(t.app, admin, 'p');
    }, 60_000);
    afterAll(() => t?.close());

    it('tags the commit, dirty flag, Node, host and data hash where the run trains, and shows them with the seed', async () => {
      const features = ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' }));
      const queued = await call(t.app, 'POST', `${base}/runs`, admin, { dataset: 'weather', target: 'weather', features, time_column: 'date', holdout: { from: '2013-10-01', to: '2014-01-01' }, seed: 11 });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const ran = await runQueuedJobs(t.platform, ['training.run']);
      expect(ran.map((r) => r.error ?? 'ok')).toEqual(['ok']);

      const details = await call(t.app, 'GET', `${base}/runs/${queued.body.id}/details`, admin);
      expect(details.status).toBe(200);
      expect(details.body.status).toBe('finished');
      const version = (await call(t.app, 'GET', `${base}/datasets/weather/versions/1`, admin)).body;
      const hash = createHash('sha256');
      for (const f of version.files as Array<{ sha256: string }>) hash.update(`${f.sha256}\n`);
      expect(details.body.context).toMatchObject({
        node_version: process.version,
        host: hostname(),
        seed: 11,
        data_version_id: version.id,
        data_version_hash: hash.digest('hex'),
        code_version: expect.any(String),
      });
      const head = gitHead();
      if (head) {
        expect(details.body.context.git_commit).toBe(head);
        expect(typeof details.body.context.git_dirty).toBe('boolean');
      } else expect(details.body.context.git_commit).toBeNull();
    }, 120_000);
  });
}
