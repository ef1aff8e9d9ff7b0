// Review of resolved labelling tasks: the disputes queue (tasks resolved with low agreement or a
// tie) and a reviewer's decision on a task — accept keeps its label, fix replaces it (and the
// prediction's feedback), reject discards its labels (kept in the review record) and returns it to
// the queue. Every decision is stored with the label before and after, and audited. A fix of a
// structured task (multi-label, spans, boxes) gives the new answer in the kind's field
// (`choices`, `spans`, `boxes`), checked like a submission; the record keeps its summary.
import type { Clock } from '../../domain/clock.js';
import { labelsOf, REVIEW_DECISIONS, type LabelConfig, type ReviewDecision, type TaskLabel, type TaskReview } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { FeedbackService } from './feedback.service.js';
import { answerFieldOf, checkAnswer, type AnswerInput } from './label-answers.js';
import type { LabellingService } from './labelling.service.js';
import { taskView, type TaskView } from './labelling-views.js';
import { taskDraft, taskOf } from './task-operation.js';

export const MAX_NOTE_LENGTH = 2000;

export interface ReviewInput extends AnswerInput {
  decision: ReviewDecision;
  /** The new label, for 'fix' only (structured kinds: `choices`, `spans` or `boxes`). */
  label?: string;
  note?: string;
}

export interface ReviewResult {
  review: Omit<TaskReview, 'project_id'>;
  task: { id: string; status: 'open' | 'resolved'; resolved_label: string | null; disputed: boolean };
}

function check(input: ReviewInput, config: LabelConfig): void {
  const choices = labelsOf(config);
  if (!(REVIEW_DECISIONS as readonly string[]).includes(input.decision)) {
    throw new ValidationError(`body.decision must be one of ${REVIEW_DECISIONS.join(', ')}`, { field: 'body.decision' });
  }
  const field = answerFieldOf(config);
  if (input.decision === 'fix') {
    if (input[field] === undefined) throw new ValidationError(`body.${field} is required to 'fix' a task`, { field: `body.${field}` });
    if (field === 'label' && !choices.includes(input.label!)) {
      throw new ValidationError(`body.label '${input.label}' is not one of this job's labels: ${choices.join(', ')}`, { field: 'body.label', allowed: choices });
    }
  } else {
    for (const k of ['label', 'choices', 'spans', 'boxes'] as const) {
      if (input[k] !== undefined) throw new ValidationError(`body.${k} is only for 'fix', not '${input.decision}'`, { field: `body.${k}` });
    }
  }
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > MAX_NOTE_LENGTH)) {
    throw new ValidationError(`body.note must be a string of at most ${MAX_NOTE_LENGTH} characters`, { field: 'body.note' });
  }
}

const plainLabel = (l: TaskLabel): TaskLabel => ({
  id: l.id,
  project_id: l.project_id,
  job_id: l.job_id,
  task_id: l.task_id,
  annotator_id: l.annotator_id,
  label: l.label,
  created_at: l.created_at,
  duration_ms: l.duration_ms,
  ...(l.value ? { value: l.value } : {}),
});

export class ReviewService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly feedback: FeedbackService,
    private readonly labelling: LabellingService,
  ) {}

  /** The job's disputed tasks, oldest first, with every label (reviewers see them all). */
  async disputes(access: ProjectAccess, jobRef: string, page: PageRequest): Promise<Page<TaskView>> {
    const job = await this.labelling.job(access, jobRef);
    const tasks = await this.store.labellingTasks.listDisputed(job.id, page);
    const labels = await this.store.taskLabels.listForTasks(tasks.items.map((t) => t.id));
    return { items: tasks.items.map((t) => taskView(t, labels.filter((l) => l.task_id === t.id), false)), next_cursor: tasks.next_cursor };
  }

  /**
   * Review a resolved task. Example:
   *   await reviews.review(ctx, access, 'jan-2014', taskId, { decision: 'fix', label: 'rain', note: 'radar says rain' })
   */
  async review(ctx: CallContext, access: ProjectAccess, jobRef: string, taskId: string, input: ReviewInput): Promise<ReviewResult> {
    const job = await this.labelling.job(access, jobRef);
    check(input, job.label_config);
    const draft = taskDraft(job, 'labelling.review', taskId, { decision: input.decision });
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const task = await taskOf(tx.labellingTasks, job, taskId);
      if (task.gold_label !== null) throw new ConflictError('gold tasks are not reviewed: their answer is known', { field: 'task', task: task.id });
      if (task.status !== 'resolved') throw new ConflictError('only resolved tasks are reviewed; this one is still open', { field: 'task', task: task.id });
      const at = this.clock.now();
      const before = task.resolved_label;
      // A structured fix: the new answer, checked against the task's data like a submission.
      const fixed = input.decision === 'fix' && answerFieldOf(job.label_config) !== 'label' ? checkAnswer(job.label_config, task.data, input) : undefined;
      let after: string | null = before;
      let discarded: TaskLabel[] = [];
      // The conditional update takes the task's row first: a concurrent review of the same task
      // waits, then finds it changed (reopened) and is refused.
      const reopened = input.decision === 'reject';
      const newLabel = fixed?.label ?? input.label ?? before!;
      const newValue: LabelValue | null | undefined = fixed ? fixed.value : undefined;
      const moved = reopened ? await tx.labellingTasks.reopen(task.id) : await tx.labellingTasks.setReviewed(task.id, newLabel, newValue);
      if (!moved) throw new ConflictError('the task changed meanwhile (another review reopened it); reload it', { field: 'task', task: task.id });
      if (input.decision === 'fix') {
        after = newLabel;
        if (task.prediction_id !== null && !fixed) {
          await this.feedback.recordIn(tx, { project_id: job.project_id, prediction_id: task.prediction_id, label: after, source: 'annotation', task_id: task.id }, at);
        }
      } else if (reopened) {
        after = null;
        discarded = (await tx.taskLabels.listForTasks([task.id])).map(plainLabel);
        await tx.taskLabels.deleteForTask(task.id);
      }
      const review: TaskReview = {
        id: newId(),
        project_id: job.project_id,
        job_id: job.id,
        task_id: task.id,
        reviewer_id: ctx.principal.user.id,
        decision: input.decision,
        before_label: before,
        after_label: after,
        note: input.note ?? null,
        discarded_labels: discarded,
        created_at: at,
      };
      await tx.taskReviews.create(review);
      ev.details = { decision: input.decision, before_label: before, after_label: after, discarded_labels: discarded.length };
      const { project_id: _project, ...shown } = review;
      return { review: shown, task: { id: task.id, status: reopened ? 'open' : 'resolved', resolved_label: after, disputed: false } };
    });
  }

  /** A task's review history, oldest first. */
  async history(access: ProjectAccess, jobRef: string, taskId: string): Promise<Array<Omit<TaskReview, 'project_id'>>> {
    const job = await this.labelling.job(access, jobRef);
    const task = await taskOf(this.store.labellingTasks, job, taskId);
    return (await this.store.taskReviews.listForTask(task.id)).map(({ project_id: _p, ...r }) => r);
  }
}
