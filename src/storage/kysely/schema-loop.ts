// Tables of tracking, validation policies and monitoring (migration 0005; MLflow columns 0006).
import type { Generated } from 'kysely';

export interface ExperimentsTable {
  id: string;
  project_id: string;
  name: string;
  created_at: number;
  /** Migration 0006 (MLflow): 'active' | 'deleted'. */
  lifecycle_stage: Generated<string>;
  artifact_location: string | null;
  last_update_time: number | null;
  is_default: Generated<number>;
}

export interface RunsTable {
  id: string;
  project_id: string;
  experiment_id: string;
  name: string;
  status: string;
  spec: string; // JSON
  dataset_version_id: string | null;
  seed: number | null;
  code_version: string | null;
  job_id: string | null;
  model_artifact_sha256: string | null;
  model_version_id: string | null;
  gate: string | null; // JSON
  error: string | null;
  created_by: string | null;
  created_at: number;
  start_time: number | null;
  end_time: number | null;
  /** Migration 0006 (MLflow): 'active' | 'deleted', and the MLflow client's user. */
  lifecycle_stage: Generated<string>;
  user_id: string | null;
}

/** Migration 0006 (MLflow): tags of an experiment. */
export interface ExperimentTagsTable {
  experiment_id: string;
  key: string;
  value: string;
}

export interface RunParamsTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunMetricsTable {
  run_id: string;
  key: string;
  value: number;
  step: number;
  timestamp: number;
  /** Migration 0017: 1 for a NaN point (its value is then stored as 0, as MLflow does). */
  is_nan: Generated<number>;
}

export interface RunTagsTable {
  run_id: string;
  key: string;
  value: string;
}

export interface ValidationPoliciesTable {
  project_id: string;
  thresholds: string; // JSON
  /** Migration 0014: JSON { metric: delta } and [{ metric, column, max, min_rows? }]. */
  min_improvement: string | null;
  max_slice_gap: string | null;
  updated_by: string | null;
  updated_at: number;
}

export interface MonitorsTable {
  id: string;
  project_id: string;
  name: string;
  deployment: string;
  reference_dataset_version_id: string;
  features: string; // JSON
  psi_threshold: number;
  tolerance: number;
  baseline: string; // JSON
  window: string;
  created_at: number;
  updated_at: number;
}

export interface MonitorWindowsTable {
  id: string;
  project_id: string;
  monitor_id: string;
  window_start: number;
  window_end: number;
  predictions: number;
  labelled: number;
  drift: string; // JSON
  performance: string | null; // JSON
  baseline: string; // JSON
  reference_dataset_version_id: string;
  created_at: number;
}

export interface AlertsTable {
  id: string;
  project_id: string;
  /** Null for serving alerts (migration 0014), which name a `deployment` instead. */
  monitor_id: string | null;
  deployment: string | null;
  kind: string;
  window_start: number;
  window_end: number;
  metric: string;
  value: number;
  threshold: number;
  message: string;
  status: string;
  created_at: number;
}

export interface RetrainDecisionsTable {
  id: string;
  project_id: string;
  model: string;
  trigger_alert_ids: string; // JSON
  champion: string; // JSON
  challenger: string; // JSON
  holdout: string; // JSON
  decision: string;
  reason: string;
  created_at: number;
}

export interface LoopTables {
  experiments: ExperimentsTable;
  runs: RunsTable;
  run_params: RunParamsTable;
  run_metrics: RunMetricsTable;
  run_tags: RunTagsTable;
  experiment_tags: ExperimentTagsTable;
  validation_policies: ValidationPoliciesTable;
  monitors: MonitorsTable;
  monitor_windows: MonitorWindowsTable;
  alerts: AlertsTable;
  retrain_decisions: RetrainDecisionsTable;
}
