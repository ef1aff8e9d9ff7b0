// Ground-truth feedback on logged predictions: recorded by resolved labelling tasks (source
// 'annotation') or given directly (source 'api'); read back by monitoring, per prediction id. A
// regression model's ground truth is a number, kept as its decimal text (as an annotator's label
// of a number would be).
import type { Clock } from '../../domain/clock.js';
import type { FeedbackSource, PredictionFeedback } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';

/** A prediction's ground truth: its true `label`, or (a regression model's prediction) its true `value`. */
export interface FeedbackInput {
  prediction_id: string;
  label?: string;
  value?: number;
}

const MAX = 200;

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= MAX;

/** The items as stored (a value as its decimal text); a ValidationError naming the first bad item's field. */
function check(items: readonly FeedbackInput[]): Array<{ prediction_id: string; label: string }> {
  return items.map((f, i) => {
    if (!isText(f?.prediction_id)) throw new ValidationError(`items[${i}].prediction_id must be a string of 1-${MAX} characters`, { field: `body.items.${i}.prediction_id` });
    const hasLabel = f.label !== undefined;
    const hasValue = f.value !== undefined;
    if (hasLabel === hasValue) throw new ValidationError(`items[${i}] needs a label (a class) or a value (a number, for a regression model), not ${hasLabel ? 'both' : 'neither'}`, { field: `body.items.${i}.label` });
    if (hasValue) {
      if (typeof f.value !== 'number' || !Number.isFinite(f.value)) throw new ValidationError(`items[${i}].value must be a finite number`, { field: `body.items.${i}.value` });
      return { prediction_id: f.prediction_id, label: String(f.value) };
    }
    if (!isText(f.label)) throw new ValidationError(`items[${i}].label must be a string of 1-${MAX} characters`, { field: `body.items.${i}.label` });
    return { prediction_id: f.prediction_id, label: f.label };
  });
}

export class FeedbackService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Record true labels (or a regression's true values) for predictions of the project (the latest
   * recording of a prediction wins), in one audited operation; a bad item fails the whole request
   * (a 400 naming it) and nothing is written. Example:
   *   await services.feedback.recordFeedback(ctx, access, [{ prediction_id: 'p1', label: 'rain' }, { prediction_id: 'p2', value: 12.5 }])
   */
  async recordFeedback(ctx: CallContext, access: ProjectAccess, given: FeedbackInput[], source: FeedbackSource = 'api'): Promise<{ recorded: number }> {
    const items = check(given);
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
