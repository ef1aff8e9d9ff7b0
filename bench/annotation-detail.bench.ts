// The job page's request at scale: `GET …/labelling-jobs/{job}` (progress, per-status counts,
// agreement and annotator statistics, automation counts) on a job of 1M tasks, some of them
// labelled and resolved by three annotators. Baseline in the same run: the plain SQL grouped
// count of the job's tasks by status (what the counts alone cost when read from the tasks).
// SQLite always; PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
// Knobs: BENCH_TASKS (1000000), BENCH_KIND (classification | multi-label), BENCH_REQUESTS (30).
import Database from 'better-sqlite3';
import pg from 'pg';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createTestApp } from '../test/support/server.js';
import type { CallContext } from '../src/services/index.js';
import { authorizeProject } from '../src/services/index.js';
import { quantile } from './annotation-load.js';
import { seedPostgres, seedSqlite } from './annotation-seed.js';
import { dropPostgres, freshPostgres } from './annotation.bench.js';
import type { BenchResult, BenchRow } from './run.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const KIND = (process.env.BENCH_KIND ?? 'classification') as 'classification' | 'multi-label';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
const LABELLED = 60;
const LABELS = ['rain', 'sun', 'fog'];
const BASELINE_SQL = `SELECT status, COUNT(*) AS n, SUM(label_count) AS labels FROM labelling_tasks WHERE job_id = ? AND gold_label IS NULL GROUP BY status`;

async function timeBaseline(dbUrl: string, jobId: string): Promise<number[]> {
  const times: number[] = [];
  if (dbUrl.startsWith('postgres')) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    for (let k = 0; k < REQUESTS; k++) {
      const t0 = performance.now();
      await c.query(BASELINE_SQL.replace('?', '$1'), [jobId]);
      times.push(performance.now() - t0);
    }
    await c.end();
  } else {
    const db = new Database(dbUrl.replace(/^sqlite:/, ''), { readonly: true });
    const q = db.prepare(BASELINE_SQL);
    for (let k = 0; k < REQUESTS; k++) {
      const t0 = performance.now();
      q.all(jobId);
      times.push(performance.now() - t0);
    }
    db.close();
  }
  return times.sort((a, b) => a - b);
}

/** Drop the benchmark's database (`url`) from the server `base` points at. */
async function benchOne(name: string, databaseUrl: string | undefined, notes: string[]): Promise<BenchRow[]> {
  const t = await createTestApp({ databaseUrl });
  try {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const s = t.platform.services;
    const admin = await s.users.get(t.admin.username);
    const ctx: CallContext = { principal: { user: admin, via: 'local' } };
    const project = await s.projects.create(ctx, { name: 'bench' });
    const access = await authorizeProject(t.platform.store, ctx.principal, 'labelling.manage', 'bench');
    const items = Array.from({ length: LABELLED }, (_, i) => ({ data: { text: `labelled ${i}` } }));
    const { job } = await s.labelling.createJob(ctx, access, { name: 'million', labels: LABELS, kind: KIND, overlap: 3, items });
    // Three annotators label the first tasks (so statistics have content), then 1M tasks more.
    for (let a = 0; a < 3; a++) {
      const username = `ann-${a}`;
      const { user } = await s.users.create(ctx, { username, password: 'bench-password-123' });
      await s.projects.putMember(ctx, access, username, 'annotator');
      const actx: CallContext = { principal: { user, via: 'local' } };
      const aaccess = await authorizeProject(t.platform.store, actx.principal, 'labelling.annotate', 'bench');
      for (let i = 0; i < LABELLED; i++) {
        const next = await s.labelling.next(actx, aaccess, job.id);
        if (!next.task) break;
        const pick = LABELS[(i + (a === 2 && i % 4 === 0 ? 1 : 0)) % LABELS.length];
        await s.labelling.submitLabel(actx, aaccess, job.id, next.task.id, KIND === 'multi-label' ? { choices: [pick] } : { label: pick });
      }
    }
    const dbUrl = databaseUrl ?? `sqlite:${t.home}/flywheel.db`;
    const started = performance.now();
    const target = { jobId: job.id, projectId: project.id, tasks: TASKS, createdAt: Date.now() };
    if (dbUrl.startsWith('postgres')) await seedPostgres(dbUrl, target);
    else seedSqlite(dbUrl.replace(/^sqlite:/, ''), target);
    const seedSeconds = (performance.now() - started) / 1000;
    const tok = await s.tokens.create(ctx, { name: 'bench', role: 'owner', user: admin.username, project: 'bench' });
    const headers = { authorization: `Bearer ${tok.secret}` };
    const detailUrl = `${url}/api/v1/projects/bench/labelling-jobs/${job.id}`;
    const times: number[] = [];
    let body: { counts: { tasks: number; open: number; resolved: number; labels: number } } | undefined;
    for (let k = 0; k < REQUESTS + 2; k++) {
      const t0 = performance.now();
      const res = await fetch(detailUrl, { headers });
      body = (await res.json()) as typeof body;
      if (!res.ok) throw new Error(`job detail answered ${res.status}: ${JSON.stringify(body)}`);
      if (k >= 2) times.push(performance.now() - t0); // two warm-up requests
    }
    times.sort((a, b) => a - b);
    const base = await timeBaseline(dbUrl, job.id);
    notes.push(`${name}: ${TASKS.toLocaleString('en')} tasks seeded in ${seedSeconds.toFixed(1)} s; detail answered ${JSON.stringify(body!.counts)}`);
    const baselineName = 'plain SQL grouped count of the tasks';
    const p50 = quantile(times, 0.5);
    const p99 = quantile(times, 0.99);
    const b50 = quantile(base, 0.5);
    const b99 = quantile(base, 0.99);
    return [
      { case: `${name}: GET job detail`, unit: 'ms p50', flywheel: p50, baseline: b50, baselineName, ratio: b50 / p50 },
      { case: `${name}: GET job detail`, unit: 'ms p99', flywheel: p99, baseline: b99, baselineName, ratio: b99 / p99 },
    ];
  } finally {
    await t.close();
    rmSync(t.home, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const rows: BenchRow[] = [];
  const label = (db: string) => `${db}, ${TASKS >= 1e6 ? `${TASKS / 1e6}M` : TASKS} tasks, ${KIND}`;
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
  notes.push(`${REQUESTS} sequential requests after two warm-ups; ${LABELLED} tasks labelled by 3 annotators before seeding`);
  return { name: 'annotation-detail', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
}
