// What a training run is asked to do: which data, which features and target, which time split,
// which hyper-parameters, and where to register the model if it passes the gate.
import type { FeatureSpec, GbdtParamsInput } from '../../ml/index.js';

export interface TimeRange {
  /** Inclusive; epoch ms or an ISO date. */
  from?: number | string;
  /** Exclusive; epoch ms or an ISO date. */
  to?: number | string;
}

export interface TrainingSpec {
  experiment: string;
  dataset: string;
  /** Dataset version number; the latest when absent. */
  version?: number;
  target: string;
  features: FeatureSpec[];
  /** The column that orders rows in time (a date or timestamp). */
  time_column: string;
  /** Rows used for fitting (before the holdout). */
  train?: TimeRange;
  /** Time-based holdout on which the metrics and the KPI gate are computed. */
  holdout: Required<TimeRange>;
  /**
   * The built-in trainer: 'logistic_regression' (the default), 'linear_regression' (ridge, a
   * numeric target) or 'gbdt' (gradient-boosted trees; objective 'regression' for a numeric target).
   */
  algorithm?: 'logistic_regression' | 'linear_regression' | 'gbdt';
  /**
   * logistic_regression: l2, max_iter, tol; linear_regression: l2, solver, max_iter, tol; gbdt:
   * scikit-learn HistGradientBoosting's names (see GbdtParamsInput).
   */
  params?: { l2?: number; max_iter?: number; tol?: number; solver?: 'auto' | 'cholesky' | 'lbfgs' } & GbdtParamsInput;
  seed?: number;
  /** Register the model under this name when it passes the gate. */
  register?: { model: string; alias?: string };
}

export function toEpoch(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : Date.parse(v);
}
