// Migration 15: labelling task types beyond single-label classification — the structured value
// of a label (chosen labels, text spans, image boxes) and of a task's consensus, kept as JSON
// next to the one-line summary in `label` / `resolved_label`; and the images uploaded to jobs
// (bytes in the artifact store by sha256, one task made per image); imported labels remember the
// format they came in (Label Studio JSON, JSON Lines or CSV results).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task_labels').addColumn('value', 'text').execute(); // JSON, null for classification
  await db.schema.alterTable('labelling_tasks').addColumn('resolved_value', 'text').execute(); // JSON
  await db.schema.alterTable('label_provenance').addColumn('format', 'varchar(16)', (c) => c.notNull().defaultTo('label-studio')).execute();

  await db.schema
    .createTable('labelling_images')
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull().references('labelling_jobs.id').onDelete('cascade'))
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('task_id', 'varchar(36)', (c) => c.notNull().references('labelling_tasks.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)')
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('labelling_images_pk', ['job_id', 'sha256'])
    .execute();
}
