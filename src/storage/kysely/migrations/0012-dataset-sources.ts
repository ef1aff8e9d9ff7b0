// Migration 12: datasets' scheduled sources (an HTTP(S) file or a PostgreSQL query, pulled on a
// cron schedule into the staging area; credentials live encrypted in `secrets`) and their runs.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dataset_sources')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('format', 'varchar(16)')
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('query', 'text')
    .addColumn('secret_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('schedule', 'varchar(200)', (c) => c.notNull())
    .addColumn('timezone', 'varchar(100)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('commit_every_rows', 'bigint')
    .addColumn('commit_cron', 'varchar(200)')
    .addColumn('next_run_at', 'bigint')
    .addColumn('next_commit_at', 'bigint')
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('dataset_sources_name', ['dataset_id', 'name'])
    .execute();
  await db.schema.createIndex('dataset_sources_due').on('dataset_sources').columns(['enabled', 'next_run_at']).execute();
  await db.schema.createIndex('dataset_sources_commit_due').on('dataset_sources').columns(['enabled', 'next_commit_at']).execute();

  await db.schema
    .createTable('dataset_source_runs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('source_id', 'varchar(36)', (c) => c.notNull().references('dataset_sources.id').onDelete('cascade'))
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(36)')
    .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('bytes', 'bigint')
    .addColumn('sha256', 'varchar(64)')
    .addColumn('rows_read', 'bigint', (c) => c.notNull())
    .addColumn('rows_staged', 'bigint', (c) => c.notNull())
    .addColumn('rows_quarantined', 'bigint', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('batch_id', 'varchar(36)')
    .addColumn('committed_version_id', 'varchar(36)')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('dataset_source_runs_source').on('dataset_source_runs').columns(['source_id', 'id']).execute();
  await db.schema.createIndex('dataset_source_runs_job').on('dataset_source_runs').column('job_id').execute();
}
