// Migration 22: each staging area's size as running counts on its settings row (staged_rows,
// staged_batches), changed in the transaction of every staged batch and every commit, so a push
// reads one row instead of summing the dataset's staged batches (a sum that grew with every
// batch staged). Datasets with staged batches get their counts from them (and a settings row).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dataset_staging_settings').addColumn('staged_rows', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('dataset_staging_settings').addColumn('staged_batches', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  const staged = await db
    .selectFrom('dataset_staged_batches')
    .select((eb) => ['dataset_id', eb.fn.max('project_id').as('project_id'), eb.fn.countAll().as('batches'), eb.fn.sum('accepted_rows').as('rows'), eb.fn.max('created_at').as('at')])
    .where('committed_version_id', 'is', null)
    .groupBy('dataset_id')
    .execute();
  for (const s of staged as Array<{ dataset_id: string; project_id: string; batches: unknown; rows: unknown; at: unknown }>) {
    const counts = { staged_rows: Number(s.rows ?? 0), staged_batches: Number(s.batches) };
    const updated = await db.updateTable('dataset_staging_settings').set(counts).where('dataset_id', '=', s.dataset_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) continue;
    await db
      .insertInto('dataset_staging_settings')
      .values({ dataset_id: s.dataset_id, project_id: s.project_id, commit_at_rows: null, updated_at: Number(s.at), ...counts })
      .execute();
  }
}
