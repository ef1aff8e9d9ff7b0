// Experiments and runs: what was trained, on which data, with which params, and how it scored.

export interface Experiment {
  id: string;
  project_id: string;
  name: string;
  created_at: number;
}

/** 'killed' is set only through the MLflow API (RunStatus KILLED). */
export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'killed';

/** The KPI gate's verdict on a run's holdout metrics, kept with the run and the model version. */
export interface GateReport {
  passed: boolean;
  checks: Array<{ metric: string; op: '>=' | '<='; threshold: number; value: number | null; passed: boolean }>;
  /** One readable line per failed check, e.g. "macro_f1 0.41 is below the minimum 0.45". */
  summary: string;
}

export interface Run {
  id: string;
  project_id: string;
  experiment_id: string;
  name: string;
  status: RunStatus;
  /** The request that started it (dataset, features, target, holdout, params). */
  spec: Record<string, unknown>;
  dataset_version_id: string | null;
  seed: number | null;
  code_version: string | null;
  job_id: string | null;
  model_artifact_sha256: string | null;
  model_version_id: string | null;
  gate: GateReport | null;
  error: string | null;
  params: Record<string, string>;
  /** Latest value of each metric. */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  created_by: string | null;
  created_at: number;
  start_time: number | null;
  end_time: number | null;
}

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** Per-project KPI thresholds a model must meet before it may be registered. */
export interface ValidationPolicy {
  project_id: string;
  /** e.g. { accuracy: { min: 0.6 }, macro_f1: { min: 0.4 } } */
  thresholds: Record<string, { min?: number; max?: number }>;
  updated_by: string | null;
  updated_at: number;
}
