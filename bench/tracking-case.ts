// The tracking cases of `npm run bench -- train` (alone: BENCH_TRAIN_ONLY=tracking, or
// `node --import tsx bench/tracking-case.ts` for a profile; BENCH_TRACKING_ONLY=log-batch|runs,
// BENCH_TRACKING_BATCHES, BENCH_TRACKING_RUNS, BENCH_TRACKING_REPEATS), each beside its baseline:
//   (a) MLflow log-batch, 1,000 metrics per request over HTTP on SQLite, beside a bare node:http
//       server inserting the same 1,000 rows with better-sqlite3 in one transaction into a
//       database of the same layout (and MLflow's published 8.4k metrics/s as a reference);
//   (b) the runs list with 100k runs in one experiment (first page: default order, sorted by a
//       metric, filtered and sorted), over HTTP (MLflow runs/search and the UI's endpoint),
//       beside the same question asked in plain SQL on the same SQLite file.
import Database from 'better-sqlite3';
import { once } from 'node:events';
import { createServer, request, Agent, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { newId } from '../src/domain/ids.js';
import { createTestApp, type TestApp } from '../test/support/server.js';
import { median } from './median.js';
import type { BenchResult, BenchRow } from './run.js';

const BATCHES = Number(process.env.BENCH_TRACKING_BATCHES ?? 100);
const ROUNDS = 3;
const CONCURRENCY = 4;
const RUNS = Number(process.env.BENCH_TRACKING_RUNS ?? 100_000);
const REPEATS = Number(process.env.BENCH_TRACKING_REPEATS ?? 15);
/** MLflow's Python tracking server in log-batch, as its Go rewrite's benchmarks report it. */
const MLFLOW_PUBLISHED = 8_400;
const FILTER = "metrics.auc > 0.9 and params.algo = 'gbdt'";

interface Posted {
  status: number;
  body: string;
}

function post(agent: Agent, url: string, body: string, headers: Record<string, string> = {}): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(agent: Agent, url: string, headers: Record<string, string>): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One log-batch body: 10 keys × 100 steps, starting at `step0`. */
function batchBody(runId: string, step0: number): string {
  const metrics = [];
  for (let s = 0; s < 100; s++) {
    for (let k = 0; k < 10; k++) metrics.push({ key: `metric_${k}`, value: Math.sin(step0 + s + k) + k, timestamp: 1_700_000_000_000 + step0 + s, step: step0 + s });
  }
  return JSON.stringify({ run_id: runId, metrics });
}

/** Send `bodies` to `url` over CONCURRENCY keep-alive connections; metrics per second. */
async function drive(url: string, bodies: string[], headers: Record<string, string>): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await post(agent, url, body, headers);
        if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.body.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return (bodies.length * 1000) / seconds;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A signed-in admin context, a project and an API token whose default project it is (MLflow calls). */
export async function benchProject(t: TestApp, name: string): Promise<{ token: string; projectId: string }> {
  const ctx = { principal: { user: await t.platform.services.users.get(t.admin.username), via: 'local' as const } };
  const project = await t.platform.services.projects.create(ctx, { name });
  const tok = await t.platform.services.tokens.create(ctx, { name: 'bench', role: 'admin', project: name });
  return { token: tok.secret, projectId: project.id };
}

/** The bare server: parse the body, insert its metrics in one better-sqlite3 transaction. */
async function bareLogBatch(file: string): Promise<{ url: string; close: () => void }> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const cols = (db.prepare("SELECT name FROM pragma_table_info('run_metrics')").all() as Array<{ name: string }>).map((c) => c.name);
  const hasNan = cols.includes('is_nan');
  const insert = db.prepare(
    hasNan
      ? 'INSERT INTO run_metrics (run_id, key, value, step, timestamp, is_nan) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING'
      : 'INSERT INTO run_metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAll = db.transaction((runId: string, metrics: Array<{ key: string; value: number; step: number; timestamp: number }>) => {
    for (const m of metrics) insert.run(runId, m.key, m.value, m.step, m.timestamp);
  });
  const server = createServer(async (req, res) => {
    const { run_id, metrics } = JSON.parse(await readBody(req)) as { run_id: string; metrics: Array<{ key: string; value: number; step: number; timestamp: number }> };
    insertAll(run_id, metrics);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const url = await listen(server);
  return {
    url,
    close: () => {
      server.close();
      db.close();
    },
  };
}

/** A database file with Flywheel's layout (its migrations) and parent rows for `runIds`. */
async function sameLayout(runIds: string[]): Promise<{ file: string; close: () => Promise<void> }> {
  const t = await createTestApp();
  const file = join(t.home, 'flywheel.db');
  const db = t.platform.store.db;
  const { projectId } = await benchProject(t, 'bare');
  const experiment = await t.platform.store.tracking.ensureExperiment(projectId, 'bare', Date.now());
  for (const id of runIds) {
    await db
      .insertInto('runs')
      .values({ id, project_id: projectId, experiment_id: experiment.id, name: id, status: 'running', spec: '{}', dataset_version_id: null, seed: null, code_version: null, job_id: null, model_artifact_sha256: null, model_version_id: null, gate: null, error: null, created_by: null, created_at: Date.now(), start_time: Date.now(), end_time: null })
      .execute();
  }
  await t.app.close();
  await t.platform.close();
  return { file, close: async () => undefined };
}

async function logBatchCase(rows: BenchRow[], notes: string[]): Promise<void> {
  const t = await createTestApp();
  try {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { token } = await benchProject(t, 'bench');
    const auth = { authorization: `Bearer ${token}` };
    const agent = new Agent({ keepAlive: true });
    const runIds: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const r = await post(agent, `${base}/api/2.0/mlflow/runs/create`, JSON.stringify({ experiment_id: '0', run_name: `bench-${i}`, start_time: Date.now() }), auth);
      if (r.status !== 200) throw new Error(`runs/create: ${r.status} ${r.body}`);
      runIds.push((JSON.parse(r.body) as { run: { info: { run_id: string } } }).run.info.run_id);
    }
    agent.destroy();
    const bodies = (ids: string[], offset: number, n: number) => Array.from({ length: n }, (_, i) => batchBody(ids[i % ids.length], (offset + Math.floor(i / ids.length)) * 100));

    const bareIds = Array.from({ length: CONCURRENCY }, () => newId());
    const layout = await sameLayout(bareIds);
    const bare = await bareLogBatch(layout.file);
    try {
      // Warm both up (JIT, caches), then measure each on a fresh range of steps.
      await drive(`${bare.url}/`, bodies(bareIds, 0, 8), {});
      await drive(`${base}/api/2.0/mlflow/runs/log-batch`, bodies(runIds, 0, 8), auth);
      // Rounds alternate the two servers, so a load that comes and goes on the shared cores hits both.
      const rates = { bare: [] as number[], flywheel: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const offset = 10 + round * BATCHES;
        rates.bare.push(await drive(`${bare.url}/`, bodies(bareIds, offset, BATCHES), {}));
        rates.flywheel.push(await drive(`${base}/api/2.0/mlflow/runs/log-batch`, bodies(runIds, offset, BATCHES), auth));
      }
      const baseline = median(rates.bare);
      const flywheel = median(rates.flywheel);
      rows.push({ case: 'MLflow log-batch, 1,000 metrics/request, HTTP, SQLite', unit: 'metrics/s', flywheel, baseline, baselineName: 'bare node:http + better-sqlite3, one transaction', ratio: flywheel / baseline });
      rows.push({ case: 'MLflow log-batch vs MLflow (published)', unit: 'metrics/s', flywheel, baseline: MLFLOW_PUBLISHED, baselineName: "MLflow's Python server (published)", ratio: flywheel / MLFLOW_PUBLISHED });
      notes.push(
        `log-batch: ${ROUNDS} rounds of ${BATCHES} requests × 1,000 metrics (10 keys × 100 steps) on ${CONCURRENCY} keep-alive connections, ${CONCURRENCY} runs, the median round; Flywheel rounds ${rates.flywheel.map((r) => Math.round(r)).join(', ')}, bare ${rates.bare.map((r) => Math.round(r)).join(', ')}; Flywheel ${Math.round(flywheel)} metrics/s (${(flywheel / MLFLOW_PUBLISHED).toFixed(1)}× MLflow's published ${MLFLOW_PUBLISHED}), bare ${Math.round(baseline)} metrics/s; each Flywheel request is authenticated, validated, keeps each key's latest value and writes one audit event`,
      );
    } finally {
      bare.close();
      await layout.close();
    }
  } finally {
    await t.close();
  }
}

const ALGOS = ['gbdt', 'lr', 'rf', 'mlp'];

/** 100k runs in one experiment, straight through the store's database in multi-row inserts. */
export async function seedRuns(t: TestApp, projectId: string, experimentId: string, n: number): Promise<void> {
  const db = t.platform.store.db;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const t0 = 1_700_000_000_000;
  const CHUNK = 500;
  const latestCols = await sql<{ name: string }>`SELECT name FROM pragma_table_info('run_latest_metrics')`.execute(db);
  const hasLatest = latestCols.rows.length > 0;
  await db.transaction().execute(async (tx) => {
    for (let from = 0; from < n; from += CHUNK) {
      const runs = [];
      const params = [];
      const metrics = [];
      const tags = [];
      for (let i = from; i < Math.min(n, from + CHUNK); i++) {
        const id = newId();
        const start = t0 + i * 1000;
        runs.push({ id, project_id: projectId, experiment_id: experimentId, name: `run-${i}`, status: 'finished', spec: '{"source":"mlflow"}', dataset_version_id: null, seed: null, code_version: null, job_id: null, model_artifact_sha256: null, model_version_id: null, gate: null, error: null, created_by: null, created_at: start, start_time: start, end_time: start + 500, user_id: 'bench' });
        params.push({ run_id: id, key: 'algo', value: ALGOS[i % ALGOS.length] }, { run_id: id, key: 'lr', value: (0.01 + rand() * 0.2).toFixed(4) });
        metrics.push({ run_id: id, key: 'auc', value: 0.5 + rand() * 0.5, step: 0, timestamp: start }, { run_id: id, key: 'loss', value: rand(), step: 0, timestamp: start });
        tags.push({ run_id: id, key: 'mlflow.runName', value: `run-${i}` }, { run_id: id, key: 'team', value: i % 3 === 0 ? 'vision' : 'tabular' });
      }
      await tx.insertInto('runs').values(runs).execute();
      await tx.insertInto('run_params').values(params).execute();
      await tx.insertInto('run_metrics').values(metrics).execute();
      if (hasLatest) await tx.insertInto('run_latest_metrics' as never).values(metrics.map((m) => ({ ...m, experiment_id: experimentId, is_nan: 0 })) as never).execute();
      await tx.insertInto('run_tags').values(tags).execute();
    }
  });
}

interface Timed {
  median: number;
  p95: number;
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<Timed> {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)] };
}

async function runsListCase(rows: BenchRow[], notes: string[]): Promise<void> {
  const t = await createTestApp();
  try {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { token, projectId } = await benchProject(t, 'bench');
    const auth = { authorization: `Bearer ${token}` };
    const experiment = await t.platform.store.tracking.ensureExperiment(projectId, 'big', Date.now());
    const seeded = performance.now();
    await seedRuns(t, projectId, experiment.id, RUNS);
    notes.push(`runs list: ${RUNS} runs seeded in one experiment in ${((performance.now() - seeded) / 1000).toFixed(1)} s (multi-row inserts through the store's database)`);

    const agent = new Agent({ keepAlive: true });
    const search = (body: Record<string, unknown>) => async () => {
      const r = await post(agent, `${base}/api/2.0/mlflow/runs/search`, JSON.stringify({ experiment_ids: [experiment.id], max_results: 50, ...body }), auth);
      if (r.status !== 200) throw new Error(`runs/search: ${r.status} ${r.body.slice(0, 300)}`);
      const n = (JSON.parse(r.body) as { runs?: unknown[] }).runs?.length ?? 0;
      if (n !== 50) throw new Error(`runs/search answered ${n} runs, expected 50`);
    };
    const v1Path = `${base}/api/v1/projects/bench/experiments/${experiment.id}/runs`;
    const probe = await get(agent, `${v1Path}?limit=1`, auth);
    /** The count the UI asks for beside its first page (it does not hold the rows back). */
    const countV1 = (query: Record<string, string>) => async () => {
      const r = await get(agent, `${v1Path}?${new URLSearchParams({ limit: '1', count: 'true', ...query })}`, auth);
      if (r.status !== 200) throw new Error(`runs count: ${r.status} ${r.body.slice(0, 300)}`);
    };
    const listV1 = (query: Record<string, string>) => async () => {
      const r = await get(agent, `${v1Path}?${new URLSearchParams({ limit: '50', ...query })}`, auth);
      if (r.status !== 200) throw new Error(`runs list: ${r.status} ${r.body.slice(0, 300)}`);
      const n = (JSON.parse(r.body) as { items: unknown[] }).items.length;
      if (n !== 50) throw new Error(`runs list answered ${n} runs, expected 50`);
    };

    // The baseline: the same first pages in plain SQL on the same file (a separate connection).
    const file = join(t.home, 'flywheel.db');
    const raw = new Database(file, { readonly: true });
    // The floor: the same first page asked directly with the indexes the file has.
    const plain = {
      default: raw.prepare(
        `SELECT r.id, r.name FROM runs r WHERE r.project_id = ? AND r.experiment_id = ? AND r.lifecycle_stage = 'active' ORDER BY COALESCE(r.start_time, r.created_at) DESC, r.id LIMIT 50`,
      ),
      sorted: raw.prepare(
        `SELECT r.id, r.name, m.value FROM run_latest_metrics m JOIN runs r ON r.id = m.run_id
         WHERE m.experiment_id = ? AND m.key = 'auc' AND m.is_nan = 0 AND r.lifecycle_stage = 'active' ORDER BY m.value DESC LIMIT 50`,
      ),
      filtered: raw.prepare(
        `SELECT r.id, r.name, m.value FROM run_latest_metrics m JOIN runs r ON r.id = m.run_id JOIN run_params p ON p.run_id = r.id AND p.key = 'algo'
         WHERE m.experiment_id = ? AND m.key = 'auc' AND m.is_nan = 0 AND m.value > 0.9 AND p.value = 'gbdt' AND r.lifecycle_stage = 'active' ORDER BY m.value DESC LIMIT 50`,
      ),
    };
    const cases: Array<[string, () => Promise<void>, (() => Promise<void>) | null, Database.Statement]> = [
      ['first page, newest first', search({}), listV1({}), plain.default],
      ['first page, sorted by metrics.auc DESC', search({ order_by: ['metrics.auc DESC'] }), listV1({ order_by: 'metrics.auc DESC' }), plain.sorted],
      [`first page, ${FILTER}, by auc`, search({ filter: FILTER, order_by: ['metrics.auc DESC'] }), listV1({ filter: FILTER, order_by: 'metrics.auc DESC' }), plain.filtered],
    ];
    for (const [name, mlflow, v1, statement] of cases) {
      const baseline = await timed(() => {
        const got = statement === plain.default ? statement.all(projectId, experiment.id) : statement.all(experiment.id);
        if (got.length !== 50) throw new Error(`plain SQL answered ${got.length} rows`);
      });
      const viaMlflow = await timed(mlflow);
      rows.push({ case: `runs (${RUNS}): ${name}, MLflow runs/search`, unit: 'ms median (lower is better)', flywheel: viaMlflow.median, baseline: baseline.median, baselineName: 'plain SQL, better-sqlite3, same file', ratio: baseline.median / viaMlflow.median });
      let line = `${name}: MLflow runs/search median ${viaMlflow.median.toFixed(1)} ms (p95 ${viaMlflow.p95.toFixed(1)})`;
      if (v1 && probe.status === 200) {
        const viaUi = await timed(v1);
        rows.push({ case: `runs (${RUNS}): ${name}, UI runs list`, unit: 'ms median (lower is better)', flywheel: viaUi.median, baseline: baseline.median, baselineName: 'plain SQL, better-sqlite3, same file', ratio: baseline.median / viaUi.median });
        const counted = await timed(countV1(name.includes('metrics.auc >') ? { filter: FILTER } : {}));
        line += `, UI list median ${viaUi.median.toFixed(1)} ms (p95 ${viaUi.p95.toFixed(1)}), its count of matching runs (asked beside the page) median ${counted.median.toFixed(1)} ms`;
      }
      notes.push(`${line}, plain SQL median ${baseline.median.toFixed(1)} ms; target < 200 ms`);
    }
    raw.close();
    agent.destroy();
  } finally {
    await t.close();
  }
}

/** Every tracking case: rows for the benchmark table, and notes. */
export async function trackingRows(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const only = process.env.BENCH_TRACKING_ONLY;
  if (only !== 'runs') await logBatchCase(rows, notes);
  if (only !== 'log-batch') await runsListCase(rows, notes);
  notes.push('tracking ratios: Flywheel ÷ baseline for throughput, baseline ÷ Flywheel for latency (above 1: Flywheel is faster)');
  return { rows, notes };
}

/** The tracking cases as a whole benchmark result (BENCH_TRAIN_ONLY=tracking). */
export async function trackingResult(): Promise<BenchResult> {
  const { rows, notes } = await trackingRows();
  return { name: 'train', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const result = await trackingResult();
  console.table(result.rows.map((r) => ({ case: r.case, unit: r.unit, flywheel: Number(r.flywheel.toFixed(2)), baseline: `${Number(r.baseline.toFixed(2))} (${r.baselineName})`, ratio: Number(r.ratio.toFixed(3)) })));
  for (const n of result.notes) console.log(`- ${n}`);
  process.exit(0);
}
