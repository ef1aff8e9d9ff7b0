// The labelling queue's leases on Kysely. A task handed out is leased to its annotator until the
// lease expires; `taken` on the task counts its slots held by labels and leases, so the queue
// never hands out more than the job's overlap. The steps:
// - the annotator's leases in the job are renewed (index on (job_id, annotator_id)), and the
//   best of them still open comes back first;
// - expired leases of the job give their slots back (an index range on (job_id, expires_at)),
//   when the caller asks for it (the service does at most once a second per job);
// - otherwise the first task in the partial index of open, non-gold tasks (by priority, then
//   id, holding `taken`) with a free slot that they have neither labelled nor skipped: the index
//   alone answers it, probing their labels and skips by primary key; one conditional UPDATE
//   takes the slot (the candidate is its subquery), and the lease row is inserted.
// On PostgreSQL all of that is one statement (data-modifying CTEs: renew, the held task, the
// candidate locked as it is chosen with FOR UPDATE SKIP LOCKED, the slot taken, the lease
// inserted), atomic on its own, so a call outside a transaction is one round trip and holds no
// lock beyond it; giving expired leases back, when asked, is one statement before it. A task
// whose label is being committed, or that another annotator is taking, is passed over for the
// next free one. Only when that statement finds nothing (every candidate held by others, or
// none left) does the full path run, in a transaction, waiting for held candidates (so a slot
// is never missed). On SQLite (one writer) the steps run in one transaction whose first
// statement writes, so SQLite takes its write lock before reading. Taking a slot for a label
// and storing the label is one statement on PostgreSQL too. The hot statements are SQL
// templates with bound values: they skip the query builder's cost on every call.
// A lease past its expiry keeps its slot until it is given back; renewing it then is consistent.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { TaskLabel } from '../../domain/annotation.js';
import type { LeaseRequest } from '../../domain/ports/annotation-store.js';
import { inChunks } from './in-chunks.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import type { LabellingTasksTable } from './schema-annotation.js';
import { KyselyTaskLabelRepository, labelConflicts, storedValue } from './kysely-task-label.repository.js';
import { conflictsAs } from './unique-violation.js';

type Db = Kysely<Database>;
type TaskRow = Selectable<LabellingTasksTable>;

/** Attempts at taking a slot before giving up (each failure means another caller took it first). */
const ATTEMPTS = 5;

/** Give back the slots of ended leases: one UPDATE per distinct count. */
async function giveBack(db: Db, taskIds: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const id of taskIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const byCount = new Map<number, string[]>();
  for (const [id, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), id]);
  for (const [n, ids] of byCount) {
    await inChunks(ids.sort(), async (slice) => {
      await db
        .updateTable('labelling_tasks')
        .set({ taken: sql<number>`CASE WHEN taken >= ${n} THEN taken - ${n} ELSE 0 END` })
        .where('id', 'in', slice)
        .execute();
    });
  }
}

/** Expired leases of the job (but `keep`'s) end and give their slots back; answers how many ended. */
export async function endExpiredLeases(db: Db, jobId: string, now: number, keep?: string): Promise<number> {
  const ended = await db
    .deleteFrom('task_leases')
    .where('job_id', '=', jobId)
    .where('expires_at', '<=', now)
    .$if(keep !== undefined, (q) => q.where('annotator_id', '<>', keep!))
    .returning('task_id')
    .execute();
  if (ended.length > 0) await giveBack(db, ended.map((r) => r.task_id));
  return ended.length;
}

/**
 * PostgreSQL: `endExpiredLeases` as one statement (the leases deleted, their tasks' slots given
 * back), atomic without a transaction of its own.
 */
async function endExpiredLeasesAtOnce(db: Db, jobId: string, now: number, keep: string): Promise<number> {
  const r = await sql<{ ended: number }>`WITH ended AS (
      DELETE FROM task_leases WHERE job_id = ${jobId} AND expires_at <= ${now} AND annotator_id <> ${keep} RETURNING task_id
    ), counts AS (
      SELECT task_id, count(*) AS n FROM ended GROUP BY task_id
    ), given AS (
      UPDATE labelling_tasks t SET taken = CASE WHEN t.taken >= counts.n THEN t.taken - counts.n ELSE 0 END FROM counts WHERE t.id = counts.task_id RETURNING t.id
    )
    SELECT count(*) AS ended FROM ended`.execute(db);
  return Number(r.rows[0]?.ended ?? 0);
}

/** `AND t.id NOT IN (…)` for the tasks to pass over, or nothing. */
const notIn = (exclude: readonly string[]) => (exclude.length > 0 ? sql`AND t.id NOT IN (${sql.join([...exclude])})` : sql``);

/**
 * The next open, non-gold task with a free slot the annotator has not labelled, skipped or
 * excluded. The literals match the partial index's WHERE on both planners.
 */
function candidate(jobId: string, annotatorId: string, overlap: number, exclude: readonly string[], skipLocked: boolean) {
  const lock = skipLocked ? sql`FOR UPDATE OF t SKIP LOCKED` : sql``;
  return sql<{ id: string }>`SELECT t.id FROM labelling_tasks t
    WHERE t.job_id = ${jobId} AND t.status = 'open' AND t.gold_label IS NULL AND t.taken < ${overlap}
      AND NOT EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.annotator_id = ${annotatorId})
      AND NOT EXISTS (SELECT 1 FROM task_skips k WHERE k.task_id = t.id AND k.annotator_id = ${annotatorId})
      ${notIn(exclude)}
    ORDER BY t.priority DESC, t.id LIMIT 1 ${lock}`;
}

/**
 * PostgreSQL: the whole lease as one statement. Renews the annotator's leases in the job and
 * answers the best one still open (not excluded); when they hold none, takes a slot of the first
 * free candidate no other transaction holds (SKIP LOCKED) and inserts its lease. At most one row.
 * Nothing when they hold no open task and no candidate is free now (the caller then takes the
 * waiting path).
 */
function leaseStatement(jobId: string, annotatorId: string, req: LeaseRequest, exclude: readonly string[]) {
  return sql<TaskRow>`WITH mine AS (
      UPDATE task_leases SET expires_at = ${req.expiresAt} WHERE job_id = ${jobId} AND annotator_id = ${annotatorId} RETURNING task_id
    ), held AS (
      SELECT t.* FROM labelling_tasks t WHERE t.id IN (SELECT task_id FROM mine) AND t.status = 'open' ${notIn(exclude)}
      ORDER BY t.priority DESC, t.id LIMIT 1
    ), took AS (
      UPDATE labelling_tasks SET taken = taken + 1
      WHERE id = (SELECT t.id FROM labelling_tasks t
          WHERE NOT EXISTS (SELECT 1 FROM held)
            AND t.job_id = ${jobId} AND t.status = 'open' AND t.gold_label IS NULL AND t.taken < ${req.overlap}
            AND NOT EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.annotator_id = ${annotatorId})
            AND NOT EXISTS (SELECT 1 FROM task_skips k WHERE k.task_id = t.id AND k.annotator_id = ${annotatorId})
            ${notIn(exclude)}
          ORDER BY t.priority DESC, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED)
        AND status = 'open' AND taken < ${req.overlap}
      RETURNING *
    ), leased AS (
      INSERT INTO task_leases (task_id, annotator_id, project_id, job_id, expires_at)
      SELECT id, CAST(${annotatorId} AS varchar), project_id, job_id, CAST(${req.expiresAt} AS bigint) FROM took RETURNING task_id
    )
    SELECT * FROM held UNION ALL SELECT * FROM took`;
}

/**
 * See LabellingTaskRepository.lease: atomic on its own (outside a transaction it opens one when
 * it needs one), or part of the caller's transaction.
 */
export async function lease(db: Db, dialect: Dialect, jobId: string, annotatorId: string, req: LeaseRequest): Promise<TaskRow | undefined> {
  if (dialect === 'postgres') {
    // Others' expired leases are given back first, by one statement of its own; the caller's
    // own are renewed by the lease statement, as when renewing comes first.
    if (req.reclaim !== false) await endExpiredLeasesAtOnce(db, jobId, req.now, annotatorId);
    const row = (await leaseStatement(jobId, annotatorId, req, req.exclude ?? []).execute(db)).rows[0];
    if (row) return row;
  }
  const full = (trx: Db) => leaseNext(trx, dialect, jobId, annotatorId, dialect === 'postgres' ? { ...req, reclaim: false } : req);
  return db.isTransaction ? full(db) : db.transaction().execute(full);
}

/** The steps one by one, in the caller's transaction (PostgreSQL: the waiting path). */
export async function leaseNext(db: Db, dialect: Dialect, jobId: string, annotatorId: string, req: LeaseRequest): Promise<TaskRow | undefined> {
  const exclude = [...(req.exclude ?? [])];
  // Renew the caller's leases in the job (one ended but not yet given back still holds its slot).
  // This first statement writes, so SQLite takes its write lock before anything is read.
  const mine = (await sql<{ task_id: string }>`UPDATE task_leases SET expires_at = ${req.expiresAt} WHERE job_id = ${jobId} AND annotator_id = ${annotatorId} RETURNING task_id`.execute(db)).rows;
  if (req.reclaim !== false) await endExpiredLeases(db, jobId, req.now);
  const held = mine.map((r) => r.task_id).filter((id) => !exclude.includes(id));
  if (held.length > 0) {
    const task = (await sql<TaskRow>`SELECT * FROM labelling_tasks WHERE id IN (${sql.join(held)}) AND status = 'open' ORDER BY priority DESC, id LIMIT 1`.execute(db)).rows[0];
    if (task) return task;
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let row: TaskRow | undefined;
    if (dialect === 'postgres') {
      // A free candidate first; only when every one is held, one of them, waiting on its row.
      const found =
        (await candidate(jobId, annotatorId, req.overlap, exclude, true).execute(db)).rows[0] ??
        (await candidate(jobId, annotatorId, req.overlap, exclude, false).execute(db)).rows[0];
      if (!found) return undefined;
      row = (await sql<TaskRow>`UPDATE labelling_tasks SET taken = taken + 1 WHERE id = ${found.id} AND status = 'open' AND taken < ${req.overlap} RETURNING *`.execute(db)).rows[0];
      if (!row) {
        exclude.push(found.id); // another caller took its last slot first
        continue;
      }
    } else {
      // SQLite holds its write lock: the candidate is taken by the same statement.
      row = (await sql<TaskRow>`UPDATE labelling_tasks SET taken = taken + 1
        WHERE id = (${candidate(jobId, annotatorId, req.overlap, exclude, false)}) AND status = 'open' AND taken < ${req.overlap} RETURNING *`.execute(db)).rows[0];
      if (!row) return undefined;
    }
    await sql`INSERT INTO task_leases (task_id, annotator_id, project_id, job_id, expires_at) VALUES (${row.id}, ${annotatorId}, ${row.project_id}, ${jobId}, ${req.expiresAt})`.execute(db);
    return row;
  }
  return undefined;
}

/** The annotator's lease on a task ends and gives its slot back; false when they held none. */
export async function releaseLease(db: Db, taskId: string, annotatorId: string): Promise<boolean> {
  const r = await db.deleteFrom('task_leases').where('task_id', '=', taskId).where('annotator_id', '=', annotatorId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await giveBack(db, [taskId]);
  return true;
}

/** See LabellingTaskRepository.claimSlot. */
export async function claimSlot(db: Db, dialect: Dialect, taskId: string, overlap: number, annotatorId?: string): Promise<number | undefined> {
  if (annotatorId !== undefined && dialect === 'postgres') {
    // One statement: their lease (if any) ends and its slot becomes the label's, or a free slot is taken.
    const row = (await sql<{ label_count: number }>`WITH lease AS (DELETE FROM task_leases WHERE task_id = ${taskId} AND annotator_id = ${annotatorId} RETURNING task_id)
      UPDATE labelling_tasks SET label_count = label_count + 1, taken = CASE WHEN EXISTS (SELECT 1 FROM lease) THEN taken ELSE taken + 1 END
      WHERE id = ${taskId} AND status = 'open' AND CASE WHEN EXISTS (SELECT 1 FROM lease) THEN label_count < ${overlap} ELSE taken < ${overlap} END
      RETURNING label_count`.execute(db)).rows[0];
    return row ? Number(row.label_count) : undefined;
  }
  if (annotatorId !== undefined) {
    const lease = await sql`DELETE FROM task_leases WHERE task_id = ${taskId} AND annotator_id = ${annotatorId}`.execute(db);
    if (Number(lease.numAffectedRows ?? 0) > 0) {
      // The lease's slot becomes the label's.
      const row = (await sql<{ label_count: number }>`UPDATE labelling_tasks SET label_count = label_count + 1
        WHERE id = ${taskId} AND status = 'open' AND label_count < ${overlap} RETURNING label_count`.execute(db)).rows[0];
      return row ? Number(row.label_count) : undefined;
    }
  }
  const row = (await sql<{ label_count: number }>`UPDATE labelling_tasks SET label_count = label_count + 1, taken = taken + 1
    WHERE id = ${taskId} AND status = 'open' AND taken < ${overlap} RETURNING label_count`.execute(db)).rows[0];
  return row ? Number(row.label_count) : undefined;
}

/** See LabellingTaskRepository.claimSlotWithLabel. */
export async function claimSlotWithLabel(db: Db, dialect: Dialect, label: TaskLabel, overlap: number): Promise<number | undefined> {
  const l = label;
  if (dialect !== 'postgres') {
    const count = await claimSlot(db, dialect, l.task_id, overlap, l.annotator_id);
    if (count !== undefined) await new KyselyTaskLabelRepository(db).create(l);
    return count;
  }
  // One statement: the slot (their lease's, or a free one) and, when one was taken, the label.
  const statement = sql<{ label_count: number }>`WITH lease AS (DELETE FROM task_leases WHERE task_id = ${l.task_id} AND annotator_id = ${l.annotator_id} RETURNING task_id),
    claimed AS (
      UPDATE labelling_tasks SET label_count = label_count + 1, taken = CASE WHEN EXISTS (SELECT 1 FROM lease) THEN taken ELSE taken + 1 END
      WHERE id = ${l.task_id} AND status = 'open' AND CASE WHEN EXISTS (SELECT 1 FROM lease) THEN label_count < ${overlap} ELSE taken < ${overlap} END
      RETURNING label_count
    ), stored AS (
      INSERT INTO task_labels (id, project_id, job_id, task_id, annotator_id, label, created_at, duration_ms, value)
      SELECT CAST(${l.id} AS varchar), CAST(${l.project_id} AS varchar), CAST(${l.job_id} AS varchar), CAST(${l.task_id} AS varchar), CAST(${l.annotator_id} AS varchar),
        CAST(${l.label} AS varchar), CAST(${l.created_at} AS bigint), CAST(${l.duration_ms ?? null} AS bigint), CAST(${storedValue(l)} AS text)
      FROM claimed RETURNING id
    )
    SELECT label_count FROM claimed`;
  const row = (await conflictsAs(() => statement.execute(db), labelConflicts(l))).rows[0];
  return row ? Number(row.label_count) : undefined;
}

/** See LabellingTaskRepository.releaseSlot. */
export async function releaseSlot(db: Db, taskId: string, leaseTo?: { annotatorId: string; expiresAt: number }): Promise<boolean> {
  const row = await db
    .updateTable('labelling_tasks')
    .set((eb) => (leaseTo ? { label_count: eb('label_count', '-', 1) } : { label_count: eb('label_count', '-', 1), taken: eb('taken', '-', 1) }))
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .where('label_count', '>', 0)
    .returning(['project_id', 'job_id'])
    .executeTakeFirst();
  if (!row) return false;
  if (leaseTo) {
    await db
      .insertInto('task_leases')
      .values({ task_id: taskId, annotator_id: leaseTo.annotatorId, project_id: row.project_id, job_id: row.job_id, expires_at: leaseTo.expiresAt })
      .onConflict((oc) => oc.columns(['task_id', 'annotator_id']).doUpdateSet({ expires_at: leaseTo.expiresAt }))
      .execute();
  }
  return true;
}
