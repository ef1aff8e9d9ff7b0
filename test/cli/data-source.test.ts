// `flywheel data source add|list|update|run|runs|remove` in local mode: an HTTP source served by
// a local server is pulled now (the pull is a background job run by the command), a disabled one
// too, a 404 fails the command with the status, bad input names the option or field, and a
// PostgreSQL connection string read from the environment never shows.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

describe('flywheel data source, local mode', () => {
  const home = tempDir('flywheel-cli-source-');
  // The sources below are served from this host, which the default address policy refuses.
  const env: Record<string, string> = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'feeds', FLYWHEEL_WORKERS: '1', FLYWHEEL_SOURCE_NETWORKS: 'any', WAREHOUSE_URL: 'postgres://loader:wh-pass-91c2@127.0.0.1:9/sales' };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/prices.csv') return void res.writeHead(200, { 'content-type': 'text/csv' }).end('sku,price\na1,9.5\nb2,12\n');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await cli(['project', 'create', 'feeds'], env)).code).toBe(0);
  }, 60_000);
  afterAll(() => new Promise((r) => server.close(r)));

  it('adds an HTTP source (and its dataset), pulls it now, and lists it with its schedule and last runs', async () => {
    const created = await cli(['data', 'source', 'add', 'daily', '--dataset', 'prices', '--url', `${base}/prices.csv`, '--schedule', '0 6 * * *', '--timezone', 'Europe/Oslo'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`source daily (http): ${base}/prices.csv`);
    expect(created.stdout).toContain('schedule 0 6 * * * (Europe/Oslo); next run 20');

    const run = await cli(['data', 'source', 'run', 'daily', '--dataset', 'prices'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('pull of daily: 2 staged, 0 quarantined (read 2 rows)');

    const list = await cli(['data', 'source', 'list', '--dataset', 'prices'], env);
    expect(list.stdout).toMatch(/daily\s+http\s+0 6 \* \* \*\s+Europe\/Oslo\s+yes\s+20\S+\s+20\S+ 2 staged, 0 quarantined/);
    const runs = await cli(['data', 'source', 'runs', 'daily', '--dataset', 'prices', '--json'], env);
    expect(runs.json().items).toMatchObject([{ trigger: 'manual', status: 'succeeded', rows_read: 2, rows_staged: 2 }]);
    const commit = await cli(['data', 'commit', '--dataset', 'prices'], env);
    expect(commit.stdout).toContain('prices version 1: 2 rows');

    // A disabled source has no next run, and is still pulled by hand (the run is recorded).
    expect((await cli(['data', 'source', 'update', 'daily', '--dataset', 'prices', '--disable'], env)).stdout).toContain('schedule 0 6 * * * (Europe/Oslo), disabled; next run -');
    const byHand = await cli(['data', 'source', 'run', 'daily', '--dataset', 'prices'], env);
    expect(byHand.code, byHand.stderr).toBe(0);
    expect(byHand.stdout).toContain('pull of daily: unchanged (read 2 rows)');
    expect((await cli(['data', 'source', 'runs', 'daily', '--dataset', 'prices', '--json'], env)).json().items.map((r: { trigger: string }) => r.trigger)).toEqual(['manual', 'manual']);
  }, 60_000);

  it('fails a pull of a missing file with the status, and refuses bad input naming what is wrong', async () => {
    expect((await cli(['data', 'source', 'add', 'gone', '--dataset', 'prices', '--url', `${base}/gone.csv`, '--schedule', '*/10 * * * *'], env)).code).toBe(0);
    const failed = await cli(['data', 'source', 'run', 'gone', '--dataset', 'prices'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`pull of gone failed: GET ${base}/gone.csv answered HTTP 404 Not Found`);

    const badCron = await cli(['data', 'source', 'update', 'gone', '--dataset', 'prices', '--schedule', 'hourly'], env);
    expect(badCron.code).toBe(1);
    expect(badCron.stderr).toMatch(/body\.schedule must be a cron expression of five fields/);
    const badZone = await cli(['data', 'source', 'add', 'x', '--dataset', 'prices', '--url', `${base}/x.csv`, '--schedule', '0 * * * *', '--timezone', 'Moon/Base'], env);
    expect(badZone.stderr).toMatch(/body\.timezone must be an IANA time zone/);
    const badScheme = await cli(['data', 'source', 'add', 'x', '--dataset', 'prices', '--url', 'file:///etc/passwd', '--schedule', '0 * * * *'], env);
    expect(badScheme.stderr).toMatch(/body\.url must use http:\/\/ or https:\/\//);
    const nothing = await cli(['data', 'source', 'add', 'x', '--dataset', 'prices', '--schedule', '0 * * * *'], env);
    expect(nothing.stderr).toMatch(/--url for an HTTP\(S\) file, or --query/);
    const unset = await cli(['data', 'source', 'add', 'x', '--dataset', 'prices', '--query', 'select 1', '--connection-env', 'NO_SUCH_VAR', '--schedule', '0 * * * *'], env);
    expect(unset.stderr).toMatch(/NO_SUCH_VAR \(--connection-env\) is not set/);

    const disabled = await cli(['data', 'source', 'update', 'gone', '--dataset', 'prices', '--disable', '--json'], env);
    expect(disabled.json()).toMatchObject({ enabled: false });
    expect((await cli(['data', 'source', 'remove', 'gone', '--dataset', 'prices'], env)).stdout).toContain('removed source gone');
    expect((await cli(['data', 'source', 'runs', 'gone', '--dataset', 'prices'], env)).stderr).toMatch(/dataset source 'gone' was not found/);
  }, 60_000);

  it('keeps a PostgreSQL connection string read from the environment out of every output', async () => {
    const added = await cli(['data', 'source', 'add', 'orders', '--dataset', 'sales', '--query', 'SELECT * FROM orders', '--connection-env', 'WAREHOUSE_URL', '--schedule', '30 1 * * *', '--commit-every-rows', '1000', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json()).toMatchObject({ kind: 'postgres', location: 'postgres://127.0.0.1:9/sales', query: 'SELECT * FROM orders', commit_every_rows: 1000 });
    const outputs = [added, await cli(['data', 'source', 'list', '--dataset', 'sales', '--json'], env), await cli(['data', 'source', 'list', '--dataset', 'sales'], env)];
    for (const o of outputs) expect(o.stdout + o.stderr).not.toContain('wh-pass-91c2');
  });
});
