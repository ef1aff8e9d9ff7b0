// Migration 7: datasets' staging areas — pushed batches, unique per (dataset, Idempotency-Key),
// staged until a commit marks them with the version they went into; and each dataset's staging
// settings (commit automatically once `commit_at_rows` rows are staged).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dataset_staged_batches')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('body_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('body_bytes', 'bigint', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('quarantine_file', 'text')
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('staged_rows', 'bigint', (c) => c.notNull())
    .addColumn('committed_version_id', 'varchar(36)')
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('dataset_staged_batches_key', ['dataset_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createTable('dataset_staging_settings')
    .addColumn('dataset_id', 'varchar(36)', (c) => c.primaryKey().references('datasets.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('commit_at_rows', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dataset_staged_batches_staged').on('dataset_staged_batches').columns(['dataset_id', 'committed_version_id', 'id']).execute();
}
