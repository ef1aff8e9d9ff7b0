// HTTP overhead of the API stack (Fastify, auth, contracts, serializer) against bare node:http,
// both answering a small JSON body on loopback, measured in the same run with autocannon.
import autocannon from 'autocannon';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createTestApp } from '../test/support/server.js';
import type { BenchResult, BenchRow } from './run.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export async function run(): Promise<BenchResult> {
  const body = JSON.stringify({ status: 'ok', version: '0.0.0' });
  const bare = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  const t = await createTestApp();
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const ctx = { principal: { user: await t.platform.services.users.get(t.admin.username), via: 'local' as const } };
  const tok = await t.platform.services.tokens.create(ctx, { name: 'bench', role: 'admin' });
  await t.platform.services.projects.create(ctx, { name: 'bench' });

  const rows: BenchRow[] = [];
  const baseline = await load(bareUrl);
  const cases: Array<[string, string, Record<string, string>]> = [
    ['GET /api/v1/health (public; pings the stores)', `${address}/api/v1/health`, {}],
    ['GET /api/v1/projects/bench (token auth + permission check)', `${address}/api/v1/projects/bench`, { authorization: `Bearer ${tok.secret}` }],
  ];
  for (const [name, url, headers] of cases) {
    const r = await load(url, headers);
    if (r.errors) throw new Error(`${name}: ${r.errors} failed requests`);
    rows.push({ case: name, unit: 'requests/s', flywheel: r.rps, baseline: baseline.rps, baselineName: 'bare node:http', ratio: r.rps / baseline.rps });
    rows.push({ case: name, unit: 'ms p99', flywheel: r.p99, baseline: baseline.p99, baselineName: 'bare node:http', ratio: baseline.p99 / Math.max(r.p99, 0.001) });
  }
  await t.close();
  bare.close();
  return {
    name: 'http',
    machine: { cpus: availableParallelism(), node: process.version },
    rows,
    notes: [`${CONNECTIONS} connections, ${DURATION_S} s per case, load generator in the same process (both sides share 2 cores)`],
  };
}
