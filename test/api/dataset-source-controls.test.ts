// What the sources panel does with an existing source, over the API on both databases: "run now"
// of a disabled source is pulled and recorded as a manual run while its schedule stays off (no
// next run, never due), enabling it schedules the next run; an edit changes only the fields
// sent, a replaced URL is pulled from the new address and never shown; delete removes the
// source, its runs and its secret.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const TOKEN = 'tok-controls-8e2b';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`dataset source controls (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let web: Server;
    let url = '';
    const answers: string[] = [];
    const base = '/api/v1/projects/controls/datasets/readings/sources';

    async function api(method: string, path: string, body?: unknown) {
      const r = await call(t.app, method, path, admin, body);
      answers.push(JSON.stringify(r.body ?? null));
      return r;
    }

    beforeAll(async () => {
      web = createServer((req, res) => {
        if (req.url?.startsWith('/a.csv')) return void res.writeHead(200, { 'content-type': 'text/csv' }).end('id,v\n1,1.5\n2,2.5\n3,3.5\n');
        if (req.url?.startsWith('/b.csv')) return void res.writeHead(200, { 'content-type': 'text/csv' }).end('id,v\n4,4.5\n');
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'controls' })).status).toBe(201);
      expect((await call(t.app, 'POST', '/api/v1/projects/controls/datasets', admin, { name: 'readings' })).status).toBe(201);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => web?.close(r));
    });

    it('pulls a disabled source by hand and records the run, while its schedule stays off until enabled', async () => {
      const created = await api('POST', base, { name: 'meter', kind: 'http', url: `${url}/a.csv?token=${TOKEN}`, schedule: '0 6 * * *', timezone: 'Europe/Oslo', enabled: false });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ enabled: false, next_run_at: null, next_commit_at: null });

      const job = await api('POST', `${base}/meter/run`);
      expect(job.status).toBe(202);
      expect((await runQueuedJobs(t.platform)).map((r) => r.error ?? 'ok')).toEqual(['ok']);
      const runs = (await api('GET', `${base}/meter/runs`)).body.items;
      expect(runs).toMatchObject([{ trigger: 'manual', status: 'succeeded', rows_staged: 3, job_id: job.body.id, error: null }]);
      const after = (await api('GET', `${base}/meter`)).body;
      expect(after).toMatchObject({ enabled: false, next_run_at: null, last_run: { id: runs[0].id, status: 'succeeded' } });
      // Still never due on its schedule.
      expect((await t.platform.services.datasetSources.enqueueDue(Date.now() + 7 * 86_400_000)).pulls).toEqual([]);
      const audit = (await api('GET', '/api/v1/projects/controls/audit?limit=100')).body.items.map((e: { action: string }) => e.action);
      expect(audit).toContain('dataset.source.run');

      const enabled = await api('PATCH', `${base}/meter`, { enabled: true });
      expect(enabled.body.enabled).toBe(true);
      expect(enabled.body.next_run_at).toBeGreaterThan(Date.now());
      expect(new Date(enabled.body.next_run_at).toLocaleTimeString('en-GB', { timeZone: 'Europe/Oslo' })).toBe('06:00:00');

      // A scheduled pull queued before the source is switched off is dropped, not run.
      expect((await t.platform.services.datasetSources.enqueueDue(enabled.body.next_run_at + 1)).pulls).toHaveLength(1);
      expect((await api('PATCH', `${base}/meter`, { enabled: false })).body.enabled).toBe(false);
      const dropped = await runQueuedJobs(t.platform);
      expect(dropped.map((r) => r.result)).toEqual([{ skipped: 'the source was disabled after this pull was scheduled' }]);
      expect((await api('GET', `${base}/meter/runs`)).body.items).toHaveLength(1);
      expect((await api('PATCH', `${base}/meter`, { enabled: true })).body.enabled).toBe(true);
    });

    it('changes only the fields sent, pulls a replaced URL from its new address, and never shows it', async () => {
      const before = (await api('GET', `${base}/meter`)).body;
      const edited = await api('PATCH', `${base}/meter`, { schedule: '30 7 * * 1-5', timezone: 'UTC', format: 'csv', commit: { every_rows: 100, cron: null } });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect(edited.body).toMatchObject({ schedule: '30 7 * * 1-5', timezone: 'UTC', format: 'csv', commit_every_rows: 100, commit_cron: null, enabled: true, location: before.location });
      expect(new Date(edited.body.next_run_at).toISOString().slice(11, 16)).toBe('07:30');

      const replaced = await api('PATCH', `${base}/meter`, { url: `${url}/b.csv?token=${TOKEN}-2` });
      expect(replaced.body).toMatchObject({ location: `${url}/b.csv?token=***`, schedule: '30 7 * * 1-5' });
      await api('POST', `${base}/meter/run`);
      await runQueuedJobs(t.platform);
      expect((await api('GET', `${base}/meter/runs`)).body.items[0]).toMatchObject({ status: 'succeeded', rows_staged: 1 });
      const changed = (await api('GET', '/api/v1/projects/controls/audit?limit=100')).body.items.filter((e: { action: string }) => e.action === 'dataset.source.update');
      expect(changed.map((e: { details: { changed: string[] } }) => [...e.details.changed].sort())).toEqual(expect.arrayContaining([['enabled'], ['commit', 'format', 'schedule', 'timezone'], ['credentials']]));
      for (const text of answers) expect(text).not.toContain(TOKEN);
    });

    it('deletes a source with its runs and its secret, and answers 404 after', async () => {
      const id = (await api('GET', `${base}/meter`)).body.id;
      expect((await api('DELETE', `${base}/meter`)).body).toEqual({ ok: true });
      expect((await api('GET', `${base}/meter`)).status).toBe(404);
      expect((await api('GET', `${base}/meter/runs`)).status).toBe(404);
      expect((await api('POST', `${base}/meter/run`)).status).toBe(404);
      expect((await api('DELETE', `${base}/meter`)).status).toBe(404);
      const secrets = (await api('GET', '/api/v1/projects/controls/secrets')).body.items.map((s: { name: string }) => s.name);
      expect(secrets).not.toContain(`dataset-source-${id}`);
    });
  });
}
