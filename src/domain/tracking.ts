// Experiments and runs: what was trained, on which data, with which params, and how it scored.

export interface Experiment {
  id: string;
  project_id: string;
  name: string;
  created_at: number;
}

/** 'killed' is set only through the MLflow API (RunStatus KILLED). */
export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'killed';

/** What a gate check compares: an absolute threshold, the improvement over the champion, or the gap between slices. */
export type GateCheckKind = 'threshold' | 'min_improvement' | 'max_slice_gap';

/** One check of a KPI gate report. Reports written before the kinds existed carry only metric, op, threshold, value and passed. */
export type GateCheck = {
  kind?: GateCheckKind;
  metric: string;
  /** `value op threshold` must hold (for min_improvement: the improvement `op` threshold). */
  op: '>=' | '<=';
  threshold: number;
  /** The candidate's value (for max_slice_gap: its largest gap between slices); null when not measured. */
  value: number | null;
  /** The champion's value on the same basis (for max_slice_gap: its gap), when known. */
  champion_value?: number | null;
  /** min_improvement: the improvement in the metric's good direction (candidate − champion, or champion − candidate for a loss). */
  improvement?: number | null;
  /** max_slice_gap: the categorical column sliced, and the metric per slice. */
  column?: string;
  slices?: Array<{ slice: string | null; n: number; value: number | null }>;
  passed: boolean;
  /** One readable sentence, e.g. "accuracy 0.8100 improves on the champion (v1) 0.8000 by only 0.0100 (at least 0.0200 required)". */
  message?: string;
};

/** What a gate report was measured on, so a promotion can tell whether it is still current. */
export type GateBasis = {
  evaluated_at: number;
  /** The policy's updated_at when evaluated. */
  policy_updated_at: number;
  /** The model's champion version when evaluated (null: none yet). */
  champion_version: number | null;
  /** The version judged (null while a training run's model is not registered yet). */
  candidate_version: number | null;
  /** The candidate's holdout both models were evaluated on; null when only recorded metrics were available. */
  holdout: { run_id: string; dataset_version_id: string; from: number; to: number; rows: number; skipped: number } | null;
  /** How the candidate and champion were compared, in words. */
  note: string;
};

/** The KPI gate's verdict on a model, kept with the run and the model version. */
export type GateReport = {
  passed: boolean;
  checks: GateCheck[];
  /** "passed: …" or "failed: " + one readable sentence per failed check. */
  summary: string;
  basis?: GateBasis;
  /** 2 for reports with check kinds and a basis (older reports have neither). */
  format?: number;
};

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

/** A maximum gap of `metric` between the slices (values) of categorical `column`, e.g. accuracy across `station`. */
export interface SliceGapRule {
  metric: string;
  column: string;
  /** The largest allowed difference between the best and the worst slice. */
  max: number;
  /** Slices with fewer rows are left out (default {@link DEFAULT_SLICE_MIN_ROWS}). */
  min_rows?: number;
}

export const DEFAULT_SLICE_MIN_ROWS = 10;

/** Per-project KPI gate a model must pass to be registered by training and to become champion. */
export interface ValidationPolicy {
  project_id: string;
  /** e.g. { accuracy: { min: 0.6 }, macro_f1: { min: 0.4 } } */
  thresholds: Record<string, { min?: number; max?: number }>;
  /**
   * Per metric, the least improvement over the current champion (absolute, in the metric's good
   * direction: higher for accuracy, lower for log_loss); negative values allow a bounded regression.
   * e.g. { accuracy: 0.01, log_loss: 0.02 }
   */
  min_improvement: Record<string, number>;
  max_slice_gap: SliceGapRule[];
  updated_by: string | null;
  updated_at: number;
}
