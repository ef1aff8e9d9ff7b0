// `npm run bench -- serve`: Flywheel's predict endpoint beside its baselines, all in one run, on
// loopback, a 100-tree gradient-boosted model on 20 numeric features (fitted with Flywheel's
// trainer, exported to ONNX; see serve-model.ts):
//   (a) the limit: bare node:http + JSON.parse + onnxruntime-node `run` per request, same ONNX file;
//   (b) a bare node:http server answering a fixed body;
//   (c) Flywheel's POST /api/v1/deployments/gbdt/predict, single rows at 50 connections, with a
//       data scientist's API token (authenticated and authorized per request), body validation,
//       /metrics and the prediction log on (targets: ≥ 0.7× (a)'s requests/s, p99 ≤ 1.5× (a)'s);
//   (d) ../shared/peers/flask_serve.py (Flask + scikit-learn under gunicorn) on its equivalent
//       scikit-learn model (100 trees, 31 leaves, 20 features);
//   (e) 1,000-row `{columns, data}` requests, Flywheel (prediction log on) and the limit doing the
//       same batch (target ≥ 150k rows/s).
// Every server is a child process; this process runs only autocannon, so each side of a
// comparison is measured the same way. The machine is shared and noisy: the servers are loaded in
// turn, BENCH_ROUNDS times (default 3), and each figure is the median of its rounds; besides
// throughput and latency, the CPU time each server process used per request is reported (it
// depends least on what else runs). BENCH_SECONDS (default 8) per load after one warm-up;
// BENCH_PROFILE=1 writes a CPU profile of the Flywheel process into bench/results/profiles/.
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';
import type { BenchResult, BenchRow } from './run.js';
import { BATCH_ROWS, buildServeModel, FEATURES, TREES } from './serve-model.js';
import { cpuSeconds, startFlask, startNode, threadCpuSeconds, type Server } from './serve-processes.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP_S = 3;
const CONNECTIONS = 50;
const BATCH_CONNECTIONS = 8;
/** onnxruntime threads per run, the same for Flywheel (FLYWHEEL_ORT_THREADS) and the limit server. */
const ORT_THREADS = process.env.FLYWHEEL_ORT_THREADS ?? '1';
const FLASK_PEER = fileURLToPath(new URL('../../shared/peers/flask_serve.py', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('./results/profiles', import.meta.url));
const PREDICT_PATH = '/api/v1/deployments/gbdt/predict';

interface Target {
  server: Server;
  path: string;
  body: string;
  headers?: Record<string, string>;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time of the server's processes per request (µs). */
  cpuUs: number;
  /** Of which its main thread (µs; the rest is other threads: I/O, the prediction log's rolling). */
  mainUs: number;
  /** 2xx answers. */
  ok: number;
}

/** Medians over the rounds of one server's loads. */
function summary(loads: Load[]): Load {
  const m = (f: (l: Load) => number) => median(loads.map(f));
  return { rps: m((l) => l.rps), p50: m((l) => l.p50), p99: m((l) => l.p99), cpuUs: m((l) => l.cpuUs), mainUs: m((l) => l.mainUs), ok: loads.reduce((n, l) => n + l.ok, 0) };
}

async function load(t: Target, connections: number, duration: number): Promise<Load> {
  const opts = { url: `${t.server.url}${t.path}`, method: 'POST' as const, body: t.body, connections, duration, headers: { 'content-type': 'application/json', ...t.headers } };
  const cpu0 = cpuSeconds(t.server.pids);
  const main0 = threadCpuSeconds(t.server.pids[0]).main;
  const r = await autocannon(opts);
  const cpu = cpuSeconds(t.server.pids) - cpu0;
  const main = threadCpuSeconds(t.server.pids[0]).main - main0;
  const failed = r.errors + r.non2xx + r.timeouts;
  if (failed > 0) throw new Error(`${t.server.name} ${t.path}: ${failed} failed requests (errors ${r.errors}, non-2xx ${r.non2xx}, timeouts ${r.timeouts})`);
  const n = Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: (cpu * 1e6) / n, mainUs: (main * 1e6) / n, ok: r['2xx'] };
}

/** Warm each target up, then load them in turn, ROUNDS times; answers every round's load per target. */
async function rounds(targets: Target[], connections: number): Promise<{ loads: Load[][]; warmOk: number[] }> {
  const warmOk: number[] = [];
  for (const t of targets) warmOk.push((await load(t, connections, WARMUP_S)).ok);
  const loads: Load[][] = targets.map(() => []);
  for (let r = 0; r < ROUNDS; r++) for (const [i, t] of targets.entries()) loads[i].push(await load(t, connections, DURATION_S));
  return { loads, warmOk };
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, json: await res.json() };
}

type Answer = { predictions: Array<{ label: string; probabilities: Record<string, number> }> };

/** Flywheel and the limit must answer the same model's outputs for the same rows. */
function sameOutputs(a: Answer, b: Answer): boolean {
  return a.predictions.length === b.predictions.length && a.predictions.every((p, i) => p.label === b.predictions[i].label && Object.keys(p.probabilities).every((k) => Math.abs(p.probabilities[k] - b.predictions[i].probabilities[k]) < 1e-6));
}

/** Rows in model runs and the number of runs, over all of Flywheel's deployments, from /metrics. */
function modelRuns(metrics: string): { rows: number; runs: number } {
  const sum = /flywheel_serving_model_batch_rows_sum\{[^}]*\} (\d+)/.exec(metrics);
  const count = /flywheel_serving_model_batch_rows_count\{[^}]*\} (\d+)/.exec(metrics);
  return { rows: Number(sum?.[1] ?? 0), runs: Number(count?.[1] ?? 0) };
}

const cpuNote = (name: string, l: Load, unit = 'request') => `${name} ${l.cpuUs >= 10_000 ? `${(l.cpuUs / 1000).toFixed(1)} ms` : `${l.cpuUs.toFixed(0)} µs`} per ${unit}`;

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-bench-serve-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const servers: Server[] = [];
  const started = async (s: Promise<Server>) => {
    const server = await s;
    servers.push(server);
    return server;
  };
  try {
    const t0 = performance.now();
    const model = buildServeModel(dir);
    notes.push(`model: ${TREES} trees × 31 leaves on ${FEATURES} numeric features, fitted with fitGbdt on 20k synthetic rows in ${((performance.now() - t0) / 1000).toFixed(1)} s, exported to ONNX; single-row body ${model.singleBody.length} B, batch body ${(model.batchBody.length / 1024).toFixed(0)} KiB`);

    const profile = process.env.BENCH_PROFILE === '1';
    if (profile) mkdirSync(PROFILE_DIR, { recursive: true });
    const fixed = await started(startNode('fixed', 'bench/serve-bare-server.ts', ['fixed']));
    const limit = await started(startNode('limit', 'bench/serve-bare-server.ts', ['limit', model.onnxPath, JSON.stringify(['no', 'yes'])], { env: { BENCH_ORT_THREADS: ORT_THREADS } }));
    const flywheel = await started(
      startNode('flywheel', 'bench/serve-flywheel-server.ts', [join(dir, 'home'), model.onnxPath], {
        discardStdout: true,
        env: { FLYWHEEL_ORT_THREADS: ORT_THREADS },
        // The flag `flywheel up` runs with (bin/flywheel.js).
        nodeArgs: ['--max-semi-space-size=32', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [])],
      }),
    );
    const flask = await startFlask(FLASK_PEER, FEATURES);
    if (typeof flask === 'string') notes.push(`(d) Flask peer skipped: ${flask}`);
    else servers.push(flask);

    const auth = { authorization: `Bearer ${flywheel.extra[0]}` };
    const check = await post(`${flywheel.url}${PREDICT_PATH}`, model.batchBody, auth);
    const want = await post(`${limit.url}/`, model.batchBody);
    if (check.status !== 200) throw new Error(`Flywheel answered ${check.status}: ${JSON.stringify(check.json)}`);
    if (!sameOutputs(check.json as Answer, want.json as Answer)) throw new Error('Flywheel and the limit server disagree on the model outputs');
    notes.push(`check: Flywheel and the limit server answer the same labels and probabilities (within 1e-6) for the ${BATCH_ROWS} batch rows`);

    // Single rows: every server in turn, each round.
    const singles: Target[] = [
      { server: fixed, path: '/', body: model.singleBody },
      { server: limit, path: '/', body: model.singleBody },
      { server: flywheel, path: PREDICT_PATH, body: model.singleBody, headers: auth },
      ...(typeof flask === 'string' ? [] : [{ server: flask, path: '/invocations', body: model.flaskSingleBody }]),
    ];
    const runsBefore = modelRuns(await (await fetch(`${flywheel.url}/metrics`)).text());
    const single = await rounds(singles, CONNECTIONS);
    const [fixedL, limitL, fwL, flaskL] = single.loads.map(summary);
    const runsSingle = modelRuns(await (await fetch(`${flywheel.url}/metrics`)).text());
    const singleRuns = { rows: runsSingle.rows - runsBefore.rows, runs: runsSingle.runs - runsBefore.runs };
    // Batches of 1,000 rows: the limit and Flywheel in turn.
    const batches = await rounds(
      [
        { server: limit, path: '/', body: model.batchBody },
        { server: flywheel, path: PREDICT_PATH, body: model.batchBody, headers: auth },
      ],
      BATCH_CONNECTIONS,
    );
    const [limitB, fwB] = batches.loads.map(summary);
    const allRuns = modelRuns(await (await fetch(`${flywheel.url}/metrics`)).text());

    const s = `single row, ${CONNECTIONS} connections`;
    const limitName = 'limit: node:http + ORT run';
    rows.push({ case: `(c) Flywheel predict vs (a) limit, ${s} [target ≥ 0.7]`, unit: 'requests/s', flywheel: fwL.rps, baseline: limitL.rps, baselineName: limitName, ratio: fwL.rps / limitL.rps });
    rows.push({ case: `(c) Flywheel predict vs (a) limit, ${s} [target ≥ 0.667: p99 ≤ 1.5×]`, unit: 'ms p99', flywheel: fwL.p99, baseline: limitL.p99, baselineName: limitName, ratio: limitL.p99 / Math.max(fwL.p99, 0.001) });
    rows.push({ case: `(c) Flywheel predict vs (a) limit, ${s}: server CPU per request`, unit: 'µs (lower is better)', flywheel: fwL.cpuUs, baseline: limitL.cpuUs, baselineName: limitName, ratio: limitL.cpuUs / fwL.cpuUs });
    rows.push({ case: `(c) Flywheel predict vs (b) fixed body, ${s}`, unit: 'requests/s', flywheel: fwL.rps, baseline: fixedL.rps, baselineName: 'bare node:http, fixed body', ratio: fwL.rps / fixedL.rps });
    rows.push({ case: `(a) limit vs (b) fixed body, ${s}`, unit: 'requests/s', flywheel: limitL.rps, baseline: fixedL.rps, baselineName: 'bare node:http, fixed body', ratio: limitL.rps / fixedL.rps });
    if (flaskL) {
      rows.push({ case: `(c) Flywheel predict vs (d) Flask + scikit-learn, ${s}`, unit: 'requests/s', flywheel: fwL.rps, baseline: flaskL.rps, baselineName: 'flask_serve.py (gunicorn, 2 workers)', ratio: fwL.rps / flaskL.rps });
      rows.push({ case: `(c) Flywheel predict vs (d) Flask + scikit-learn, ${s}`, unit: 'ms p99', flywheel: fwL.p99, baseline: flaskL.p99, baselineName: 'flask_serve.py (gunicorn, 2 workers)', ratio: flaskL.p99 / Math.max(fwL.p99, 0.001) });
    }
    const b = `${BATCH_ROWS}-row {columns, data}, ${BATCH_CONNECTIONS} connections`;
    rows.push({ case: `(e) Flywheel predict vs limit, ${b} [target ≥ 150k rows/s]`, unit: 'rows/s', flywheel: fwB.rps * BATCH_ROWS, baseline: limitB.rps * BATCH_ROWS, baselineName: limitName, ratio: fwB.rps / limitB.rps });
    rows.push({ case: `(e) Flywheel predict vs limit, ${b}`, unit: 'ms p99', flywheel: fwB.p99, baseline: limitB.p99, baselineName: limitName, ratio: limitB.p99 / Math.max(fwB.p99, 0.001) });
    rows.push({ case: `(e) Flywheel predict vs limit, ${b}: server CPU per request`, unit: 'ms (lower is better)', flywheel: fwB.cpuUs / 1000, baseline: limitB.cpuUs / 1000, baselineName: limitName, ratio: limitB.cpuUs / fwB.cpuUs });

    notes.push(
      `micro-batching (default settings: 64 rows, 2 ms): the single-row loads made ${singleRuns.runs.toLocaleString('en')} model runs for ${singleRuns.rows.toLocaleString('en')} requests, ${(singleRuns.rows / Math.max(1, singleRuns.runs)).toFixed(1)} rows a run on average; ` +
        `the 1,000-row requests ran alone (${(allRuns.runs - runsSingle.runs).toLocaleString('en')} runs for ${(allRuns.rows - runsSingle.rows).toLocaleString('en')} rows)`,
    );
    notes.push(`server CPU per request (median of the rounds): single row — ${cpuNote('fixed body', fixedL)}, ${cpuNote('limit', limitL)}, ${cpuNote('Flywheel', fwL)}${flaskL ? `, ${cpuNote('Flask (master + workers)', flaskL)}` : ''}; 1,000-row batch — ${cpuNote('limit', limitB)}, ${cpuNote('Flywheel', fwB)}`);
    notes.push(
      `main thread CPU per request: single row — limit ${limitL.mainUs.toFixed(0)} µs, Flywheel ${fwL.mainUs.toFixed(0)} µs; 1,000-row batch — limit ${(limitB.mainUs / 1000).toFixed(1)} ms, Flywheel ${(fwB.mainUs / 1000).toFixed(1)} ms ` +
        `(one free core would then serve ${Math.round((1e6 / limitB.mainUs) * BATCH_ROWS).toLocaleString('en')} and ${Math.round((1e6 / fwB.mainUs) * BATCH_ROWS).toLocaleString('en')} rows/s; Flywheel's other threads — the prediction log's rolling into Parquet, I/O — add ${((fwB.cpuUs - fwB.mainUs) / 1000).toFixed(1)} ms a request)`,
    );
    notes.push(`p50: Flywheel ${fwL.p50} ms, limit ${limitL.p50} ms, fixed body ${fixedL.p50} ms${flaskL ? `, Flask ${flaskL.p50} ms` : ''} (autocannon records whole milliseconds)`);
    const ev = (l: number[][]) => l.map((x) => x.map((v) => Math.round(v)).join('/'));
    notes.push(`rounds (requests/s per round): single row — fixed ${ev([single.loads[0].map((l) => l.rps)])}, limit ${ev([single.loads[1].map((l) => l.rps)])}, Flywheel ${ev([single.loads[2].map((l) => l.rps)])}${flaskL ? `, Flask ${ev([single.loads[3].map((l) => l.rps)])}` : ''}; batches — limit ${ev([batches.loads[0].map((l) => l.rps)])}, Flywheel ${ev([batches.loads[1].map((l) => l.rps)])}`);

    // The prediction log: every answered row is in a registered segment after the graceful shutdown.
    const answered = single.warmOk[2] + fwL.ok + (batches.warmOk[1] + fwB.ok + 1) * BATCH_ROWS;
    const inFlight = (1 + ROUNDS) * (CONNECTIONS + BATCH_CONNECTIONS * BATCH_ROWS);
    servers.splice(servers.indexOf(flywheel), 1);
    const closed = /CLOSED (\d+)/.exec(await flywheel.stop());
    const logged = closed ? Number(closed[1]) : NaN;
    const complete = logged >= answered && logged - answered <= inFlight;
    notes.push(
      `prediction log: ${answered.toLocaleString('en')} rows answered to autocannon, ${logged.toLocaleString('en')} in registered Parquet segments after the graceful shutdown ` +
        `(${complete ? `every answered row; the ${(logged - answered).toLocaleString('en')} more were answered after autocannon stopped counting` : 'MISMATCH'})`,
    );
    if (profile) notes.push(`CPU profile of the Flywheel process written to ${PROFILE_DIR}`);
    notes.push(
      `each figure is the median of ${ROUNDS} rounds (servers loaded in turn, ${DURATION_S} s each, after a ${WARMUP_S} s warm-up); servers run as child processes (node --import tsx; the Flask peer under gunicorn with 2 gthread workers of one thread, OMP_NUM_THREADS=1); autocannon runs in the benchmark process; onnxruntime with ${ORT_THREADS} thread(s) per run in both Flywheel and the limit; 2 cores shared by all`,
    );
    notes.push('ratio: Flywheel ÷ baseline for throughput, baseline ÷ Flywheel for latency and CPU (above 1: Flywheel is better)');
    return { name: 'serve', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
