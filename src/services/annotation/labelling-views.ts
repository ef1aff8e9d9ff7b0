// The shapes the labelling service hands out: jobs with their counts and statistics, tasks for
// managers (every label) or for annotators (blind), and one annotator's own label.
import { labelsOf, type AutoLabelSettings, type JobModelRef, type ResolutionMethod, type TaskSuggestion, type LabellingJob, type LabellingJobCounts, type LabellingTask, type TaskLabelView } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import type { AutomationStats } from './automation-stats.js';
import type { JobStats } from './job-stats.js';
import type { TaskBatchReport } from './task-items.js';
import { leaseSecondsOf, showsSuggestions } from './job-settings.js';

export interface LabellingJobInfo extends LabellingJob {
  lease_seconds: number;
  model: JobModelRef | null;
  show_suggestions: boolean;
  auto_label: AutoLabelSettings | null;
  /** The label configuration's labels (choices, span or box labels), in order. */
  labels: string[];
  counts: LabellingJobCounts;
}

export interface LabellingJobDetail extends LabellingJobInfo {
  stats: JobStats & { automation: AutomationStats };
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
export interface TaskView extends Omit<LabellingTask, 'project_id' | 'resolved_value' | 'taken' | 'suggestion' | 'spot_check' | 'resolved_by' | 'source_row'> {
  resolved_value: LabelValue | null;
  labels: LabelView[];
  /** The model's suggestion: in full for managers; for annotators as the workbench shows it (or null). */
  suggestion: (SuggestionView & Partial<Pick<TaskSuggestion, 'scores' | 'model_version_id' | 'source'>>) | null;
  spot_check: boolean;
  resolved_by: ResolutionMethod | null;
}

/** What the queue gives an annotator: the row to label and nothing of anyone else's work. */
export interface QueuedTask {
  id: string;
  job_id: string;
  data: Record<string, unknown>;
  priority: number;
  created_at: number;
  /** The model's suggestion, when the job shows suggestions (never on a spot check of auto-labelling). */
  suggestion: SuggestionView | null;
  /** Until when the task is kept for the caller (gold tasks show one too, though they take no slot). */
  lease_expires_at: number | null;
}

/** A suggestion as annotators see it: the model's label and its confidence. */
export interface SuggestionView {
  label: string;
  confidence: number;
}

export interface SubmittedLabel {
  label: LabelView;
  task: { id: string; status: LabellingTask['status'] };
}

export function jobInfo(job: LabellingJob, counts: LabellingJobCounts | undefined): LabellingJobInfo {
  return {
    ...job,
    lease_seconds: leaseSecondsOf(job),
    model: job.model ?? null,
    show_suggestions: showsSuggestions(job),
    auto_label: job.auto_label ?? null,
    labels: [...labelsOf(job.label_config)],
    counts: counts ?? { tasks: 0, open: 0, resolved: 0, labels: 0 },
  };
}

export function labelView(l: TaskLabelView): LabelView {
  return { id: l.id, task_id: l.task_id, annotator_id: l.annotator_id, annotator: l.annotator, label: l.label, value: l.value ?? null, created_at: l.created_at, duration_ms: l.duration_ms };
}

/** The suggestion an annotator may see on a task of `job`, or null (hidden, a spot check, or none). */
export function visibleSuggestion(job: Pick<LabellingJob, 'show_suggestions'>, t: LabellingTask): SuggestionView | null {
  if (!t.suggestion || job.show_suggestions === false || t.spot_check) return null;
  return { label: t.suggestion.label, confidence: t.suggestion.confidence };
}

export function queuedTask(t: LabellingTask, job: Pick<LabellingJob, 'show_suggestions'>, leaseExpiresAt: number | null = null): QueuedTask {
  return { id: t.id, job_id: t.job_id, data: t.data, priority: t.priority, created_at: t.created_at, suggestion: visibleSuggestion(job, t), lease_expires_at: leaseExpiresAt };
}

/** A task for the list; `blind` hides the outcome that other people's labels decided (and the spot-check flag). */
export function taskView(t: LabellingTask, labels: TaskLabelView[], blind: boolean, job: Pick<LabellingJob, 'show_suggestions'> = {}): TaskView {
  const { project_id: _project, resolved_value, taken: _taken, suggestion, spot_check, resolved_by, source_row: _row, ...rest } = t;
  const view: TaskView = {
    ...rest,
    resolved_value: resolved_value ?? null,
    labels: labels.map(labelView),
    suggestion: blind ? visibleSuggestion(job, t) : (suggestion ?? null),
    spot_check: blind ? false : (spot_check ?? false),
    resolved_by: resolved_by ?? null,
  };
  if (blind) Object.assign(view, { resolved_label: null, resolved_value: null, agreement: null, tie: false, resolved_by: null });
  return view;
}
