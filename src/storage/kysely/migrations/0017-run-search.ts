// Migration 17: tracking at scale. Metric points get MLflow's NaN flag and a primary key (a point
// logged twice is kept once, as MLflow's primary key does; the key also serves histories), and
// each run keeps its latest point per metric in run_latest_metrics, maintained on write, so runs
// are sorted and filtered by a metric without reading histories. Existing points are carried over
// (duplicates once) and the latest points filled in from them. On SQLite, points, params and tags
// become WITHOUT ROWID tables (one B-tree each, keyed as they are looked up).
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // On SQLite the points live in their key's B-tree alone (WITHOUT ROWID): one tree to write, not two.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('run_metrics_0017')
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('run_metrics_point', ['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan'])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await db
    .insertInto('run_metrics_0017')
    .columns(['run_id', 'key', 'value', 'step', 'timestamp', 'is_nan'])
    .expression(db.selectFrom('run_metrics').select(['run_id', 'key', 'value', 'step', 'timestamp', sql<number>`0`.as('is_nan')]).distinct())
    .execute();
  await db.schema.dropTable('run_metrics').execute();
  await db.schema.alterTable('run_metrics_0017').renameTo('run_metrics').execute();
  // Params and tags too: on SQLite a (run, key) lookup then reads the value from the key's own tree.
  if (sqlite) for (const table of ['run_params', 'run_tags']) await withoutRowid(db, table);

  await db.schema
    .createTable('run_latest_metrics')
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('experiment_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_latest_metrics_pk', ['run_id', 'key'])
    .execute();
  const ranked = db
    .selectFrom('run_metrics as m')
    .innerJoin('runs as r', 'r.id', 'm.run_id')
    .select((eb) => [
      'm.run_id',
      'r.experiment_id',
      'm.key',
      'm.value',
      'm.is_nan',
      'm.step',
      'm.timestamp',
      eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy(['m.run_id', 'm.key']).orderBy('m.step', 'desc').orderBy('m.timestamp', 'desc').orderBy('m.value', 'desc')).as('rn'),
    ])
    .as('ranked');
  await db
    .insertInto('run_latest_metrics')
    .columns(['run_id', 'experiment_id', 'key', 'value', 'is_nan', 'step', 'timestamp'])
    .expression(db.selectFrom(ranked).select(['run_id', 'experiment_id', 'key', 'value', 'is_nan', 'step', 'timestamp']).where('rn', '=', 1))
    .execute();
  // "Experiment E's runs by metric K": sorting and filtering by a latest value walk this index.
  await db.schema.createIndex('run_latest_metrics_sort').on('run_latest_metrics').columns(['experiment_id', 'key', 'is_nan', 'value', 'run_id']).execute();
  // An experiment's runs newest first (start, or creation before the start) walk this index and stop.
  await db.schema
    .createIndex('runs_experiment_start')
    .on('runs')
    .columns(['project_id', 'experiment_id', 'lifecycle_stage'])
    .expression(sql`(COALESCE(start_time, created_at)) DESC`)
    .column('id')
    .execute();
  // A run met through a metric's index is checked against its project, experiment and stage here,
  // without reading its row.
  await db.schema.createIndex('runs_scope').on('runs').columns(['id', 'project_id', 'experiment_id', 'lifecycle_stage']).execute();
}

/** Rebuild a (run_id, key, value) table of 0005 as a WITHOUT ROWID table keyed on (run_id, key) (SQLite). */
async function withoutRowid(db: Kysely<any>, table: string): Promise<void> {
  const next = `${table}_0017`;
  await db.schema
    .createTable(next)
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('key', 'varchar(250)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.insertInto(next).columns(['run_id', 'key', 'value']).expression(db.selectFrom(table).select(['run_id', 'key', 'value'])).execute();
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}
