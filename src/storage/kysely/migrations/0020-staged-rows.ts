// Migration 20: each staged batch's accepted row count as a column, so the staging area's size is
// one SUM over its staged batches instead of reading every batch's JSON (pushes ask it each time).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dataset_staged_batches').addColumn('accepted_rows', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  const rows = await db.selectFrom('dataset_staged_batches').select(['id', 'file']).execute();
  for (const r of rows as Array<{ id: string; file: string }>) {
    const rowsOf = Number((JSON.parse(r.file) as { rows?: number }).rows ?? 0);
    await db.updateTable('dataset_staged_batches').set({ accepted_rows: rowsOf }).where('id', '=', r.id).execute();
  }
}
