// The labelling queue's leases on Kysely. A task handed out is leased to its annotator until the
// lease expires; `taken` on the task counts its slots held by labels and leases, so the queue
// never hands out more than the job's overlap. Each step is one indexed statement:
// - the annotator's leases in the job are renewed (index on (job_id, annotator_id)), and the
//   best of them still open comes back first;
// - expired leases of the job give their slots back (an index range on (job_id, expires_at)),
//   when the caller asks for it (the service does at most once a second per job);
// - otherwise the first task in the partial index of open, non-gold tasks (by priority, then
//   id, holding `taken`) with a free slot that they have neither labelled nor skipped: the index
//   alone answers it, probing their labels and skips by primary key; then one conditional UPDATE
//   takes the slot. On PostgreSQL the candidate is locked as it is chosen, passing over rows other
//   transactions hold (FOR UPDATE SKIP LOCKED): a task whose label is being committed, or that
//   another annotator is taking, does not make the caller wait; it gets the next free one. Only
//   when every candidate is held does it wait for them (so a slot is never missed).
// The first statement writes, so SQLite takes its write lock before reading. The hot statements
// are SQL templates with bound values: they skip the query builder's cost on every call.
// A lease past its expiry keeps its slot until it is given back; renewing it then is consistent.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { LeaseRequest } from '../../domain/ports/annotation-store.js';
import { inChunks } from './in-chunks.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import type { LabellingTasksTable } from './schema-annotation.js';

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

/** Expired leases of the job end and give their slots back; answers how many ended. */
export async function endExpiredLeases(db: Db, jobId: string, now: number): Promise<number> {
  const ended = await db.deleteFrom('task_leases').where('job_id', '=', jobId).where('expires_at', '<=', now).returning('task_id').execute();
  if (ended.length > 0) await giveBack(db, ended.map((r) => r.task_id));
  return ended.length;
}

/**
 * The next open, non-gold task with a free slot the annotator has not labelled, skipped or
 * excluded. The literals match the partial index's WHERE on both planners.
 */
function candidate(jobId: string, annotatorId: string, overlap: number, exclude: readonly string[], skipLocked: boolean) {
  const notExcluded = exclude.length > 0 ? sql`AND t.id NOT IN (${sql.join([...exclude])})` : sql``;
  const lock = skipLocked ? sql`FOR UPDATE OF t SKIP LOCKED` : sql``;
  return sql<{ id: string }>`SELECT t.id FROM labelling_tasks t
    WHERE t.job_id = ${jobId} AND t.status = 'open' AND t.gold_label IS NULL AND t.taken < ${overlap}
      AND NOT EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.annotator_id = ${annotatorId})
      AND NOT EXISTS (SELECT 1 FROM task_skips k WHERE k.task_id = t.id AND k.annotator_id = ${annotatorId})
      ${notExcluded}
    ORDER BY t.priority DESC, t.id LIMIT 1 ${lock}`;
}

/** See LabellingTaskRepository.lease. */
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
    const found =
      (dialect === 'postgres' ? (await candidate(jobId, annotatorId, req.overlap, exclude, true).execute(db)).rows[0] : undefined) ??
      (await candidate(jobId, annotatorId, req.overlap, exclude, false).execute(db)).rows[0];
    if (!found) return undefined;
    const row = (await sql<TaskRow>`UPDATE labelling_tasks SET taken = taken + 1 WHERE id = ${found.id} AND status = 'open' AND taken < ${req.overlap} RETURNING *`.execute(db)).rows[0];
    if (row) {
      await sql`INSERT INTO task_leases (task_id, annotator_id, project_id, job_id, expires_at) VALUES (${row.id}, ${annotatorId}, ${row.project_id}, ${jobId}, ${req.expiresAt})`.execute(db);
      return row;
    }
    exclude.push(found.id); // another caller took its last slot first
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
export async function claimSlot(db: Db, taskId: string, overlap: number, annotatorId?: string): Promise<number | undefined> {
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
