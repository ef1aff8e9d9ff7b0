// Migration 8: annotation exchange with outside tools (Label Studio JSON) — outside annotators
// and their placeholder users, imported tasks' original JSON, imported labels' provenance.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('external_annotators')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(100)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('external_annotators_key', ['project_id', 'provider', 'external_id'])
    .execute();

  await db.schema
    .createTable('exchange_tasks')
    .addColumn('task_id', 'varchar(36)', (c) => c.primaryKey().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(200)')
    .addColumn('original', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exchange_tasks_external').on('exchange_tasks').columns(['job_id', 'external_id']).execute();

  await db.schema
    .createTable('label_provenance')
    .addColumn('label_id', 'varchar(36)', (c) => c.primaryKey().references('task_labels.id').onDelete('cascade'))
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('provider', 'varchar(100)', (c) => c.notNull())
    .addColumn('external_annotator', 'varchar(200)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(200)')
    .addColumn('original', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('label_provenance_task').on('label_provenance').columns(['task_id', 'provider', 'external_id']).execute();
}
