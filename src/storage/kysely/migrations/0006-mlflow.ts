// Migration 6: what MLflow's tracking API needs on top of 0005 — experiment lifecycle
// (active/deleted), artifact location, last update time, the project's default experiment
// (MLflow's id "0") and experiment tags; run lifecycle and the MLflow user of a run.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('experiments').addColumn('lifecycle_stage', 'varchar(16)', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('experiments').addColumn('artifact_location', 'varchar(1000)').execute();
  await db.schema.alterTable('experiments').addColumn('last_update_time', 'bigint').execute();
  await db.schema.alterTable('experiments').addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('experiment_tags')
    .addColumn('experiment_id', 'varchar(36)', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute();

  await db.schema.alterTable('runs').addColumn('lifecycle_stage', 'varchar(16)', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('runs').addColumn('user_id', 'varchar(250)').execute();
  await db.schema.createIndex('runs_experiment').on('runs').columns(['experiment_id', 'id']).execute();
}

