// What every operation on one labelling task starts with: its audit draft (project, job, task),
// and the task itself, found in the job or NotFoundError naming it.
import type { LabellingJob, LabellingTask } from '../../domain/annotation.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Repositories } from '../../domain/ports/metadata-store.js';
import type { AuditDraft } from '../audit/audit.service.js';

/** The audit draft of `action` on task `taskId` of `job`. */
export function taskDraft(job: LabellingJob, action: string, taskId: string, details: Record<string, unknown> = {}): AuditDraft & { details: Record<string, unknown> } {
  return {
    action,
    project_id: job.project_id,
    target_ids: { project: job.project_id, labelling_job: job.id, labelling_task: taskId },
    details,
  };
}

/** Task `taskId` of `job`; NotFoundError naming both when the job has no such task. */
export async function taskOf(tasks: Repositories['labellingTasks'], job: LabellingJob, taskId: string): Promise<LabellingTask> {
  const task = await tasks.get(job.id, taskId);
  if (!task) throw new NotFoundError('labelling task', taskId, { job: job.name });
  return task;
}
