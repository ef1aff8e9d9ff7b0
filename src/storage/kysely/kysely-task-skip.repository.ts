// Skipped tasks on Kysely: one row per (task, annotator); a second skip is a no-op.
import type { Kysely } from 'kysely';
import type { TaskSkip } from '../../domain/annotation.js';
import type { TaskSkipRepository } from '../../domain/ports/annotation-store.js';
import type { Database } from './schema.js';

export class KyselyTaskSkipRepository implements TaskSkipRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(skip: TaskSkip): Promise<boolean> {
    const r = await this.db
      .insertInto('task_skips')
      .values(skip)
      .onConflict((oc) => oc.columns(['task_id', 'annotator_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async countsByAnnotator(jobId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('task_skips')
      .select((eb) => ['annotator_id', eb.fn.countAll().as('n')])
      .where('job_id', '=', jobId)
      .groupBy('annotator_id')
      .execute();
    return new Map(rows.map((r) => [r.annotator_id, Number(r.n)]));
  }
}
