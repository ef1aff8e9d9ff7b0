// Tables of annotation (migration 0004): labelling jobs, tasks, labels and prediction feedback.
import type { Generated } from 'kysely';

export interface LabellingJobsTable {
  id: string;
  project_id: string;
  name: string;
  kind: string;
  label_config: string; // JSON
  overlap: number;
  source: string; // JSON
  status: string;
  created_by: string;
  created_at: number;
  /** Migration 0011. */
  gold_rate: number;
  dispute_below: number;
  /** Migration 0016. */
  lease_seconds: Generated<number>;
  model: string | null; // JSON
  show_suggestions: Generated<number>;
  auto_label: string | null; // JSON
}

export interface LabellingTasksTable {
  id: string;
  project_id: string;
  job_id: string;
  data: string; // JSON
  prediction_id: string | null;
  priority: number;
  status: string;
  label_count: number;
  resolved_label: string | null;
  agreement: number | null;
  tie: number;
  created_at: number;
  resolved_at: number | null;
  /** Migration 0011. */
  gold_label: string | null;
  disputed: number;
  /** Migration 0015: JSON of the consensus of a structured kind. */
  resolved_value: string | null;
  /** Migration 0016: slots taken by labels and live leases; the model's suggestion; auto-labelling. */
  taken: Generated<number>;
  suggestion_label: string | null;
  suggestion_confidence: number | null;
  suggestion: string | null; // JSON
  spot_check: Generated<number>;
  resolved_by: string | null;
  source_row: string | null;
}

/** Migration 0016: a task handed out by the queue, kept for its annotator until it expires. */
export interface TaskLeasesTable {
  task_id: string;
  annotator_id: string;
  project_id: string;
  job_id: string;
  expires_at: number;
}

export interface TaskLabelsTable {
  id: string;
  project_id: string;
  job_id: string;
  task_id: string;
  annotator_id: string;
  label: string;
  created_at: number;
  duration_ms: number | null;
  /** Migration 0015: JSON of a structured label (chosen labels, spans, boxes). */
  value: string | null;
}

export interface PredictionFeedbackTable {
  id: string;
  project_id: string;
  prediction_id: string;
  label: string;
  source: string;
  task_id: string | null;
  created_at: number;
}

/** Migration 0015: images uploaded to labelling jobs. */
export interface LabellingImagesTable {
  job_id: string;
  sha256: string;
  project_id: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  task_id: string;
  name: string | null;
  created_by: string;
  created_at: number;
}

/**
 * Migration 0021: a job's counts of its non-gold tasks, kept by triggers on every task change
 * (see the migration); read instead of scanning the tasks.
 */
export interface LabellingJobCountsTable {
  job_id: string;
  tasks: number;
  open_tasks: number;
  resolved_tasks: number;
  labels: number;
  suggested: number;
  auto_labelled: number;
  spot_checks: number;
  spot_checks_resolved: number;
  spot_checks_agreeing: number;
  human_resolved_suggested: number;
  human_agreeing_with_suggestion: number;
}

export interface AnnotationTables {
  labelling_jobs: LabellingJobsTable;
  labelling_tasks: LabellingTasksTable;
  task_labels: TaskLabelsTable;
  prediction_feedback: PredictionFeedbackTable;
  labelling_images: LabellingImagesTable;
  task_leases: TaskLeasesTable;
  labelling_job_counts: LabellingJobCountsTable;
}
