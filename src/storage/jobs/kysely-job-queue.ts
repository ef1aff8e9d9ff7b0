// The embedded job queue: the jobs table of the metadata database (SQLite or PostgreSQL) with
// leases, retries with backoff, job-key deduplication, cancellation and progress.
import { sql, type Kysely } from 'kysely';
import type { Job } from '../../domain/entities.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { EnqueueRequest, JobQueue } from '../../domain/ports/job-queue.js';
import type { Database } from '../kysely/schema.js';
import { retryDelayMs } from './backoff.js';
import { cursorKey, toPage } from '../kysely/cursor.js';
import { toJob, toJsonText } from './job-row.js';
import { uniqueViolation } from '../kysely/unique-violation.js';

export const DEFAULT_MAX_ATTEMPTS = 3;

export class KyselyJobQueue implements JobQueue {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly clock: Clock = systemClock,
  ) {}

  /** Insert a job; with a `job_key` that has a queued or running job, return that job instead. */
  async enqueue(req: EnqueueRequest): Promise<Job> {
    const maxAttempts = req.max_attempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new ValidationError('max_attempts must be a positive integer', { field: 'max_attempts' });
    }
    const key = req.job_key ?? null;
    // A few rounds: the existing job may finish between our failed insert and our read.
    for (let round = 0; round < 5; round++) {
      if (key !== null) {
        const existing = await this.activeByKey(key);
        if (existing) return existing;
      }
      const now = this.clock.now();
      try {
        const row = await this.db
          .insertInto('jobs')
          .values({
            id: newId(),
            project_id: req.project_id,
            task: req.task,
            payload: toJsonText(req.payload),
            job_key: key,
            status: 'queued',
            attempts: 0,
            max_attempts: maxAttempts,
            run_at: req.run_at ?? now,
            locked_by: null,
            locked_until: null,
            progress: 0,
            progress_message: null,
            last_error: null,
            result: null,
            cancel_requested: 0,
            created_by: req.created_by ?? null,
            created_at: now,
            updated_at: now,
            finished_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toJob(row);
      } catch (error) {
        // The partial unique index jobs_active_key lost us the race: read the winner.
        if (key === null || uniqueViolation(error) === undefined) throw error;
      }
    }
    throw new ConflictError(`could not enqueue a job with key '${key}': it keeps changing`, { job_key: key });
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** Newest first. `projectId`: undefined = every job, null = instance-level jobs only. */
  async list(page: PageRequest, filter: { projectId?: string | null; status?: Job['status'] }): Promise<Page<Job>> {
    const limit = pageLimit(page.limit);
    let query = this.db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (filter.projectId === null) query = query.where('project_id', 'is', null);
    else if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const after = cursorKey(page);
    if (after !== undefined) query = query.where('id', '<', after);
    const rows = await query.execute();
    return toPage(rows.map(toJob), limit, (job) => job.id);
  }

  async cancel(id: string): Promise<Job | undefined> {
    const now = this.clock.now();
    const cancelled = await this.db
      .updateTable('jobs')
      .set({ status: 'cancelled', cancel_requested: 1, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (cancelled) return toJob(cancelled);
    await this.db
      .updateTable('jobs')
      .set({ cancel_requested: 1, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('cancel_requested', '=', 0)
      .execute();
    return this.get(id);
  }

  /**
   * Lease the oldest due job: a queued job whose run_at has come, or a running job whose lease
   * expired (its worker died). Expired jobs with no attempts left become failed ('lease
   * expired'), and expired jobs whose cancel was requested become cancelled, instead.
   */
  async claim(workerId: string, leaseMs: number, tasks?: string[]): Promise<Job | undefined> {
    if (tasks !== undefined && tasks.length === 0) return undefined;
    const now = this.clock.now();
    await this.settleAbandoned(now);
    const next = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([
            eb('status', '=', 'running'),
            eb('locked_until', '<', now),
            eb('attempts', '<', eb.ref('max_attempts')),
            eb('cancel_requested', '=', 0),
          ]),
        ]),
      )
      .$if(tasks !== undefined, (qb) => qb.where('task', 'in', tasks!))
      .orderBy('run_at')
      .orderBy('id')
      .limit(1)
      // PostgreSQL: concurrent claimers skip each other's row; SQLite: one UPDATE is atomic.
      .$if(this.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: workerId,
        locked_until: now + leaseMs,
        progress: 0,
        progress_message: null,
        updated_at: now,
      }))
      .where('id', '=', next)
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** Jobs whose worker died and that must not run again: no attempts left, or cancel requested. */
  private async settleAbandoned(now: number): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: eb.case().when('cancel_requested', '=', 1).then('cancelled').else('failed').end(),
        last_error: eb.case().when('cancel_requested', '=', 1).then(eb.ref('last_error')).else('lease expired').end(),
        locked_until: null,
        finished_at: now,
        updated_at: now,
      }))
      .where('status', '=', 'running')
      .where('locked_until', '<', now)
      .where((eb) => eb.or([eb('attempts', '>=', eb.ref('max_attempts')), eb('cancel_requested', '=', 1)]))
      .execute();
  }

  async heartbeat(
    id: string,
    workerId: string,
    leaseMs: number,
    progress?: { fraction: number; message?: string },
  ): Promise<{ cancelRequested: boolean; lost: boolean }> {
    const now = this.clock.now();
    const row = await this.db
      .updateTable('jobs')
      .set({
        locked_until: now + leaseMs,
        updated_at: now,
        ...(progress ? { progress: clampFraction(progress.fraction), progress_message: progress.message ?? null } : {}),
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .returning('cancel_requested')
      .executeTakeFirst();
    if (!row) return { cancelRequested: false, lost: true };
    return { cancelRequested: Number(row.cancel_requested) === 1, lost: false };
  }

  async complete(id: string, workerId: string, result: unknown): Promise<void> {
    const now = this.clock.now();
    await this.db
      .updateTable('jobs')
      .set({ status: 'succeeded', result: toJsonText(result), progress: 1, locked_until: null, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Back to queued after a backoff while attempts remain (and no cancel was requested), else
   * failed. Answers the job as it is now, or undefined when `workerId` no longer holds it.
   */
  async fail(id: string, workerId: string, error: string): Promise<Job | undefined> {
    const current = await this.get(id);
    if (!current || current.status !== 'running' || current.locked_by !== workerId) return undefined;
    const now = this.clock.now();
    const retry = current.attempts < current.max_attempts && !current.cancel_requested;
    const row = await this.db
      .updateTable('jobs')
      .set(
        retry
          ? { status: 'queued', run_at: now + retryDelayMs(current.attempts), locked_by: null, locked_until: null, last_error: error, updated_at: now }
          : { status: 'failed', locked_until: null, last_error: error, finished_at: now, updated_at: now },
      )
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .where('attempts', '=', current.attempts)
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  async markCancelled(id: string, workerId: string): Promise<void> {
    const now = this.clock.now();
    await this.db
      .updateTable('jobs')
      .set({ status: 'cancelled', locked_until: null, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .execute();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  private async activeByKey(key: string): Promise<Job | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('job_key', '=', key)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return row ? toJob(row) : undefined;
  }
}

function clampFraction(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}
