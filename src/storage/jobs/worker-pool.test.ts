// The worker pool runs jobs in child processes: results, progress, retries, cancellation, and a
// worker killed mid-job whose job is retried to completion once its lease expires.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { Job } from '../../domain/entities.js';
import { connect, type Connected } from '../kysely/connect.js';
import { migrate } from '../kysely/migrate.js';
import type { JobLogger } from './job-logger.js';
import { KyselyJobQueue } from './kysely-job-queue.js';
import { WorkerPool } from './worker-pool.js';

const childEntry = new URL('../../../test/fixtures/jobs/test-child.ts', import.meta.url);
const runnerEntry = fileURLToPath(new URL('../../../test/fixtures/jobs/runner.ts', import.meta.url));
const quiet: JobLogger = { info: () => {}, warn: () => {}, error: (m, d) => console.error(m, d) };

/** Poll `read` until `ok` holds (or fail after `timeoutMs`). */
async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`WorkerPool on ${target.name}`, () => {
    let url: string;
    let conn: Connected;
    let queue: KyselyJobQueue;
    const pools: WorkerPool[] = [];
    const runners: ChildProcess[] = [];

    function newPool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
      const pool = new WorkerPool({ queue, childEntry, concurrency: 2, leaseMs: 900, pollMs: 25, logger: quiet, ...options });
      pools.push(pool);
      pool.start();
      return pool;
    }

    const job = (id: string) => async () => (await queue.get(id))!;

    beforeEach(async () => {
      url = await target.freshUrl();
      conn = await connect(url);
      await migrate(conn.db);
      queue = new KyselyJobQueue(conn.db, conn.dialect);
    });

    afterEach(async () => {
      for (const runner of runners.splice(0)) {
        if (runner.exitCode === null && runner.signalCode === null) process.kill(-runner.pid!, 'SIGKILL');
      }
      await Promise.all(pools.splice(0).map((p) => p.stop(2000)));
      await conn.db.destroy();
    });

    it('runs a job to success in a child process and stores its result', async () => {
      newPool();
      const { id } = await queue.enqueue({ task: 'echo', payload: { hello: 'world' }, project_id: 'p1' });
      const done = await waitFor(job(id), (j) => j.status === 'succeeded');
      const result = done.result as { payload: unknown; pid: number };
      expect(result.payload).toEqual({ hello: 'world' });
      expect(result.pid).toBeGreaterThan(0);
      expect(result.pid).not.toBe(process.pid);
      expect(done).toMatchObject({ attempts: 1, progress: 1, last_error: null });
      expect(done.finished_at).not.toBeNull();
    });

    it('makes progress visible while the job runs', async () => {
      newPool({ leaseMs: 300 }); // heartbeats every 100 ms
      const { id } = await queue.enqueue({ task: 'slow', payload: { ms: 1000 }, project_id: null });
      const running = await waitFor(job(id), (j) => j.status === 'running' && j.progress > 0);
      expect(running.progress).toBeLessThan(1);
      expect(running.progress_message).toMatch(/^pid \d+$/);
      expect(running.progress_message).not.toBe(`pid ${process.pid}`);
      await waitFor(job(id), (j) => j.status === 'succeeded');
    });

    it('retries a failing task with backoff, then marks it failed', async () => {
      newPool();
      const { id } = await queue.enqueue({ task: 'fail', payload: null, project_id: null, max_attempts: 2 });
      const retried = await waitFor(job(id), (j) => j.attempts === 1 && j.status === 'queued');
      expect(retried.last_error).toBe('task failed on purpose');
      expect(retried.run_at).toBeGreaterThan(retried.updated_at);
      const failed = await waitFor(job(id), (j) => j.status === 'failed');
      expect(failed).toMatchObject({ attempts: 2, last_error: 'task failed on purpose' });
    });

    it('fails an unknown task', async () => {
      newPool();
      const unknown = await queue.enqueue({ task: 'nope', payload: null, project_id: null, max_attempts: 1 });
      expect(await waitFor(job(unknown.id), (j) => j.status === 'failed')).toMatchObject({ last_error: 'unknown task nope' });
    });

    it('fails a job whose child process exits without an answer', async () => {
      newPool();
      const { id } = await queue.enqueue({ task: 'crash', payload: null, project_id: null, max_attempts: 1 });
      const failed = await waitFor(job(id), (j) => j.status === 'failed');
      expect(failed.last_error).toBe('worker process exited with code 3 / signal null');
    });

    it('stops: kills jobs still running after the timeout and leaves them leased for another worker', async () => {
      const pool = newPool({ leaseMs: 3000 });
      const { id } = await queue.enqueue({ task: 'slow', payload: { ms: 20_000 }, project_id: null });
      await waitFor(async () => pool.childPids().get(id), (pid) => pid !== undefined);
      const childPid = pool.childPids().get(id)!;
      const started = Date.now();
      await pool.stop(200);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(pool.activeJobs).toBe(0);
      expect(alive(childPid)).toBe(false);
      expect(await queue.get(id)).toMatchObject({ status: 'running', attempts: 1, locked_by: pool.workerId, last_error: null });
    });

    it('cancels a running job: kills its process and marks it cancelled', async () => {
      const pool = newPool({ leaseMs: 300 });
      const { id } = await queue.enqueue({ task: 'slow', payload: { ms: 20_000 }, project_id: null });
      const running = await waitFor(job(id), (j) => j.status === 'running' && j.progress_message !== null);
      const childPid = Number(running.progress_message!.split(' ')[1]);
      expect(alive(childPid)).toBe(true);
      expect(pool.childPids().get(id)).toBe(childPid);

      expect(await queue.cancel(id)).toMatchObject({ status: 'running', cancel_requested: true });
      const cancelled = await waitFor(job(id), (j) => j.status === 'cancelled', 3000);
      expect(cancelled.finished_at).not.toBeNull();
      await waitFor(async () => alive(childPid), (a) => !a, 2000);
      await waitFor(async () => pool.activeJobs, (n) => n === 0, 2000);
    });

    it('kills the process of a job whose lease was lost and records nothing for it', async () => {
      const pool = newPool({ leaseMs: 300 });
      const { id } = await queue.enqueue({ task: 'slow', payload: { ms: 20_000 }, project_id: null });
      await waitFor(job(id), (j) => j.status === 'running' && j.progress_message !== null);
      const childPid = pool.childPids().get(id)!;
      // Another worker took it over (as if our lease had expired unnoticed).
      await conn.db.updateTable('jobs').set({ locked_by: 'thief', locked_until: Date.now() + 60_000 }).where('id', '=', id).execute();
      await waitFor(async () => pool.activeJobs, (n) => n === 0, 3000);
      expect(alive(childPid)).toBe(false);
      expect(await queue.get(id)).toMatchObject({ status: 'running', locked_by: 'thief', last_error: null });
    });

    it('retries a job to completion after its worker process was killed mid-run and its lease expired', async () => {
      const leaseMs = 1500;
      const { id } = await queue.enqueue({ task: 'slow', payload: { ms: 600 }, project_id: null });

      // A separate worker process, in its own process group (with the job's child process).
      const runner = spawn(process.execPath, ['--import', 'tsx', runnerEntry, url, 'runner-1', String(leaseMs)], {
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      runners.push(runner);
      const first = await waitFor(job(id), (j) => j.status === 'running' && j.progress > 0);
      expect(first).toMatchObject({ attempts: 1, locked_by: 'runner-1' });
      const childPid = Number(first.progress_message!.split(' ')[1]);

      const exited = once(runner, 'exit');
      const killedAt = Date.now();
      process.kill(-runner.pid!, 'SIGKILL');
      const [, signal] = await exited;
      expect(signal).toBe('SIGKILL');

      // Nobody marked it: still running, leased to the dead worker (a lease valid when it died).
      const orphan = (await queue.get(id))!;
      expect(orphan).toMatchObject({ status: 'running', attempts: 1, locked_by: 'runner-1', last_error: null });
      expect(orphan.locked_until!).toBeGreaterThan(killedAt);
      await waitFor(async () => alive(childPid), (a) => !a, 2000); // the job's process died with it

      // A second worker claims it only once the lease has expired.
      const claims: Job[] = [];
      const watched = new KyselyJobQueue(conn.db, conn.dialect);
      const claim = watched.claim.bind(watched);
      watched.claim = async (...args) => {
        const got = await claim(...args);
        if (got) claims.push(got);
        return got;
      };
      newPool({ queue: watched, workerId: 'rescuer', leaseMs, concurrency: 1 });

      const done = await waitFor(job(id), (j) => j.status === 'succeeded', 10_000);
      expect(done).toMatchObject({ attempts: 2, locked_by: 'rescuer', last_error: null });
      expect(done.result).toMatchObject({ attempt: 2 });
      expect(claims).toHaveLength(1);
      expect(claims[0].attempts).toBe(2);
      const claimedAt = claims[0].locked_until! - leaseMs;
      expect(claimedAt).toBeGreaterThan(orphan.locked_until!);
    });
  });
}
