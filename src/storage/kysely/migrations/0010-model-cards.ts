// Migration 10: the hand-written fields of model cards, one row per registered model.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('model_card_fields')
    .addColumn('model_id', 'varchar(36)', (c) => c.primaryKey().references('registered_models.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('intended_use', 'text', (c) => c.notNull())
    .addColumn('limitations', 'text', (c) => c.notNull())
    .addColumn('ethical_considerations', 'text', (c) => c.notNull())
    .addColumn('owners', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'bigint')
    .execute();
}
