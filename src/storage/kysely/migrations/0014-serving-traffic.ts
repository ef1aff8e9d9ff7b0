// Migration 14: KPI gates against the champion and across slices (policy columns), canary and
// shadow targets of deployments with their binding history, and serving alerts (an alert may
// name a deployment instead of a monitor: monitor_id becomes nullable, kind wider).
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('validation_policies').addColumn('min_improvement', 'text').execute();
  await db.schema.alterTable('validation_policies').addColumn('max_slice_gap', 'text').execute();

  await db.schema.alterTable('deployments').addColumn('canary', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('shadow', 'text').execute();

  await db.schema
    .createTable('deployment_bindings')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('change', 'varchar(16)', (c) => c.notNull())
    .addColumn('model_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('alias', 'varchar(63)')
    .addColumn('version', 'integer')
    .addColumn('canary', 'text')
    .addColumn('shadow', 'text')
    .addColumn('serving_version', 'integer')
    .addColumn('canary_version', 'integer')
    .addColumn('shadow_version', 'integer')
    .addColumn('who', 'varchar(36)')
    .addColumn('who_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deployment_bindings_deployment').on('deployment_bindings').columns(['deployment_id', 'id']).execute();
  // Existing deployments start their history with their current binding (the deployment's id
  // is older than any later entry's, so the history keeps its order).
  await sql`INSERT INTO deployment_bindings (id, project_id, deployment_id, change, model_id, alias, version, canary, shadow, serving_version, canary_version, shadow_version, who, who_name, at, reason)
    SELECT id, project_id, id, 'create', model_id, alias, version, NULL, NULL, NULL, NULL, NULL, created_by, 'migration', created_at, 'binding when the history began' FROM deployments`.execute(db);

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // SQLite cannot drop a NOT NULL constraint: rebuild the table.
    await db.schema
      .createTable('alerts_next')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('monitor_id', 'varchar(36)', (c) => c.references('monitors.id').onDelete('cascade'))
      .addColumn('deployment', 'varchar(63)')
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('window_end', 'bigint', (c) => c.notNull())
      .addColumn('metric', 'varchar(200)', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('threshold', 'double precision', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO alerts_next (id, project_id, monitor_id, deployment, kind, window_start, window_end, metric, value, threshold, message, status, created_at)
      SELECT id, project_id, monitor_id, NULL, kind, window_start, window_end, metric, value, threshold, message, status, created_at FROM alerts`.execute(db);
    await db.schema.dropTable('alerts').execute();
    await db.schema.alterTable('alerts_next').renameTo('alerts').execute();
    await db.schema.createIndex('alerts_project').on('alerts').columns(['project_id', 'id']).execute();
  } else {
    await db.schema.alterTable('alerts').alterColumn('monitor_id', (c) => c.dropNotNull()).execute();
    await db.schema.alterTable('alerts').alterColumn('kind', (c) => c.setDataType('varchar(32)')).execute();
    await db.schema.alterTable('alerts').addColumn('deployment', 'varchar(63)').execute();
  }
}
