// Monitors of a deployment, their per-window results, the alerts they raise, and the
// retraining decisions those alerts lead to.

export interface Monitor {
  id: string;
  project_id: string;
  name: string;
  deployment: string;
  /** The training data the drift of each window is measured against. */
  reference_dataset_version_id: string;
  features: string[];
  /** PSI above this raises a drift alert (0.2 is the usual "significant shift"). */
  psi_threshold: number;
  /** A performance alert fires when a metric falls below baseline − tolerance. */
  tolerance: number;
  /** Validation metrics of the model when it was deployed, e.g. { accuracy, macro_f1 }. */
  baseline: Record<string, number>;
  window: 'month';
  created_at: number;
  updated_at: number;
}

export interface MonitorWindow {
  id: string;
  project_id: string;
  monitor_id: string;
  window_start: number;
  window_end: number;
  predictions: number;
  labelled: number;
  drift: Record<string, number>;
  performance: Record<string, number> | null;
  baseline: Record<string, number>;
  /** The training data the drift was measured against (it changes when a challenger is promoted). */
  reference_dataset_version_id: string;
  created_at: number;
}

/** `serving.load_failed`: a model version a deployment should serve could not be loaded (the previous one kept serving). */
export type AlertKind = 'drift' | 'performance' | 'serving.load_failed';

/**
 * An alert. Monitor alerts (drift, performance) name their monitor and window. A
 * `serving.load_failed` alert names the deployment instead (monitor_id null, the window is the
 * moment of failure), `metric` is 'model_version', `value` the version that failed to load and
 * `threshold` the version still serving (0 when none).
 */
export interface Alert {
  id: string;
  project_id: string;
  monitor_id: string | null;
  /** The deployment a serving alert is about (null for monitor alerts). */
  deployment: string | null;
  kind: AlertKind;
  window_start: number;
  window_end: number;
  metric: string;
  value: number;
  threshold: number;
  message: string;
  status: 'open' | 'resolved';
  created_at: number;
}

export interface RetrainDecision {
  id: string;
  project_id: string;
  model: string;
  trigger_alert_ids: string[];
  champion: { version: number; metrics: Record<string, number> };
  challenger: { run_id: string; version: number | null; metrics: Record<string, number>; gate: { passed: boolean; summary: string } };
  holdout: { from: number; to: number; rows: number };
  decision: 'promoted' | 'kept_champion';
  reason: string;
  created_at: number;
}
