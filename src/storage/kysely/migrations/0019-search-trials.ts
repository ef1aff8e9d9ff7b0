// Migration 19: the trials of hyper-parameter searches — each child run of a search's parent run,
// its params (JSON), status and validation metric value, listed by trial number.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_trials')
    .addColumn('parent_run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('trial', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_trials_pk', ['parent_run_id', 'trial'])
    .execute();
  await db.schema.createIndex('search_trials_run').unique().on('search_trials').column('run_id').execute();
}
