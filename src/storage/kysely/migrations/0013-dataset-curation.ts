// Migration 13: dataset curation — each dataset's declared schema (columns with type, nullability
// and meaning, and a key), the marks of quarantined lines re-admitted into a new version (one per
// origin version and line, so a line is re-admitted once), and indexes for lineage lookups.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dataset_schemas')
    .addColumn('dataset_id', 'varchar(36)', (c) => c.primaryKey().references('datasets.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull()) // JSON ColumnSchema[]
    .addColumn('key_columns', 'text') // JSON string[]; null when no key is declared
    .addColumn('updated_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dataset_readmits')
    .addColumn('origin_version_id', 'varchar(36)', (c) => c.notNull().references('dataset_versions.id').onDelete('cascade'))
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_readmits_pk', ['origin_version_id', 'line'])
    .execute();
  await db.schema.createIndex('dataset_readmits_version').on('dataset_readmits').columns(['version_id', 'line']).execute();

  // Lineage: what a version's children are, and which runs and model versions used it.
  await db.schema.createIndex('dataset_versions_parent').on('dataset_versions').columns(['parent_version_id']).execute();
  await db.schema.createIndex('runs_dataset_version').on('runs').columns(['dataset_version_id']).execute();
  await db.schema.createIndex('model_versions_dataset_version').on('model_versions').columns(['dataset_version_id']).execute();
}
