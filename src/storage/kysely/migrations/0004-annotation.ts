// Migration 4: labelling jobs, their tasks, the labels annotators give, and ground-truth
// feedback on logged predictions.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('labelling_jobs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('label_config', 'text', (c) => c.notNull())
    .addColumn('overlap', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('labelling_jobs_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('labelling_tasks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull().references('labelling_jobs.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prediction_id', 'varchar(200)')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('label_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_label', 'varchar(200)')
    .addColumn('agreement', 'double precision')
    .addColumn('tie', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  // The queue reads open tasks of a job by priority (high first), then age (UUIDv7 ids).
  await sql`CREATE INDEX labelling_tasks_queue ON labelling_tasks (job_id, status, priority DESC, id)`.execute(db);
  await db.schema.createIndex('labelling_tasks_job').on('labelling_tasks').columns(['job_id', 'id']).execute();
  // A logged prediction is labelled at most once per job.
  await sql`CREATE UNIQUE INDEX labelling_tasks_prediction ON labelling_tasks (job_id, prediction_id) WHERE prediction_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable('task_labels')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('annotator_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('label', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint')
    .addUniqueConstraint('task_labels_task_annotator', ['task_id', 'annotator_id'])
    .execute();
  await db.schema.createIndex('task_labels_job_annotator').on('task_labels').columns(['job_id', 'annotator_id']).execute();

  await db.schema
    .createTable('prediction_feedback')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('prediction_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('label', 'varchar(200)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('task_id', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('prediction_feedback_project_prediction', ['project_id', 'prediction_id'])
    .execute();
}
