// The labelling queue under load: a job of 1M tasks (overlap 3), several annotators pulling
// `GET …/labelling-jobs/{job}/next` over HTTP and submitting a label for each task, concurrently.
// Reports next's p50/p99 (target p99 < 20 ms) beside a baseline in the same run: a bare
// node:http server doing the same queue work as plain SQL on the same database. SQLite always;
// PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) points at one.
// Knobs: BENCH_TASKS (1000000), BENCH_ANNOTATORS (8), BENCH_OVERLAP (3), BENCH_SECONDS (10),
// BENCH_THINK_MS (50: the time each annotator looks at a task before labelling it; 0 saturates).
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { availableParallelism } from 'node:os';
import { createTestApp, type TestApp } from '../test/support/server.js';
import type { CallContext } from '../src/services/index.js';
import { authorizeProject } from '../src/services/index.js';
import { CANDIDATE_SQL, startBaseline } from './annotation-baseline.js';
import { quantile, runLoad, type Annotator, type LoadResult } from './annotation-load.js';
import { seedPostgres, seedSqlite } from './annotation-seed.js';
import type { BenchResult, BenchRow } from './run.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const ANNOTATORS = Number(process.env.BENCH_ANNOTATORS ?? 8);
const OVERLAP = Number(process.env.BENCH_OVERLAP ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** How long each annotator looks at a task before labelling it: 50 ms is a very fast person (20 labels/s each). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 50);
const WARMUP_MS = 1500;
/** Turns each side takes (the measured seconds are split between them). */
const ROUNDS = 2;
const SOLO_SECONDS = Number(process.env.BENCH_SOLO_SECONDS ?? 3);
const LABELS = ['rain', 'sun', 'fog'];
const TARGET_P99_MS = 20;

interface Setup {
  t: TestApp;
  url: string;
  databaseUrl: string;
  jobId: string;
  projectId: string;
  flywheel: Annotator[];
  baselineUsers: string[];
  seedSeconds: number;
}

async function setUp(databaseUrl: string | undefined): Promise<Setup> {
  const t = await createTestApp({ databaseUrl });
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const s = t.platform.services;
  const admin = await s.users.get(t.admin.username);
  const ctx: CallContext = { principal: { user: admin, via: 'local' } };
  const project = await s.projects.create(ctx, { name: 'bench' });
  const access = await authorizeProject(t.platform.store, ctx.principal, 'labelling.manage', 'bench');
  const { job } = await s.labelling.createJob(ctx, access, { name: 'million', labels: LABELS, overlap: OVERLAP });
  const flywheel: Annotator[] = [];
  const baselineUsers: string[] = [];
  for (let i = 0; i < ANNOTATORS; i++) {
    for (const side of ['f', 'b']) {
      const username = `ann-${side}${i}`;
      const { user } = await s.users.create(ctx, { username, password: 'bench-password-123' });
      await s.projects.putMember(ctx, access, username, 'annotator');
      if (side === 'b') {
        baselineUsers.push(user.id);
        continue;
      }
      const tok = await s.tokens.create(ctx, { name: 'bench', role: 'annotator', user: username, project: 'bench' });
      const base = `${url}/api/v1/projects/bench/labelling-jobs/${job.id}`;
      flywheel.push({ headers: { authorization: `Bearer ${tok.secret}` }, nextUrl: `${base}/next`, labelUrl: `${base}/tasks/{task}/labels` });
    }
  }
  const dbUrl = databaseUrl ?? `sqlite:${t.home}/flywheel.db`;
  const started = performance.now();
  const target = { jobId: job.id, projectId: project.id, tasks: TASKS, createdAt: Date.now() };
  if (dbUrl.startsWith('postgres')) await seedPostgres(dbUrl, target);
  else seedSqlite(dbUrl.replace(/^sqlite:/, ''), target);
  return { t, url, databaseUrl: dbUrl, jobId: job.id, projectId: project.id, flywheel, baselineUsers, seedSeconds: (performance.now() - started) / 1000 };
}

/** The plan of the candidate query, and its time alone (µs, median of 200) on the seeded job. */
async function planAndQueryTime(s: Setup, annotator: string): Promise<{ plan: string; us: number }> {
  const times: number[] = [];
  if (s.databaseUrl.startsWith('postgres')) {
    const c = new pg.Client({ connectionString: s.databaseUrl });
    await c.connect();
    let i = 0;
    const text = CANDIDATE_SQL.replace(/\?/g, () => `$${++i}`);
    const params = [s.jobId, OVERLAP, annotator, annotator];
    const plan = (await c.query(`EXPLAIN ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join(' | ');
    for (let k = 0; k < 200; k++) {
      const t0 = performance.now();
      await c.query(text, params);
      times.push((performance.now() - t0) * 1000);
    }
    await c.end();
    return { plan, us: quantile(times.sort((a, b) => a - b), 0.5) };
  }
  const db = new Database(s.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${CANDIDATE_SQL}`).all(s.jobId, OVERLAP, annotator, annotator) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  const q = db.prepare(CANDIDATE_SQL);
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now();
    q.get(s.jobId, OVERLAP, annotator, annotator);
    times.push((performance.now() - t0) * 1000);
  }
  db.close();
  return { plan, us: quantile(times.sort((a, b) => a - b), 0.5) };
}

/** Two load results as one (their `next` times merged, counts added). */
function merged(a: LoadResult | undefined, b: LoadResult): LoadResult {
  if (!a) return b;
  return {
    next: [...a.next, ...b.next].sort((x, y) => x - y),
    submitted: a.submitted + b.submitted,
    errors: a.errors + b.errors,
    conflicts: a.conflicts + b.conflicts,
    empty: a.empty + b.empty,
    seconds: a.seconds + b.seconds,
    busyMs: a.busyMs + b.busyMs,
    calls: a.calls + b.calls,
  };
}

function rowsOf(name: string, f: LoadResult, b: LoadResult, throughput = true): BenchRow[] {
  const baselineName = 'bare node:http + plain SQL';
  const p50f = quantile(f.next, 0.5);
  const p99f = quantile(f.next, 0.99);
  const p50b = quantile(b.next, 0.5);
  const p99b = quantile(b.next, 0.99);
  const pairs = (r: LoadResult) => r.submitted / r.seconds;
  return [
    { case: `${name}: GET next`, unit: 'ms p50', flywheel: p50f, baseline: p50b, baselineName, ratio: p50b / p50f },
    { case: `${name}: GET next`, unit: 'ms p99', flywheel: p99f, baseline: p99b, baselineName, ratio: p99b / p99f },
    ...(throughput ? [{ case: `${name}: next + submit`, unit: 'labels/s', flywheel: pairs(f), baseline: pairs(b), baselineName, ratio: pairs(f) / pairs(b) }] : []),
  ];
}

async function benchOne(name: string, databaseUrl: string | undefined, notes: string[]): Promise<BenchRow[]> {
  const s = await setUp(databaseUrl);
  try {
    const { plan, us } = await planAndQueryTime(s, s.baselineUsers[0]);
    notes.push(`${name}: ${TASKS.toLocaleString('en')} tasks seeded in ${s.seedSeconds.toFixed(1)} s; candidate query alone ${us.toFixed(0)} µs (median); plan: ${plan}`);
    const leaseMs = 600_000;
    const baseline = await startBaseline(s.databaseUrl, { jobId: s.jobId, projectId: s.projectId, overlap: OVERLAP, leaseMs });
    const bAnnotators = s.baselineUsers.map((a) => ({ headers: {}, nextUrl: `${baseline.url}/next?a=${a}`, labelUrl: `${baseline.url}/label?a=${a}&t={task}` }));
    // Baseline and Flywheel take turns, so a busy moment of the machine does not land on one side only.
    let f: LoadResult | undefined;
    let b: LoadResult | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      b = merged(b, await runLoad(bAnnotators, LABELS, WARMUP_MS, (SECONDS * 1000) / ROUNDS, THINK_MS));
      f = merged(f, await runLoad(s.flywheel, LABELS, WARMUP_MS, (SECONDS * 1000) / ROUNDS, THINK_MS));
    }
    // One annotator back to back: the time of one request, without waiting behind others.
    const b1 = await runLoad(bAnnotators.slice(0, 1), LABELS, 500, SOLO_SECONDS * 1000, 0);
    const f1 = await runLoad(s.flywheel.slice(0, 1), LABELS, 500, SOLO_SECONDS * 1000, 0);
    await baseline.close();
    const solo = name.replace(/\d+ annotators/, '1 annotator back to back');
    for (const [who, r] of [[`${name} flywheel`, f!], [`${name} baseline`, b!], [`${solo} flywheel`, f1], [`${solo} baseline`, b1]] as const) {
      const busy = `server thread busy ${((1000 * r.busyMs) / r.calls).toFixed(0)} µs per call`;
      notes.push(`${who}: ${r.next.length} nexts measured, ${r.submitted} labels, ${r.conflicts} conflicts, ${r.errors} errors, ${r.empty} empty answers; ${busy}`);
      if (r.errors > 0) throw new Error(`${who}: ${r.errors} failed calls`);
    }
    const p99 = quantile(f!.next, 0.99);
    notes.push(`${name}: p99 ${p99.toFixed(2)} ms ${p99 < TARGET_P99_MS ? 'meets' : 'MISSES'} the ${TARGET_P99_MS} ms target`);
    return [...rowsOf(name, f!, b!), ...rowsOf(solo, f1, b1, false)];
  } finally {
    await s.t.close();
    // A run leaves nothing behind: the home (SQLite) of 1M tasks is hundreds of MB.
    rmSync(s.t.home, { recursive: true, force: true });
  }
}

/** A new, empty database on the PostgreSQL server `base` points at. */
export async function freshPostgres(base: string): Promise<string> {
  const name = `fw_bench_${process.pid}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drop the database `url` made by freshPostgres on the server `base` points at. */
export async function dropPostgres(base: string, url: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)}`);
  } finally {
    await c.end();
  }
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const rows: BenchRow[] = [];
  const label = (db: string) => `${db}, ${TASKS >= 1e6 ? `${TASKS / 1e6}M` : TASKS} tasks, overlap ${OVERLAP}, ${ANNOTATORS} annotators`;
  rows.push(...(await benchOne(label('SQLite'), undefined, notes)));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const url = await freshPostgres(pgUrl);
    try {
      rows.push(...(await benchOne(label('PostgreSQL'), url, notes)));
    } finally {
      await dropPostgres(pgUrl, url);
    }
  } else notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include it');
  notes.push(
    `each annotator loops GET next → looks at the task for ${THINK_MS} ms → POST label; ${SECONDS} s measured per side in ${ROUNDS} turns (baseline, then Flywheel, each after ${WARMUP_MS / 1000} s of warm-up) on the same database; then one annotator back to back (no think time) for ${SOLO_SECONDS} s each; load generated by a worker thread of the same process (2 shared cores), node:http with one kept-alive connection per annotator`,
  );
  return { name: 'annotation', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
}
