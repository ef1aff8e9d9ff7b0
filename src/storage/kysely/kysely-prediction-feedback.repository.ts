// Ground-truth feedback on logged predictions, on Kysely: one row per (project, prediction),
// replaced by a later recording (the latest wins; its first id is kept).
import type { Kysely, Selectable } from 'kysely';
import type { FeedbackSource, PredictionFeedback } from '../../domain/annotation.js';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { PredictionFeedbackRepository } from '../../domain/ports/annotation-store.js';
import { pageById } from './cursor.js';
import { inChunks } from './in-chunks.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { PredictionFeedbackTable } from './schema-annotation.js';

const toFeedback = (r: Selectable<PredictionFeedbackTable>): PredictionFeedback => ({
  id: r.id,
  project_id: r.project_id,
  prediction_id: r.prediction_id,
  label: r.label,
  source: r.source as FeedbackSource,
  task_id: r.task_id,
  created_at: toNum(r.created_at),
});

export class KyselyPredictionFeedbackRepository implements PredictionFeedbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(f: PredictionFeedback): Promise<void> {
    await this.db
      .insertInto('prediction_feedback')
      .values(f)
      .onConflict((oc) =>
        oc.columns(['project_id', 'prediction_id']).doUpdateSet((eb) => ({
          label: eb.ref('excluded.label'),
          source: eb.ref('excluded.source'),
          task_id: eb.ref('excluded.task_id'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }

  async getMany(projectId: string, predictionIds: string[]): Promise<PredictionFeedback[]> {
    const out: PredictionFeedback[] = [];
    await inChunks([...new Set(predictionIds)], async (ids) => {
      const rows = await this.db
        .selectFrom('prediction_feedback')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('prediction_id', 'in', ids)
        .execute();
      out.push(...rows.map(toFeedback));
    });
    return out;
  }

  async list(projectId: string, page: PageRequest): Promise<Page<PredictionFeedback>> {
    return pageById(
      this.db
        .selectFrom('prediction_feedback')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toFeedback,
      'asc',
    );
  }
}
