// Migration 18: micro-batching settings per deployment (rows per model run at most, and how long
// a request may wait behind a running batch), on by default for existing deployments too.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deployments').addColumn('batch_max_rows', 'integer', (c) => c.notNull().defaultTo(64)).execute();
  await db.schema.alterTable('deployments').addColumn('batch_max_delay_ms', 'integer', (c) => c.notNull().defaultTo(2)).execute();
}
