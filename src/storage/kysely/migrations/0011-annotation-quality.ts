// Migration 11: annotation quality — gold tasks (a known answer) mixed into the queue at a job's
// gold rate, disputed tasks (low agreement or a tie), and the reviews that accept, fix or reject
// a resolved task (with the labels a rejection discarded, kept for history), and skipped tasks.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('labelling_jobs').addColumn('gold_rate', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('labelling_jobs').addColumn('dispute_below', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('labelling_tasks').addColumn('gold_label', 'varchar(200)').execute();
  await db.schema.alterTable('labelling_tasks').addColumn('disputed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('labelling_tasks_disputed').on('labelling_tasks').columns(['job_id', 'disputed', 'id']).execute();

  await db.schema
    .createTable('task_reviews')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('before_label', 'varchar(200)')
    .addColumn('after_label', 'varchar(200)')
    .addColumn('note', 'text')
    .addColumn('discarded_labels', 'text', (c) => c.notNull()) // JSON: the labels a rejection removed
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_reviews_task').on('task_reviews').columns(['task_id', 'id']).execute();

  // A task an annotator skipped is not served to them again; skips give the skip rate.
  await db.schema
    .createTable('task_skips')
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('annotator_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_skips_pk', ['task_id', 'annotator_id'])
    .execute();
  await db.schema.createIndex('task_skips_job_annotator').on('task_skips').columns(['job_id', 'annotator_id']).execute();
}
