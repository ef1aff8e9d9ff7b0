// Ground-truth feedback on logged predictions: recorded by resolved labelling tasks (source
// 'annotation') or given directly (source 'api'); read back by monitoring, per prediction id.
import type { Clock } from '../../domain/clock.js';
import type { FeedbackSource, PredictionFeedback } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';

export interface FeedbackInput {
  prediction_id: string;
  label: string;
}

const MAX = 200;

function check(items: readonly FeedbackInput[]): void {
  items.forEach((f, i) => {
    for (const key of ['prediction_id', 'label'] as const) {
      const v = f?.[key];
      if (typeof v !== 'string' || v === '' || v.length > MAX) {
        throw new ValidationError(`items[${i}].${key} must be a string of 1-${MAX} characters`, { field: `items[${i}].${key}` });
      }
    }
  });
}

export class FeedbackService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Record true labels for predictions of the project (the latest recording of a prediction
   * wins), in one audited operation. Example:
   *   await services.feedback.recordFeedback(ctx, access, [{ prediction_id: 'p1', label: 'rain' }])
   */
  async recordFeedback(ctx: CallContext, access: ProjectAccess, items: FeedbackInput[], source: FeedbackSource = 'api'): Promise<{ recorded: number }> {
    check(items);
    const projectId = access.project.id;
    const draft = { action: 'feedback.record', project_id: projectId, target_ids: { project: projectId }, details: { source, count: items.length } };
    return this.ops.run(ctx, draft, async (tx) => {
      const at = this.clock.now();
      for (const f of items) await this.recordIn(tx, { project_id: projectId, prediction_id: f.prediction_id, label: f.label, source, task_id: null }, at);
      return { recorded: items.length };
    });
  }

  /** Write one feedback row through a transaction's repositories (used by label resolution). */
  async recordIn(tx: Repositories, f: Omit<PredictionFeedback, 'id' | 'created_at'>, at: number): Promise<PredictionFeedback> {
    const row: PredictionFeedback = { id: newId(), ...f, created_at: at };
    await tx.predictionFeedback.upsert(row);
    return row;
  }

  /**
   * The feedback of those of `predictionIds` that have some, keyed by prediction id. Example:
   *   const truth = await services.feedback.feedbackFor(projectId, ids); truth.get(id)?.label
   */
  async feedbackFor(projectId: string, predictionIds: readonly string[]): Promise<Map<string, PredictionFeedback>> {
    const rows = await this.store.predictionFeedback.getMany(projectId, [...predictionIds]);
    return new Map(rows.map((f) => [f.prediction_id, f]));
  }

  list(projectId: string, page: PageRequest): Promise<Page<PredictionFeedback>> {
    return this.store.predictionFeedback.list(projectId, page);
  }
}
