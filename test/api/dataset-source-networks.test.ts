// PostgreSQL sources within the address policy, on both metadata databases, under the default
// FLYWHEEL_SOURCE_NETWORKS=private: a source whose connection string points at this host (by
// address or by name, a live PostgreSQL included) or at the cloud metadata address is pulled as
// a failed run whose error names the refused address and the policy; nothing is staged, nothing
// reaches the address, and the password shows nowhere.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { createTestApp, type TestApp } from '../support/server.js';

const PASSWORD = 'pg-pass-policy-3f9d';
const POLICY = '(FLYWHEEL_SOURCE_NETWORKS=private)';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`PostgreSQL sources within the address policy (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    let listener: Server;
    let port = 0;
    const connections: Socket[] = [];
    const answers: string[] = [];
    const base = '/api/v1/projects/guarded/datasets/orders';

    async function api(method: string, url: string, body?: unknown) {
      const r = await call(t.app, method, url, admin, body);
      answers.push(JSON.stringify(r.body ?? null));
      return r;
    }

    beforeAll(async () => {
      // Stands in for a database on this host: it only counts who connects.
      listener = createServer((socket) => {
        connections.push(socket);
        socket.destroy();
      });
      await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
      port = (listener.address() as AddressInfo).port;
      t = await createTestApp({ databaseUrl: await target.freshUrl(), env: { FLYWHEEL_SOURCE_NETWORKS: 'private' } });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'guarded' })).status).toBe(201);
      expect((await call(t.app, 'POST', '/api/v1/projects/guarded/datasets', admin, { name: 'orders' })).status).toBe(201);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => listener?.close(r));
    });

    it('fails the pull of a source on this host or a link-local address with a clear error, and stages nothing', async () => {
      const live = process.env.TEST_DATABASE_URL ? new URL(process.env.TEST_DATABASE_URL) : null;
      if (live) live.password = PASSWORD;
      const sources: Array<[string, string, RegExp | string]> = [
        ['loopback', `postgres://reader:${PASSWORD}@127.0.0.1:${port}/sales`, `PostgreSQL: connecting to postgres://127.0.0.1:${port}/sales refused: 127.0.0.1 is a loopback, link-local or reserved address ${POLICY}`],
        ['by-name', `postgres://reader:${PASSWORD}@localhost:${port}/sales`, new RegExp(`^PostgreSQL: connecting to postgres://localhost:${port}/sales refused: localhost resolves to .* is a loopback, link-local or reserved address \\(FLYWHEEL_SOURCE_NETWORKS=private\\)$`)],
        ['metadata', `postgres://reader:${PASSWORD}@169.254.169.254:5432/sales`, `PostgreSQL: connecting to postgres://169.254.169.254:5432/sales refused: 169.254.169.254 is a loopback, link-local or reserved address ${POLICY}`],
        ...(live ? [['live', live.toString(), /^PostgreSQL: connecting to postgres:\/\/127\.0\.0\.1:\d+\/\S+ refused: 127\.0\.0\.1 is a loopback/] as [string, string, RegExp]] : []),
      ];
      for (const [name, connection_string] of sources) {
        const created = await api('POST', `${base}/sources`, { name, kind: 'postgres', connection_string, query: 'SELECT 1 AS one', schedule: '0 3 * * *' });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect((await api('POST', `${base}/sources/${name}/run`)).status).toBe(202);
      }
      const ran = await runQueuedJobs(t.platform);
      expect(ran).toHaveLength(sources.length);
      for (const [name, , message] of sources) {
        const [run] = (await api('GET', `${base}/sources/${name}/runs`)).body.items;
        expect(run, name).toMatchObject({ status: 'failed', trigger: 'manual', rows_read: 0, rows_staged: 0, batch_id: null });
        if (typeof message === 'string') expect(run.error).toBe(message);
        else expect(run.error).toMatch(message);
        const job = await api('GET', `/api/v1/projects/guarded/jobs/${run.job_id}`);
        expect(job.body).toMatchObject({ status: 'failed', last_error: run.error });
      }
      expect(connections).toHaveLength(0); // refused before connecting
      expect((await api('GET', `${base}/staging`)).body).toMatchObject({ staged_rows: 0, staged_batches: 0 });
      expect((await api('GET', `${base}/sources`)).body.items.map((s: { last_run: { status: string } }) => s.last_run.status)).toEqual(sources.map(() => 'failed'));
      for (const text of answers) expect(text).not.toContain(PASSWORD);
    });
  });
}
