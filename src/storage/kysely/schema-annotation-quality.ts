// Tables of annotation quality (migration 0011): reviews of resolved tasks and skipped tasks. The gold and dispute
// columns it adds to labelling jobs and tasks are declared in schema-annotation.ts.

export interface TaskReviewsTable {
  id: string;
  project_id: string;
  job_id: string;
  task_id: string;
  reviewer_id: string;
  decision: string;
  before_label: string | null;
  after_label: string | null;
  note: string | null;
  discarded_labels: string; // JSON
  created_at: number;
}

export interface TaskSkipsTable {
  task_id: string;
  annotator_id: string;
  project_id: string;
  job_id: string;
  created_at: number;
}

export interface AnnotationQualityTables {
  task_reviews: TaskReviewsTable;
  task_skips: TaskSkipsTable;
}
