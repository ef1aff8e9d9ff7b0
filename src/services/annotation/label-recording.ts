// Recording one label on a task inside a transaction: take a label slot, store the label, and once
// the task has the job's overlap resolve it by the consensus of its kind (majority vote for
// classification; see task-consensus.ts), flagging it disputed when agreement is below the job's
// threshold or the vote tied, and give its prediction feedback (classification only: feedback is
// one label). An answer on a gold task is only stored: it measures the annotator and never
// resolves anything. Shared by labels from the API and labels imported from outside tools. A
// label takes the slot its annotator's lease held, or else a free one (not leased to others).
// The slot and the label are written first, as one step (one statement on PostgreSQL); the task
// is read again only to explain a refusal (a second label by the same person is refused by the
// label's unique key, rolling it all back).
import type { LabellingJob, LabellingTask, TaskLabel } from '../../domain/annotation.js';
import type { LabelProvenance } from '../../domain/annotation-exchange.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Repositories } from '../../domain/ports/metadata-store.js';
import type { FeedbackService } from './feedback.service.js';
import { taskOutcome } from './task-consensus.js';

export interface RecordedLabel {
  status: LabellingTask['status'];
  /** The outcome when this label resolved the task. */
  resolved?: { label: string; agreement: number; tie: boolean; disputed: boolean };
  /** On a gold task: whether the answer equals the known one. */
  gold?: { correct: boolean };
}

/**
 * Why a label from someone without a lease (an import) cannot take a slot of the task now, or
 * undefined when a free slot is left.
 */
export function slotProblem(job: Pick<LabellingJob, 'overlap'>, task: LabellingTask): string | undefined {
  if (task.status !== 'open' || task.label_count >= job.overlap) return `the task already has its ${job.overlap} labels`;
  if ((task.taken ?? task.label_count) >= job.overlap) return `the task has no free slot: its other ${job.overlap - task.label_count} slots are leased to annotators working on it`;
  return undefined;
}

/** Whether a resolved outcome goes to the disputes queue. */
export const isDisputed = (job: Pick<LabellingJob, 'dispute_below'>, agreement: number, tie: boolean): boolean => tie || agreement < job.dispute_below;

/** The refusal of a second label on a task by the same annotator. */
const alreadyLabelled = (taskId: string) => new ConflictError('you have already labelled this task', { field: 'task', task: taskId });

/** Run `store` (a write of the label); a second label by the same annotator on the task is `alreadyLabelled`. */
async function storeWith<T>(store: () => Promise<T>, label: TaskLabel): Promise<T> {
  try {
    return await store();
  } catch (err) {
    const field = err instanceof ConflictError ? err.details?.field : undefined;
    if (field === 'task_id' || field === 'annotator_id') throw alreadyLabelled(label.task_id);
    throw err;
  }
}

/**
 * Store `label` on `task` (the caller has checked the label). `task` may have been read before
 * the transaction: only its unchanging fields (gold label, prediction) are used, apart from
 * explaining a refusal. ConflictError when the annotator has labelled the task already, or when
 * it has its `overlap` labels or no free slot.
 */
export async function recordLabelIn(tx: Repositories, feedback: FeedbackService, job: LabellingJob, task: LabellingTask, label: TaskLabel): Promise<RecordedLabel> {
  if (task.gold_label !== null) {
    await storeWith(() => tx.taskLabels.create(label), label);
    return { status: task.status, gold: { correct: label.label === task.gold_label } };
  }
  const count = await storeWith(() => tx.labellingTasks.claimSlotWithLabel(label, job.overlap), label);
  if (count === undefined) {
    if (await tx.taskLabels.get(task.id, label.annotator_id)) throw alreadyLabelled(task.id);
    const now = (await tx.labellingTasks.get(job.id, task.id)) ?? task;
    const leased = Math.max(0, (now.taken ?? now.label_count) - now.label_count);
    const why = now.status !== 'open' || now.label_count >= job.overlap || leased === 0 ? `already has its ${job.overlap} labels` : `has no free slot: ${now.label_count} of its ${job.overlap} labels are given and the rest are leased to annotators working on it`;
    throw new ConflictError(`task ${task.id} ${why}`, { field: 'task', task: task.id, overlap: job.overlap, labels: now.label_count, leased });
  }
  if (count < job.overlap) return { status: 'open' };
  const all = await tx.taskLabels.listForTasks([task.id]);
  const outcome = taskOutcome(job.label_config, all);
  const resolved = outcome.label;
  const disputed = isDisputed(job, outcome.agreement, outcome.tie);
  await tx.labellingTasks.resolve(task.id, { resolved_label: resolved, agreement: outcome.agreement, tie: outcome.tie, resolved_at: label.created_at, disputed, resolved_value: outcome.value });
  if (task.prediction_id !== null && outcome.value === null) {
    await feedback.recordIn(tx, { project_id: job.project_id, prediction_id: task.prediction_id, label: resolved, source: 'annotation', task_id: task.id }, label.created_at);
  }
  return { status: 'resolved', resolved: { label: resolved, agreement: outcome.agreement, tie: outcome.tie, disputed } };
}

/** A label that came from outside (an exchange import), with where it came from. */
export interface ImportedLabel {
  annotatorId: string;
  answer: { label: string; value?: TaskLabel['value'] };
  createdAt: number;
  durationMs: TaskLabel['duration_ms'];
  provenance: Omit<LabelProvenance, 'label_id' | 'task_id' | 'job_id'>;
}

/** Store an imported label on `task` and its provenance, in `tx`; answers the stored label. */
export async function recordImportedLabel(tx: Repositories, feedback: FeedbackService, job: LabellingJob, task: LabellingTask, imported: ImportedLabel): Promise<TaskLabel> {
  const label: TaskLabel = {
    id: newId(),
    project_id: job.project_id,
    job_id: job.id,
    task_id: task.id,
    annotator_id: imported.annotatorId,
    label: imported.answer.label,
    created_at: imported.createdAt,
    duration_ms: imported.durationMs,
    ...(imported.answer.value ? { value: imported.answer.value } : {}),
  };
  await recordLabelIn(tx, feedback, job, task, label);
  await tx.annotationExchange.createProvenance({ label_id: label.id, task_id: task.id, job_id: job.id, ...imported.provenance });
  return label;
}
