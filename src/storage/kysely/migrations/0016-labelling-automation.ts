// Migration 16: a faster labelling queue with leases, and automation from a registry model.
// - Leases: a task the queue hands out is kept for its annotator until it expires (task_leases);
//   `taken` counts a task's slots taken by labels and live leases, so the queue never hands out
//   more than the job's overlap. The queue reads a partial index of open, non-gold tasks by
//   priority that also holds `taken` (it replaces the older index on every task); gold tasks get a
//   partial index of their own.
// - Jobs: the lease time, the model named for suggestions (pre-labels), whether annotators see
//   them, and the auto-labelling settings.
// - Tasks: the model's suggestion (label, confidence, every class's probability, the version that
//   made it), the spot-check flag of auto-labelling, how a resolved task got its label, and the
//   dataset row a task was made from (one task per row and job).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('labelling_jobs').addColumn('lease_seconds', 'integer', (c) => c.notNull().defaultTo(600)).execute();
  await db.schema.alterTable('labelling_jobs').addColumn('model', 'text').execute(); // JSON { model, version, alias }
  await db.schema.alterTable('labelling_jobs').addColumn('show_suggestions', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('labelling_jobs').addColumn('auto_label', 'text').execute(); // JSON { threshold, spot_check_share, seed }

  await db.schema.alterTable('labelling_tasks').addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('labelling_tasks').addColumn('suggestion_label', 'varchar(200)').execute();
  await db.schema.alterTable('labelling_tasks').addColumn('suggestion_confidence', 'double precision').execute();
  await db.schema.alterTable('labelling_tasks').addColumn('suggestion', 'text').execute(); // JSON: scores, model version, source
  await db.schema.alterTable('labelling_tasks').addColumn('spot_check', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('labelling_tasks').addColumn('resolved_by', 'varchar(16)').execute();
  await db.schema.alterTable('labelling_tasks').addColumn('source_row', 'varchar(200)').execute();
  // Tasks labelled before leases existed: their labels hold their slots; resolved ones were decided by their annotators.
  await db.updateTable('labelling_tasks').set({ taken: sql`label_count` }).execute();
  await db.updateTable('labelling_tasks').set({ resolved_by: 'consensus' }).where('status', '=', 'resolved').execute();

  await sql`DROP INDEX labelling_tasks_queue`.execute(db);
  await sql`CREATE INDEX labelling_tasks_open_queue ON labelling_tasks (job_id, priority DESC, id, taken) WHERE status = 'open' AND gold_label IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX labelling_tasks_source_row ON labelling_tasks (job_id, source_row) WHERE source_row IS NOT NULL`.execute(db);
  // Gold tasks of a job, oldest first, without walking its other tasks.
  await sql`CREATE INDEX labelling_tasks_gold ON labelling_tasks (job_id, id) WHERE gold_label IS NOT NULL`.execute(db);

  await db.schema
    .createTable('task_leases')
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('annotator_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_leases_pk', ['task_id', 'annotator_id'])
    .execute();
  await db.schema.createIndex('task_leases_job_expiry').on('task_leases').columns(['job_id', 'expires_at']).execute();
  await db.schema.createIndex('task_leases_job_annotator').on('task_leases').columns(['job_id', 'annotator_id']).execute();
}
