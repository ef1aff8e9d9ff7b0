// `npm run bench -- data`: ingest (+ cleansing rules, profile and commit) of a generated
// 1M × 20 CSV and of vega-datasets' flights-3m.parquet, each beside plain DuckDB reading the same
// file and running SUMMARIZE, every case in its own process (time and peak memory); then push
// ingest of 1,000-row batches over HTTP beside a bare node:http server that parses and appends them.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createTestApp } from '../test/support/server.js';
import { median } from './median.js';
import type { BenchResult, BenchRow } from './run.js';

const ROWS = Number(process.env.BENCH_DATA_ROWS ?? 1_000_000);
const PUSH_BATCHES = Number(process.env.BENCH_PUSH_BATCHES ?? 200);
const PUSH_CONCURRENCY = Number(process.env.BENCH_PUSH_CONCURRENCY ?? 4);
/** Batches pushed before the timed ones (the first infers the dataset's schema). */
const PUSH_WARMUP = Number(process.env.BENCH_PUSH_WARMUP ?? 8);
/** Rounds per case (baseline, then Flywheel, in turn); each figure is their median. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_DATA_ROUNDS ?? 3));
const FLIGHTS = resolve(import.meta.dirname, '../node_modules/vega-datasets/data/flights-3m.parquet');
const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

/** The generated table: id, ts, 8 doubles, 4 integers, 4 categories, 2 texts (one bad row in 1,000). */
export async function generateCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const header = ['id', 'ts', ...Array.from({ length: 8 }, (_, i) => `x${i}`), ...Array.from({ length: 4 }, (_, i) => `n${i}`), 'c0', 'c1', 'c2', 'c3', 'note', 'title'];
  out.write(header.join(',') + '\n');
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const t0 = Date.UTC(2024, 0, 1);
  let chunk: string[] = [];
  for (let r = 0; r < rows; r++) {
    const bad = r % 1000 === 999;
    const xs = Array.from({ length: 8 }, () => (rand() * 100 - 50).toFixed(3));
    if (bad) xs[0] = 'n/a';
    const ns = Array.from({ length: 4 }, () => String(Math.floor(rand() * 1000)));
    const cs = Array.from({ length: 4 }, (_, i) => CATS[Math.floor(rand() * (i + 2))]);
    const note = `note ${Math.floor(rand() * 1e6)}`;
    chunk.push([r + 1, new Date(t0 + r * 60_000).toISOString(), ...xs, ...ns, ...cs, note, `"title, ${r % 97}"`].join(','));
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
  }
  if (chunk.length) out.write(chunk.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
}

const CSV_RULES = JSON.stringify({
  columns: {
    id: { not_null: true },
    ts: { not_null: true },
    x0: { type: 'double', range: { min: -50, max: 50 } },
    x1: { range: { min: -50, max: 50 } },
    x2: { not_null: true },
    n0: { range: { min: 0, max: 999 } },
    n1: { range: { min: 0 } },
    c0: { allowed: CATS },
    c1: { allowed: CATS },
    c2: { not_null: true },
  },
});

const FLIGHT_RULES = JSON.stringify({
  columns: {
    date: { not_null: true, range: { min: '2001-01-01', max: '2002-01-01' } },
    delay: { range: { min: -120, max: 1440 } },
    distance: { not_null: true, range: { min: 1, max: 6000 } },
    origin: { not_null: true },
    destination: { not_null: true },
  },
});

interface CaseResult {
  ms: number;
  rows: number;
  maxRssMb: number;
}

function runCase(mode: 'flywheel' | 'duckdb', file: string, format: string, rules?: string): CaseResult {
  const args = ['--import', 'tsx', resolve(import.meta.dirname, 'data-case.ts'), mode, file, format, ...(rules ? [rules] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} ${format} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as CaseResult;
}

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** CPU time of this process's main thread in ms (Linux: /proc; undefined elsewhere). */
function mainThreadCpuMs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

interface PushRun {
  rowsPerSecond: number;
  /** CPU ms per batch: the whole process (every thread), and its main thread (both include the load generator). */
  cpuPerBatch: number;
  mainPerBatch: number | undefined;
}

/**
 * Push `bodies` with PUSH_CONCURRENCY requests in flight, after PUSH_WARMUP of them (not timed:
 * a dataset's first batch infers its schema and opens the warm workspace).
 */
async function pushRate(url: string, bodies: string[], rowsPerBatch: number, headers: (i: number) => Record<string, string>): Promise<PushRun> {
  for (let i = 0; i < PUSH_WARMUP; i++) {
    const status = await post(url, bodies[i], headers(i));
    if (status !== 200) throw new Error(`push ${i} answered ${status}`);
  }
  let next = PUSH_WARMUP;
  const timed = bodies.length - PUSH_WARMUP;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PUSH_CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const status = await post(url, bodies[i], headers(i));
        if (status !== 200) throw new Error(`push ${i} answered ${status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  return {
    rowsPerSecond: (timed * rowsPerBatch) / seconds,
    cpuPerBatch: (cpu.user + cpu.system) / 1000 / timed,
    mainPerBatch: main0 === undefined || main1 === undefined ? undefined : (main1 - main0) / timed,
  };
}

async function pushBench(dir: string, notes: string[]): Promise<BenchRow[]> {
  const batch = (b: number) =>
    JSON.stringify({
      rows: Array.from({ length: 1000 }, (_, i) => ({ id: b * 1000 + i + 1, ts: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), x0: (i % 100) / 3, c0: CATS[i % 5], note: `row ${i}` })),
    });
  const perRound = PUSH_WARMUP + PUSH_BATCHES;
  const bodiesOf = (round: number) => Array.from({ length: perRound }, (_, b) => batch(round * perRound + b));

  const sink = join(dir, 'bare.jsonl');
  const bare = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', async () => {
      const { rows } = JSON.parse(Buffer.concat(parts).toString('utf8')) as { rows: unknown[] };
      await appendFile(sink, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: rows.length }));
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  const t = await createTestApp();
  try {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const ctx = { principal: { user: await t.platform.services.users.get(t.admin.username), via: 'local' as const } };
    const tok = await t.platform.services.tokens.create(ctx, { name: 'bench', role: 'admin' });
    const project = await t.platform.services.projects.create(ctx, { name: 'bench' });
    await t.platform.services.datasets.create(ctx, { project, role: 'owner' }, { name: 'events' });
    const auth = { authorization: `Bearer ${tok.secret}` };
    const url = `${address}/api/v1/projects/bench/datasets/events/rows`;
    // Rounds in turn (new rows each round), both servers up throughout.
    const baseline: PushRun[] = [];
    const fly: PushRun[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const bodies = bodiesOf(r);
      baseline.push(await pushRate(bareUrl, bodies, 1000, () => ({})));
      fly.push(await pushRate(url, bodies, 1000, (i) => ({ ...auth, 'idempotency-key': `bench-${r}-${i}` })));
    }
    const mid = (runs: PushRun[], f: (run: PushRun) => number | undefined) => {
      const xs = runs.map(f);
      return xs.some((x) => x === undefined) ? undefined : median(xs as number[]);
    };
    const ms = (n: number | undefined) => (n === undefined ? 'n/a' : n.toFixed(1));
    const rate = (runs: PushRun[]) => runs.map((x) => Math.round(x.rowsPerSecond).toLocaleString('en')).join(' / ');
    notes.push(`push: rows/s per round: Flywheel ${rate(fly)}, bare ${rate(baseline)}`);
    notes.push(
      `push: CPU ms per 1,000-row batch (median of the rounds), whole process (every thread): Flywheel ${ms(mid(fly, (x) => x.cpuPerBatch))}, bare ${ms(mid(baseline, (x) => x.cpuPerBatch))}; ` +
        `main thread: Flywheel ${ms(mid(fly, (x) => x.mainPerBatch))}, bare ${ms(mid(baseline, (x) => x.mainPerBatch))} (both include the load generator; ${PUSH_WARMUP} batches first in each round, not timed)`,
    );
    const flyRate = mid(fly, (x) => x.rowsPerSecond)!;
    const bareRate = mid(baseline, (x) => x.rowsPerSecond)!;
    return [
      {
        case: `push: ${PUSH_BATCHES} batches of 1,000 JSON rows over HTTP, ${PUSH_CONCURRENCY} in flight`,
        unit: 'rows/s',
        flywheel: flyRate,
        baseline: bareRate,
        baselineName: 'bare node:http, JSON.parse + append',
        ratio: flyRate / bareRate,
      },
    ];
  } finally {
    bare.close();
    await t.close();
  }
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-bench-data-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const csv = join(dir, 'generated.csv');
    if (process.env.BENCH_DATA_ONLY !== 'push') await generateCsv(csv, ROWS);
    const files: Array<[string, string, string, string]> = [
      [`generated CSV, ${ROWS.toLocaleString('en')} rows × 20 columns, 10 rules`, csv, 'csv', CSV_RULES],
      ['flights-3m.parquet, 3,000,000 rows × 5 columns, 9 rules', FLIGHTS, 'parquet', FLIGHT_RULES],
    ];
    // BENCH_DATA_ONLY=push (or ingest) runs one part.
    const only = process.env.BENCH_DATA_ONLY;
    for (const [name, file, format, rules] of only === 'push' ? [] : files) {
      // Rounds in turn, so a slow spell of this shared machine falls on both sides alike.
      const base: CaseResult[] = [];
      const fly: CaseResult[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        base.push(runCase('duckdb', file, format));
        fly.push(runCase('flywheel', file, format, rules));
        if (fly[r].rows !== base[r].rows) throw new Error(`${name}: Flywheel read ${fly[r].rows} rows, DuckDB ${base[r].rows}`);
      }
      const ms = (cases: CaseResult[]) => median(cases.map((c) => c.ms));
      const peak = (cases: CaseResult[]) => Math.max(...cases.map((c) => c.maxRssMb));
      rows.push({ case: `ingest ${name}`, unit: 's', flywheel: ms(fly) / 1000, baseline: ms(base) / 1000, baselineName: 'DuckDB read + SUMMARIZE', ratio: ms(base) / ms(fly) });
      rows.push({ case: `peak memory, ${name}`, unit: 'MB', flywheel: peak(fly), baseline: peak(base), baselineName: 'DuckDB read + SUMMARIZE', ratio: peak(base) / peak(fly) });
      const secs = (cases: CaseResult[]) => cases.map((c) => (c.ms / 1000).toFixed(2)).join(' / ');
      notes.push(`${name}: seconds per round: Flywheel ${secs(fly)}, DuckDB ${secs(base)}; ratio per round ${fly.map((f, r) => (base[r].ms / f.ms).toFixed(3)).join(' / ')}`);
    }
    if (only !== 'ingest') rows.push(...(await pushBench(dir, notes)));
    notes.push(`each figure is the median of ${ROUNDS} rounds (the baseline, then Flywheel, in turn); peak memory: the highest of them`);
    notes.push('ingest = scan + type + rules + quarantine + typed Parquet + profile + content-addressed store + metadata commit; each case in its own process');
    notes.push('ratio above 1 is better; ingest target: ratio ≥ 0.5 (within 2× of DuckDB); peak memory target < 1,024 MB; push target ≥ 100,000 rows/s');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'data', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
}
