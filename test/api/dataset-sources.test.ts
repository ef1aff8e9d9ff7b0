// Continuous collection over HTTP on both databases: an HTTP(S) source served by a local server
// (a CSV staged once however often it is pulled unchanged, a changed file staged again, a 404
// recorded as a failed run with the status), a PostgreSQL source run read-only, bad input
// answered 400 naming the field, credentials never in any answer or audit event, the scheduler
// enqueueing each due slot once even with two servers ticking together, scheduled and by-count
// commits, and the drop folder (ingested once and moved to .done, bad files to .failed with the
// reason). Jobs run in this process through the real task handlers.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, openPlatform } from '../../src/platform.js';
import { databaseTargets, postgresTarget, tempDir } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const TOKEN = 'tok-7d1e9c44b2';
const PG_PASSWORD = 'pg-pass-5a8f31';
const FIRST = ['id,value,label', '1,1.5,a', '2,2.5,b', '3,3.5,a', ''].join('\n');
const CHANGED = ['id,value,label', '4,4.5,b', '5,5.5,a', ''].join('\n');

/** A file server whose files the test changes: path → [content type, body], or a status. */
function fileServer(files: Map<string, { type: string; body: string } | number>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const found = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (found === undefined || typeof found === 'number') {
      res.writeHead(found ?? 404, { 'content-type': 'text/plain' }).end('no such file');
      return;
    }
    res.writeHead(200, { 'content-type': found.type }).end(found.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`dataset sources (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let web: { server: Server; url: string };
    const files = new Map<string, { type: string; body: string } | number>();
    const base = '/api/v1/projects/collect/datasets';
    const answers: string[] = []; // every response body, searched for credentials at the end

    async function api(method: string, url: string, body?: unknown) {
      const r = await call(t.app, method, url, admin, body);
      answers.push(JSON.stringify(r.body ?? null));
      return r;
    }
    const runs = async (dataset: string, source: string) => (await api('GET', `${base}/${dataset}/sources/${source}/runs`)).body.items;
    const staging = async (dataset: string) => (await api('GET', `${base}/${dataset}/staging`)).body;

    beforeAll(async () => {
      web = await fileServer(files);
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'collect' })).status).toBe(201);
      for (const name of ['events', 'scheduled', 'warehouse', 'dropped']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => web?.server.close(r));
    });

    it('pulls an HTTP file into the staging area once however often it is unchanged, and again when it changes', async () => {
      files.set('/events.csv', { type: 'text/csv', body: FIRST });
      const created = await api('POST', `${base}/events/sources`, {
        name: 'daily-export',
        kind: 'http',
        url: `${web.url.replace('http://', `http://reader:${TOKEN}@`)}/events.csv?token=${TOKEN}`,
        schedule: '0 6 * * *',
        timezone: 'Europe/Oslo',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ name: 'daily-export', kind: 'http', format: null, schedule: '0 6 * * *', timezone: 'Europe/Oslo', enabled: true, last_run: null });
      expect(created.body.location).toBe(`${web.url}/events.csv?token=***`);
      expect(created.body.next_run_at).toBeGreaterThan(Date.now());
      expect(new Date(created.body.next_run_at).toLocaleTimeString('en-GB', { timeZone: 'Europe/Oslo' })).toBe('06:00:00');

      const job = await api('POST', `${base}/events/sources/daily-export/run`);
      expect(job.status).toBe(202);
      expect(job.body).toMatchObject({ task: 'dataset.source-pull', status: 'queued' });
      const again = await api('POST', `${base}/events/sources/daily-export/run`);
      expect(again.body.id).toBe(job.body.id); // a pending pull is not queued twice
      const ran = await runQueuedJobs(t.platform);
      expect(ran.map((r) => r.error ?? 'ok')).toEqual(['ok']);
      const [first] = await runs('events', 'daily-export');
      expect(first).toMatchObject({ status: 'succeeded', trigger: 'manual', job_id: job.body.id, rows_read: 3, rows_staged: 3, rows_quarantined: 0, unchanged: false, error: null });
      expect(first.finished_at).toBeGreaterThanOrEqual(first.started_at);
      expect(await staging('events')).toMatchObject({ staged_rows: 3, staged_batches: 1 });

      await api('POST', `${base}/events/sources/daily-export/run`);
      await runQueuedJobs(t.platform);
      const [same] = await runs('events', 'daily-export');
      expect(same).toMatchObject({ status: 'succeeded', unchanged: true, rows_staged: 0, sha256: first.sha256, batch_id: first.batch_id });
      expect(await staging('events')).toMatchObject({ staged_rows: 3, staged_batches: 1 });

      files.set('/events.csv', { type: 'text/csv', body: CHANGED });
      await api('POST', `${base}/events/sources/daily-export/run`);
      await runQueuedJobs(t.platform);
      const [changed] = await runs('events', 'daily-export');
      expect(changed).toMatchObject({ status: 'succeeded', unchanged: false, rows_staged: 2 });
      expect(await staging('events')).toMatchObject({ staged_rows: 5, staged_batches: 2 });
      expect((await runs('events', 'daily-export')).length).toBe(3);
      const listed = await api('GET', `${base}/events/sources`);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0].last_run).toMatchObject({ id: changed.id, rows_staged: 2 });
    });

    it('records a pull that fails (404, no format) with a readable reason, and tells the format from the Content-Type', async () => {
      expect((await api('POST', `${base}/events/sources`, { name: 'gone', kind: 'http', url: `${web.url}/missing.csv`, schedule: '*/5 * * * *' })).status).toBe(201);
      await api('POST', `${base}/events/sources/gone/run`);
      const ran = await runQueuedJobs(t.platform);
      expect(ran[0].error).toMatch(/answered HTTP 404/);
      const [failed] = await runs('events', 'gone');
      expect(failed).toMatchObject({ status: 'failed', rows_staged: 0 });
      expect(failed.error).toBe(`GET ${web.url}/missing.csv answered HTTP 404 Not Found`);
      const job = await api('GET', `/api/v1/projects/collect/jobs/${failed.job_id}`);
      expect(job.body).toMatchObject({ status: 'failed', last_error: failed.error });

      files.set('/export', { type: 'application/octet-stream', body: CHANGED });
      files.set('/export-ndjson', { type: 'application/x-ndjson; charset=utf-8', body: '{"id":6,"value":6.5,"label":"b"}\n' });
      await api('POST', `${base}/events/sources`, { name: 'unnamed', kind: 'http', url: `${web.url}/export`, schedule: '0 * * * *' });
      await api('POST', `${base}/events/sources`, { name: 'typed', kind: 'http', url: `${web.url}/export-ndjson`, schedule: '0 * * * *' });
      await api('POST', `${base}/events/sources/unnamed/run`);
      await api('POST', `${base}/events/sources/typed/run`);
      await runQueuedJobs(t.platform);
      expect((await runs('events', 'unnamed'))[0].error).toMatch(/cannot tell the format of .*\/export from its name or its Content-Type \(application\/octet-stream\)/);
      expect((await runs('events', 'typed'))[0]).toMatchObject({ status: 'succeeded', rows_staged: 1 });
      // Declaring the format fixes the first one.
      expect((await api('PATCH', `${base}/events/sources/unnamed`, { format: 'csv' })).body.format).toBe('csv');
      await api('POST', `${base}/events/sources/unnamed/run`);
      await runQueuedJobs(t.platform);
      expect((await runs('events', 'unnamed'))[0]).toMatchObject({ status: 'succeeded', rows_staged: 2 }); // its own key: another source's copy does not count
    });

    it('answers bad input with 400 naming the field, and unknown sources with 404', async () => {
      const url = `${base}/events/sources`;
      const good = { name: 'bad', kind: 'http', url: `${web.url}/events.csv`, schedule: '0 6 * * *', timezone: 'UTC' };
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [{ schedule: 'every day' }, 'body.schedule', /five fields/],
        [{ schedule: '61 * * * *' }, 'body.schedule', /not a valid cron expression/],
        [{ timezone: 'Mars/Olympus' }, 'body.timezone', /IANA time zone/],
        [{ url: 'file:///etc/passwd' }, 'body.url', /http:\/\/ or https:\/\//],
        [{ url: 'ftp://example.com/x.csv' }, 'body.url', /http:\/\/ or https:\/\//],
        [{ url: 'not a url' }, 'body.url', /not a valid URL/],
        [{ name: 'Bad Name' }, 'body.name', /lowercase/],
        [{ query: 'select 1' }, 'body.query', /postgres sources/],
        [{ kind: 'postgres', url: undefined, query: 'select 1' }, 'body.connection_string', /required/],
        [{ kind: 'postgres', url: undefined, query: 'select 1', connection_string: 'mysql://u:p@h/db' }, 'body.connection_string', /postgres:\/\//],
        [{ commit: { cron: '* * *' } }, 'body.commit.cron', /five fields/],
        [{ kind: 'ftp' }, 'body.kind', /http/],
      ];
      for (const [patch, field, message] of cases) {
        const r = await api('POST', url, { ...good, ...patch });
        expect(r.status, `${JSON.stringify(patch)} → ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.details.field, JSON.stringify(patch)).toBe(field);
        expect(r.body.error.message, JSON.stringify(patch)).toMatch(message);
      }
      expect(answers.some((a) => a.includes('mysql://u:p@'))).toBe(false);
      const patched = await api('PATCH', `${url}/daily-export`, { schedule: '0 25 * * *' });
      expect(patched.status).toBe(400);
      expect(patched.body.error.details.field).toBe('body.schedule');
      expect((await api('PATCH', `${url}/daily-export`, { timezone: 'Nowhere/Land' })).body.error.details.field).toBe('body.timezone');
      expect((await api('GET', `${url}/nope`)).status).toBe(404);
      expect((await api('POST', `${url}/nope/run`)).status).toBe(404);
      expect((await api('POST', `${base}/no-such-dataset/sources`, good)).status).toBe(404);
      const dup = await api('POST', url, { ...good, name: 'daily-export' });
      expect(dup.status).toBe(409);
      expect((await api('GET', `${url}/bad`)).status).toBe(404); // nothing half-written
    });

    it('enqueues each due slot once, even when two servers tick at the same moment, and commits on schedule', async () => {
      // The other dataset's sources are switched off: a disabled source is never due.
      for (const s of (await api('GET', `${base}/events/sources`)).body.items) expect((await api('PATCH', `${base}/events/sources/${s.name}`, { enabled: false })).body.enabled).toBe(false);
      files.set('/scheduled.csv', { type: 'text/csv', body: FIRST });
      const created = await api('POST', `${base}/scheduled/sources`, {
        name: 'hourly',
        kind: 'http',
        url: `${web.url}/scheduled.csv`,
        schedule: '0 6 * * *',
        timezone: 'Asia/Kolkata',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const slot = created.body.next_run_at as number;
      expect(new Date(slot).toISOString().slice(11, 16)).toBe('00:30'); // 06:00 in Kolkata (+05:30)
      const other = await openPlatform(configFromEnv({ FLYWHEEL_HOME: t.home, FLYWHEEL_DATABASE_URL: t.platform.config.databaseUrl, FLYWHEEL_DEMO: '0' }));
      try {
        expect((await t.platform.services.datasetSources.enqueueDue(slot - 1)).pulls).toEqual([]);
        const [a, b] = await Promise.all([t.platform.services.datasetSources.enqueueDue(slot + 5), other.services.datasetSources.enqueueDue(slot + 5)]);
        const pulls = [...a.pulls, ...b.pulls].filter((j) => (j.payload as { source_id: string }).source_id === created.body.id);
        expect(pulls).toHaveLength(1);
        expect(pulls[0].job_key).toBe(`dataset-source:${created.body.id}@${slot}`);
        // The same moment again (a third tick, a restarted server) finds nothing due.
        expect((await other.services.datasetSources.enqueueDue(slot + 6)).pulls).toEqual([]);
      } finally {
        await other.close();
      }
      const after = await api('GET', `${base}/scheduled/sources/hourly`);
      expect(after.body.next_run_at).toBe(slot + 24 * 3_600_000);
      await runQueuedJobs(t.platform);
      expect((await runs('scheduled', 'hourly'))[0]).toMatchObject({ trigger: 'schedule', scheduled_for: slot, status: 'succeeded', rows_staged: 3 });

      // Commit what is staged every hour at :30 (Kolkata time); the next pull is a day away.
      const withCommit = await api('PATCH', `${base}/scheduled/sources/hourly`, { commit: { cron: '30 * * * *' } });
      const commitAt = withCommit.body.next_commit_at as number;
      expect(new Date(commitAt).getUTCMinutes()).toBe(0);
      const due = await t.platform.services.datasetSources.enqueueDue(commitAt + 1);
      expect(due.commits).toHaveLength(1);
      expect(due.pulls).toHaveLength(0);
      const ran = await runQueuedJobs(t.platform);
      expect(ran[0].result).toMatchObject({ committed: true, version: { version: 1 } });
      expect((await api('GET', `${base}/scheduled`)).body.latest_version).toBe(1);
      expect(await staging('scheduled')).toMatchObject({ staged_rows: 0 });

      // A disabled source is never due.
      await api('PATCH', `${base}/scheduled/sources/hourly`, { enabled: false });
      expect((await t.platform.services.datasetSources.enqueueDue(slot + 10 * 3_600_000)).pulls).toEqual([]);
    });

    it('commits by row count (commit.every_rows sets the dataset\'s commit_at_rows)', async () => {
      files.set('/counted.csv', { type: 'text/csv', body: CHANGED });
      const r = await api('PATCH', `${base}/scheduled/sources/hourly`, { url: `${web.url}/counted.csv`, commit: { every_rows: 2, cron: null } });
      expect(r.body).toMatchObject({ commit_every_rows: 2, commit_cron: null, next_commit_at: null });
      expect(await staging('scheduled')).toMatchObject({ commit_at_rows: 2 });
      await api('POST', `${base}/scheduled/sources/hourly/run`);
      await runQueuedJobs(t.platform);
      const [run] = await runs('scheduled', 'hourly');
      expect(run).toMatchObject({ status: 'succeeded', rows_staged: 2 });
      expect(run.committed_version_id).toBeTruthy();
      expect((await api('GET', `${base}/scheduled`)).body.latest_version).toBe(2);
      await api('PATCH', `${base}/scheduled/sources/hourly`, { commit: null });
      expect(await staging('scheduled')).toMatchObject({ commit_at_rows: null });
    });

    it('never shows credentials: not in answers, the audit log, job errors or the secrets list', async () => {
      const secrets = await api('GET', '/api/v1/projects/collect/secrets');
      expect(secrets.body.items.map((s: { name: string }) => s.name)).toContain(`dataset-source-${(await api('GET', `${base}/events/sources/daily-export`)).body.id}`);
      const audit = await api('GET', '/api/v1/projects/collect/audit?limit=1000');
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['dataset.source.create', 'dataset.source.run', 'dataset.stage', 'secret.put']));
      const jobs = await api('GET', '/api/v1/projects/collect/jobs?limit=1000');
      expect(jobs.body.items.length).toBeGreaterThan(3);
      for (const text of answers) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(PG_PASSWORD);
      }
      const id = (await api('GET', `${base}/events/sources/daily-export`)).body.id;
      expect((await api('DELETE', `${base}/events/sources/daily-export`)).body).toEqual({ ok: true });
      expect((await api('GET', '/api/v1/projects/collect/secrets')).body.items.map((s: { name: string }) => s.name)).not.toContain(`dataset-source-${id}`);
      expect((await api('GET', `${base}/events/sources/daily-export`)).status).toBe(404);
      expect(await staging('events')).toMatchObject({ staged_rows: 8 }); // what it staged stays staged
    });

    it.skipIf(!postgresTarget.available)(`pulls a PostgreSQL query read-only${postgresTarget.available ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, async () => {
      const dataUrl = await postgresTarget.freshUrl();
      const url = new URL(dataUrl);
      const client = new pg.Client({ connectionString: dataUrl });
      await client.connect();
      try {
        await client.query('CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric, placed timestamptz, day date, note text)');
        await client.query("INSERT INTO orders VALUES (1, 9.5, '2024-01-01T10:00:00Z', '2024-01-01', 'first'), (2, 20, '2024-01-02T11:00:00Z', '2024-01-02', NULL)");
        await client.query('CREATE SEQUENCE tickets');
      } finally {
        await client.end();
      }
      url.password = PG_PASSWORD; // trust authentication ignores it; it must never be shown
      const add = (name: string, query: string) =>
        api('POST', `${base}/warehouse/sources`, { name, kind: 'postgres', connection_string: url.toString(), query, schedule: '15 2 * * *', timezone: 'UTC' });
      const created = await add('orders', 'SELECT id, amount, placed, day, note FROM orders ORDER BY id;');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.location).toBe(`postgres://${url.host}${url.pathname}`);
      expect(created.body.query).toBe('SELECT id, amount, placed, day, note FROM orders ORDER BY id;');
      await add('writes', 'INSERT INTO orders VALUES (3, 1, now(), current_date, $$x$$) RETURNING id');
      await add('smuggled', 'SELECT 1 AS one; DELETE FROM orders');
      await add('sequence', "SELECT nextval('tickets') AS ticket");
      await add('empty', 'SELECT * FROM orders WHERE id < 0');
      for (const name of ['orders', 'writes', 'smuggled', 'sequence', 'empty']) await api('POST', `${base}/warehouse/sources/${name}/run`);
      await runQueuedJobs(t.platform);

      expect((await runs('warehouse', 'orders'))[0]).toMatchObject({ status: 'succeeded', rows_read: 2, rows_staged: 2, rows_quarantined: 0 });
      expect((await runs('warehouse', 'writes'))[0]).toMatchObject({ status: 'failed' });
      expect((await runs('warehouse', 'smuggled'))[0].error).toMatch(/cannot insert multiple commands/);
      expect((await runs('warehouse', 'sequence'))[0].error).toMatch(/read-only/);
      expect((await runs('warehouse', 'empty'))[0]).toMatchObject({ status: 'succeeded', rows_staged: 0 });
      const check = new pg.Client({ connectionString: dataUrl });
      await check.connect();
      try {
        expect((await check.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(2); // nothing was written
      } finally {
        await check.end();
      }
      await api('POST', `${base}/warehouse/commit`);
      const version = await api('GET', `${base}/warehouse/versions/1`);
      expect(version.body.schema.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'amount:double', 'placed:timestamp', 'day:date', 'note:string']);
      const listed = await api('GET', `${base}/warehouse/sources`);
      expect(JSON.stringify(listed.body)).not.toContain(PG_PASSWORD);
      const audit = await api('GET', '/api/v1/projects/collect/audit?limit=1000');
      expect(JSON.stringify(audit.body)).not.toContain(PG_PASSWORD);
    });

    it('ingests a dropped file once, moves it to .done, and moves bad files to .failed with the reason', async () => {
      const folder = join(t.home, 'drop', 'collect', 'dropped');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'good.csv'), FIRST);
      writeFileSync(join(folder, 'header-only.csv'), 'id,value,label\n');
      writeFileSync(join(folder, 'notes.txt'), 'hello');
      writeFileSync(join(folder, 'partial.csv.part'), 'id,value');
      writeFileSync(join(folder, '.hidden.csv'), FIRST);
      const outside = tempDir('flywheel-outside-');
      writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
      symlinkSync(join(outside, 'secret.csv'), join(folder, 'linked.csv'));
      const drop = t.platform.services.dropFolder;

      const first = await drop.poll();
      expect(first.claimed).toEqual([]); // seen once: maybe still being written
      expect(first.rejected.map((r) => r.file).sort()).toEqual(['linked.csv', 'notes.txt']);
      const second = await drop.poll();
      expect(second.claimed.map((c) => c.file).sort()).toEqual(['good.csv', 'header-only.csv']);
      expect((await drop.poll()).claimed).toEqual([]); // claimed once
      const ran = await runQueuedJobs(t.platform);
      expect(ran).toHaveLength(2);
      expect(ran.find((r) => r.error)?.error).toMatch(/header/);

      expect(readdirSync(join(folder, '.done'))).toEqual(['good.csv']);
      expect(readdirSync(join(folder, '.failed')).sort()).toEqual(['header-only.csv', 'header-only.csv.error.txt', 'linked.csv', 'linked.csv.error.txt', 'notes.txt', 'notes.txt.error.txt']);
      expect(readFileSync(join(folder, '.failed', 'header-only.csv.error.txt'), 'utf8')).toMatch(/header/);
      expect(readFileSync(join(folder, '.failed', 'linked.csv.error.txt'), 'utf8')).toMatch(/symbolic links are not followed/);
      expect(readFileSync(join(folder, '.failed', 'notes.txt.error.txt'), 'utf8')).toMatch(/unsupported file type/);
      expect(existsSync(join(folder, 'partial.csv.part'))).toBe(true);
      expect(existsSync(join(folder, '.hidden.csv'))).toBe(true);
      expect(readFileSync(join(outside, 'secret.csv'), 'utf8')).toBe('a,b\n1,2\n');
      expect(await staging('dropped')).toMatchObject({ staged_rows: 3, staged_batches: 1 });

      // The same bytes dropped again are moved aside without being staged twice.
      writeFileSync(join(folder, 'good-again.csv'), FIRST);
      await drop.poll();
      await drop.poll();
      const again = await runQueuedJobs(t.platform);
      expect(again[0].result).toMatchObject({ file: 'good-again.csv', replayed: true });
      expect(readdirSync(join(folder, '.done')).sort()).toEqual(['good-again.csv', 'good.csv']);
      expect(await staging('dropped')).toMatchObject({ staged_rows: 3, staged_batches: 1 });
    });
  });
}
