// Reviews of labelling tasks on Kysely: one row per decision, the labels a rejection discarded
// kept as JSON so the history survives the task's return to the queue.
import type { Kysely, Selectable } from 'kysely';
import type { ReviewDecision, TaskLabel, TaskReview } from '../../domain/annotation.js';
import type { TaskReviewRepository } from '../../domain/ports/annotation-store.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { TaskReviewsTable } from './schema-annotation-quality.js';

const toReview = (r: Selectable<TaskReviewsTable>): TaskReview => ({
  ...r,
  decision: r.decision as ReviewDecision,
  discarded_labels: JSON.parse(r.discarded_labels) as TaskLabel[],
  created_at: toNum(r.created_at),
});

export class KyselyTaskReviewRepository implements TaskReviewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(review: TaskReview): Promise<void> {
    await this.db
      .insertInto('task_reviews')
      .values({ ...review, discarded_labels: JSON.stringify(review.discarded_labels) })
      .execute();
  }

  async listForTask(taskId: string): Promise<TaskReview[]> {
    const rows = await this.db.selectFrom('task_reviews').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
    return rows.map(toReview);
  }
}
