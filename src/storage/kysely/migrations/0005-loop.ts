// Migration 5: experiments and runs (params, metrics with steps, tags), validation policies,
// monitors with their window results, alerts and retraining decisions.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('experiments_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('experiment_id', 'varchar(36)', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('dataset_version_id', 'varchar(36)')
    .addColumn('seed', 'bigint')
    .addColumn('code_version', 'varchar(100)')
    .addColumn('job_id', 'varchar(36)')
    .addColumn('model_artifact_sha256', 'varchar(64)')
    .addColumn('model_version_id', 'varchar(36)')
    .addColumn('gate', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .execute();
  await db.schema.createIndex('runs_project').on('runs').columns(['project_id', 'id']).execute();

  await db.schema
    .createTable('run_params')
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_params_pk', ['run_id', 'key'])
    .execute();
  await db.schema
    .createTable('run_metrics')
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('run_metrics_key').on('run_metrics').columns(['run_id', 'key', 'step']).execute();
  await db.schema
    .createTable('run_tags')
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_tags_pk', ['run_id', 'key'])
    .execute();

  await db.schema
    .createTable('validation_policies')
    .addColumn('project_id', 'varchar(36)', (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('monitors')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('deployment', 'varchar(63)', (c) => c.notNull())
    .addColumn('reference_dataset_version_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('psi_threshold', 'double precision', (c) => c.notNull())
    .addColumn('tolerance', 'double precision', (c) => c.notNull())
    .addColumn('baseline', 'text', (c) => c.notNull())
    .addColumn('window', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('monitors_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('monitor_windows')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('monitor_id', 'varchar(36)', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('predictions', 'integer', (c) => c.notNull())
    .addColumn('labelled', 'integer', (c) => c.notNull())
    .addColumn('drift', 'text', (c) => c.notNull())
    .addColumn('performance', 'text')
    .addColumn('baseline', 'text', (c) => c.notNull())
    .addColumn('reference_dataset_version_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('monitor_windows_start', ['monitor_id', 'window_start'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('monitor_id', 'varchar(36)', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('metric', 'varchar(200)', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_project').on('alerts').columns(['project_id', 'id']).execute();

  await db.schema
    .createTable('retrain_decisions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('model', 'varchar(200)', (c) => c.notNull())
    .addColumn('trigger_alert_ids', 'text', (c) => c.notNull())
    .addColumn('champion', 'text', (c) => c.notNull())
    .addColumn('challenger', 'text', (c) => c.notNull())
    .addColumn('holdout', 'text', (c) => c.notNull())
    .addColumn('decision', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
