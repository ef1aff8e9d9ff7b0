// Migration 3: the model registry (models, versions, aliases and their history), deployments,
// and the prediction log's segments.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registered_models')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('registered_models_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('model_versions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('model_id', 'varchar(36)', (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('artifact_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('classes', 'text', (c) => c.notNull())
    .addColumn('run_id', 'varchar(100)')
    .addColumn('dataset_version_id', 'varchar(100)')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('gate', 'text')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('model_versions_model_version', ['model_id', 'version'])
    .execute();

  await db.schema
    .createTable('model_aliases')
    .addColumn('model_id', 'varchar(36)', (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('alias', 'varchar(63)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_aliases_pk', ['model_id', 'alias'])
    .execute();

  await db.schema
    .createTable('model_alias_history')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('model_id', 'varchar(36)', (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('alias', 'varchar(63)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('previous_version', 'integer')
    .addColumn('who', 'varchar(36)')
    .addColumn('who_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('model_alias_history_model').on('model_alias_history').columns(['model_id', 'id']).execute();

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull().unique())
    .addColumn('model_id', 'varchar(36)', (c) => c.notNull().references('registered_models.id'))
    .addColumn('alias', 'varchar(63)')
    .addColumn('version', 'integer')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deployments_project').on('deployments').columns(['project_id', 'id']).execute();

  await db.schema
    .createTable('prediction_segments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('artifact_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('min_event_time', 'bigint', (c) => c.notNull())
    .addColumn('max_event_time', 'bigint', (c) => c.notNull())
    .addColumn('source', 'varchar(300)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('prediction_segments_deployment_time')
    .on('prediction_segments')
    .columns(['project_id', 'deployment_id', 'min_event_time'])
    .execute();
}
