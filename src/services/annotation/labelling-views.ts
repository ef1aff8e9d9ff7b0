// The shapes the labelling service hands out: jobs with their counts and statistics, tasks for
// managers (every label) or for annotators (blind), and one annotator's own label.
import { labelsOf, type LabellingJob, type LabellingJobCounts, type LabellingTask, type TaskLabelView } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import type { JobStats } from './job-stats.js';
import type { TaskBatchReport } from './task-items.js';

export interface LabellingJobInfo extends LabellingJob {
  /** The label configuration's labels (choices, span or box labels), in order. */
  labels: string[];
  counts: LabellingJobCounts;
}

export interface LabellingJobDetail extends LabellingJobInfo {
  stats: JobStats;
  /** What the caller has labelled in this job. */
  my_labels: number;
}

export interface CreatedJob {
  job: LabellingJobInfo;
  tasks: TaskBatchReport;
}

export interface LabelView {
  id: string;
  task_id: string;
  annotator_id: string;
  annotator: string;
  label: string;
  /** The structured answer (chosen labels, spans, boxes); null for classification. */
  value: LabelValue | null;
  created_at: number;
  duration_ms: number | null;
}

/** A task in a manager's list, with its labels (only the caller's own when they label blind). */
export interface TaskView extends Omit<LabellingTask, 'project_id' | 'resolved_value'> {
  resolved_value: LabelValue | null;
  labels: LabelView[];
}

/** What the queue gives an annotator: the row to label and nothing of anyone else's work. */
export interface QueuedTask {
  id: string;
  job_id: string;
  data: Record<string, unknown>;
  priority: number;
  created_at: number;
}

export interface SubmittedLabel {
  label: LabelView;
  task: { id: string; status: LabellingTask['status'] };
}

export function jobInfo(job: LabellingJob, counts: LabellingJobCounts | undefined): LabellingJobInfo {
  return { ...job, labels: [...labelsOf(job.label_config)], counts: counts ?? { tasks: 0, open: 0, resolved: 0, labels: 0 } };
}

export function labelView(l: TaskLabelView): LabelView {
  return { id: l.id, task_id: l.task_id, annotator_id: l.annotator_id, annotator: l.annotator, label: l.label, value: l.value ?? null, created_at: l.created_at, duration_ms: l.duration_ms };
}

export function queuedTask(t: LabellingTask): QueuedTask {
  return { id: t.id, job_id: t.job_id, data: t.data, priority: t.priority, created_at: t.created_at };
}

/** A task for the list; `blind` hides the outcome that other people's labels decided. */
export function taskView(t: LabellingTask, labels: TaskLabelView[], blind: boolean): TaskView {
  const { project_id: _project, resolved_value, ...rest } = t;
  const view: TaskView = { ...rest, resolved_value: resolved_value ?? null, labels: labels.map(labelView) };
  if (blind) Object.assign(view, { resolved_label: null, resolved_value: null, agreement: null, tie: false });
  return view;
}
