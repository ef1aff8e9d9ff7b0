// Contract tests of the embedded job queue, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { databaseTargets } from '../../../test/support/databases.js';
import { ValidationError } from '../../domain/errors.js';
import { connect, type Connected } from '../kysely/connect.js';
import { migrate } from '../kysely/migrate.js';
import type { Database } from '../kysely/schema.js';
import { retryDelayMs } from './backoff.js';
import { KyselyJobQueue } from './kysely-job-queue.js';

class FakeClock {
  t = Date.UTC(2030, 0, 1);
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

describe('retryDelayMs', () => {
  it('doubles from 1 s, caps at 60 s, and jitters by at most 10 %', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(1000);
    expect(retryDelayMs(2, () => 0.5)).toBe(2000);
    expect(retryDelayMs(3, () => 0.5)).toBe(4000);
    expect(retryDelayMs(20, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(1, () => 0)).toBe(900);
    expect(retryDelayMs(1, () => 0.999999)).toBe(1100);
  });
});

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`KyselyJobQueue on ${target.name}`, () => {
    let url: string;
    let conn: Connected;
    let clock: FakeClock;
    let queue: KyselyJobQueue;
    const extra: Kysely<Database>[] = [];

    /** Another queue on its own connection to the same database. */
    async function otherQueue(): Promise<KyselyJobQueue> {
      const c = await connect(url, { poolSize: 1 });
      extra.push(c.db);
      return new KyselyJobQueue(c.db, c.dialect, clock);
    }

    beforeEach(async () => {
      url = await target.freshUrl();
      conn = await connect(url);
      await migrate(conn.db);
      clock = new FakeClock();
      queue = new KyselyJobQueue(conn.db, conn.dialect, clock);
    });

    afterEach(async () => {
      for (const db of extra.splice(0)) await db.destroy();
      await conn.db.destroy();
    });

    it('enqueues with defaults, gets, and lists newest first with cursors and filters', async () => {
      const first = await queue.enqueue({ task: 'train', payload: { lr: 0.1, tags: ['a'] }, project_id: 'p1', created_by: 'u1' });
      expect(first).toMatchObject({
        task: 'train',
        payload: { lr: 0.1, tags: ['a'] },
        project_id: 'p1',
        status: 'queued',
        attempts: 0,
        max_attempts: 3,
        run_at: clock.t,
        locked_by: null,
        locked_until: null,
        progress: 0,
        result: null,
        cancel_requested: false,
        created_by: 'u1',
        created_at: clock.t,
        finished_at: null,
      });
      expect(await queue.get(first.id)).toEqual(first);
      expect(await queue.get('nope')).toBeUndefined();

      const ids = [first.id];
      for (const project_id of ['p1', 'p2', null, 'p1']) {
        ids.push((await queue.enqueue({ task: 'ingest', payload: null, project_id })).id);
      }
      const newest = [...ids].reverse();

      const page1 = await queue.list({ limit: 2 }, {});
      expect(page1.items.map((j) => j.id)).toEqual(newest.slice(0, 2));
      expect(page1.next_cursor).not.toBeNull();
      const page2 = await queue.list({ limit: 2, cursor: page1.next_cursor }, {});
      expect(page2.items.map((j) => j.id)).toEqual(newest.slice(2, 4));
      const page3 = await queue.list({ limit: 2, cursor: page2.next_cursor }, {});
      expect(page3.items.map((j) => j.id)).toEqual(newest.slice(4));
      expect(page3.next_cursor).toBeNull();

      expect((await queue.list({}, { projectId: 'p1' })).items.map((j) => j.id)).toEqual([ids[4], ids[1], ids[0]]);
      expect((await queue.list({}, { projectId: null })).items.map((j) => j.id)).toEqual([ids[3]]);
      expect((await queue.list({}, { status: 'queued', projectId: 'p2' })).items.map((j) => j.id)).toEqual([ids[2]]);
      expect((await queue.list({}, { status: 'running' })).items).toEqual([]);
      await expect(queue.list({ cursor: '!!not-a-cursor' }, {})).rejects.toBeInstanceOf(ValidationError);
    });

    it('deduplicates by job key while a job is queued or running, not after it finished', async () => {
      const a = await queue.enqueue({ task: 'drift', payload: { n: 1 }, project_id: 'p1', job_key: 'drift:m1' });
      const b = await queue.enqueue({ task: 'drift', payload: { n: 2 }, project_id: 'p1', job_key: 'drift:m1' });
      expect(b.id).toBe(a.id);
      expect(b.payload).toEqual({ n: 1 });

      const claimed = await queue.claim('w1', 10_000);
      expect(claimed?.id).toBe(a.id);
      expect((await queue.enqueue({ task: 'drift', payload: null, project_id: 'p1', job_key: 'drift:m1' })).id).toBe(a.id);

      await queue.complete(a.id, 'w1', { ok: true });
      const c = await queue.enqueue({ task: 'drift', payload: { n: 3 }, project_id: 'p1', job_key: 'drift:m1' });
      expect(c.id).not.toBe(a.id);
      expect(c.status).toBe('queued');
    });

    it('deduplicates concurrent enqueues of one key from separate connections', async () => {
      const queues = await Promise.all(Array.from({ length: 6 }, () => otherQueue()));
      const jobs = await Promise.all(queues.map((q, i) => q.enqueue({ task: 't', payload: i, project_id: null, job_key: 'k' })));
      expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
      expect((await queue.list({}, {})).items).toHaveLength(1);
    });

    it('claims the oldest due job, honours run_at and the task filter', async () => {
      const later = await queue.enqueue({ task: 'a', payload: null, project_id: null, run_at: clock.t + 5000 });
      const old = await queue.enqueue({ task: 'a', payload: null, project_id: null, run_at: clock.t - 2000 });
      const mid = await queue.enqueue({ task: 'b', payload: null, project_id: null, run_at: clock.t - 1000 });

      expect((await queue.claim('w', 60_000, ['b']))?.id).toBe(mid.id);
      const got = await queue.claim('w', 60_000);
      expect(got).toMatchObject({ id: old.id, status: 'running', attempts: 1, locked_by: 'w', locked_until: clock.t + 60_000 });
      expect(await queue.claim('w', 1000)).toBeUndefined();
      expect(await queue.claim('w', 1000, [])).toBeUndefined();
      clock.advance(5000);
      expect(await queue.claim('w', 60_000, ['b'])).toBeUndefined();
      expect((await queue.claim('w', 60_000, ['a']))?.id).toBe(later.id);
    });

    it('never leases one job to two concurrent claimers (10 claimers, 5 jobs, separate connections)', async () => {
      for (let i = 0; i < 5; i++) await queue.enqueue({ task: 't', payload: i, project_id: null });
      const claimers = await Promise.all(Array.from({ length: 10 }, () => otherQueue()));
      const results = await Promise.all(claimers.map((q, i) => q.claim(`w${i}`, 60_000)));
      const leased = results.filter((j) => j !== undefined);
      expect(leased).toHaveLength(5);
      expect(new Set(leased.map((j) => j.id)).size).toBe(5);
      const running = (await queue.list({}, { status: 'running' })).items;
      expect(running).toHaveLength(5);
      for (const job of running) {
        expect(job.attempts).toBe(1);
        expect(leased.find((l) => l.id === job.id)?.locked_by).toBe(job.locked_by);
      }
    });

    it('lets another worker reclaim a job whose lease expired, and the old worker has lost it', async () => {
      const job = await queue.enqueue({ task: 't', payload: null, project_id: null });
      await queue.claim('w1', 1000);
      clock.advance(999);
      expect(await queue.claim('w2', 1000)).toBeUndefined();
      clock.advance(2);
      const again = await queue.claim('w2', 1000);
      expect(again).toMatchObject({ id: job.id, status: 'running', attempts: 2, locked_by: 'w2' });

      expect(await queue.heartbeat(job.id, 'w1', 1000)).toEqual({ cancelRequested: false, lost: true });
      await queue.complete(job.id, 'w1', 'stale');
      expect(await queue.fail(job.id, 'w1', 'stale')).toBeUndefined();
      expect((await queue.get(job.id))?.status).toBe('running');

      await queue.complete(job.id, 'w2', { done: 1 });
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', result: { done: 1 }, progress: 1, finished_at: clock.t });
    });

    it('fails a job whose lease expired on its last attempt, and cancels one whose cancel was requested', async () => {
      const last = await queue.enqueue({ task: 't', payload: null, project_id: null, max_attempts: 1 });
      await queue.claim('w1', 1000);
      const asked = await queue.enqueue({ task: 't', payload: null, project_id: null });
      await queue.claim('w1', 1000);
      await queue.cancel(asked.id);
      clock.advance(1001);
      expect(await queue.claim('w2', 1000)).toBeUndefined();
      expect(await queue.get(last.id)).toMatchObject({ status: 'failed', last_error: 'lease expired', attempts: 1, finished_at: clock.t });
      expect(await queue.get(asked.id)).toMatchObject({ status: 'cancelled', finished_at: clock.t });
    });

    it('extends the lease and stores progress only for the worker holding the job', async () => {
      const job = await queue.enqueue({ task: 't', payload: null, project_id: null });
      await queue.claim('w1', 1000);
      expect(await queue.heartbeat(job.id, 'intruder', 1000, { fraction: 0.9 })).toEqual({ cancelRequested: false, lost: true });

      clock.advance(800);
      expect(await queue.heartbeat(job.id, 'w1', 1000, { fraction: 0.25, message: 'loading' })).toEqual({ cancelRequested: false, lost: false });
      expect(await queue.get(job.id)).toMatchObject({ locked_until: clock.t + 1000, progress: 0.25, progress_message: 'loading' });

      await queue.heartbeat(job.id, 'w1', 1000, { fraction: 1.7 });
      expect(await queue.get(job.id)).toMatchObject({ progress: 1, progress_message: null });
      await queue.heartbeat(job.id, 'w1', 1000, { fraction: -3, message: 'x' });
      expect((await queue.get(job.id))?.progress).toBe(0);
      await queue.heartbeat(job.id, 'w1', 1000);
      expect((await queue.get(job.id))?.progress_message).toBe('x');

      clock.advance(900);
      expect(await queue.claim('w2', 1000)).toBeUndefined(); // the heartbeat kept the lease
    });

    it('retries a failed job after an exponential backoff, then fails it after max_attempts', async () => {
      const job = await queue.enqueue({ task: 't', payload: null, project_id: null, max_attempts: 3 });
      for (const [attempt, base] of [[1, 1000], [2, 2000]] as const) {
        await queue.claim('w', 1000);
        const failed = await queue.fail(job.id, 'w', `boom ${attempt}`);
        expect(failed).toMatchObject({ status: 'queued', attempts: attempt, last_error: `boom ${attempt}`, locked_by: null, locked_until: null, finished_at: null });
        const delay = failed!.run_at - clock.t;
        expect(delay).toBeGreaterThanOrEqual(base * 0.9);
        expect(delay).toBeLessThanOrEqual(base * 1.1);
        expect(await queue.claim('w', 1000)).toBeUndefined();
        clock.advance(delay);
      }
      expect(await queue.claim('w', 1000)).toMatchObject({ id: job.id, attempts: 3 });
      expect(await queue.fail(job.id, 'someone-else', 'x')).toBeUndefined();
      expect(await queue.fail(job.id, 'w', 'boom 3')).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3', finished_at: clock.t });
      clock.advance(120_000);
      expect(await queue.claim('w', 1000)).toBeUndefined();
    });

    it('cancels a queued job at once and asks a running one to stop', async () => {
      const queued = await queue.enqueue({ task: 't', payload: null, project_id: null, run_at: clock.t + 1 });
      expect(await queue.cancel(queued.id)).toMatchObject({ status: 'cancelled', finished_at: clock.t });
      clock.advance(10);
      expect(await queue.claim('w', 1000)).toBeUndefined();

      const running = await queue.enqueue({ task: 't', payload: null, project_id: null });
      await queue.claim('w', 1000);
      expect(await queue.cancel(running.id)).toMatchObject({ status: 'running', cancel_requested: true });
      expect(await queue.heartbeat(running.id, 'w', 1000)).toEqual({ cancelRequested: true, lost: false });
      await queue.markCancelled(running.id, 'other');
      expect((await queue.get(running.id))?.status).toBe('running');
      await queue.markCancelled(running.id, 'w');
      expect(await queue.get(running.id)).toMatchObject({ status: 'cancelled', finished_at: clock.t, locked_until: null });

      expect(await queue.cancel(running.id)).toMatchObject({ status: 'cancelled' });
      expect(await queue.cancel('missing')).toBeUndefined();
    });

    it('does not retry a failed job whose cancel was requested', async () => {
      const job = await queue.enqueue({ task: 't', payload: null, project_id: null });
      await queue.claim('w', 1000);
      await queue.cancel(job.id);
      expect(await queue.fail(job.id, 'w', 'aborted')).toMatchObject({ status: 'failed', last_error: 'aborted' });
    });

    it('rejects a max_attempts below 1 and answers ping', async () => {
      await expect(queue.enqueue({ task: 't', payload: null, project_id: null, max_attempts: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.ping()).resolves.toBeUndefined();
    });
  });
}
