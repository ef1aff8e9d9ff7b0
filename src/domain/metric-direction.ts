// Which way is better for each metric the gate knows: higher for scores (accuracy, AUC, F1, R²),
// lower for losses and errors (log loss, MAE, RMSE, MAPE, ECE). The gate's minimum improvement
// over the champion is measured in this direction.

export type MetricDirection = 'higher' | 'lower';

const HIGHER = new Set([
  'accuracy',
  'balanced_accuracy',
  'auc',
  'roc_auc',
  'pr_auc',
  'average_precision',
  'f1',
  'macro_f1',
  'micro_f1',
  'weighted_f1',
  'precision',
  'macro_precision',
  'recall',
  'macro_recall',
  'r2',
]);
const LOWER = new Set(['log_loss', 'mae', 'rmse', 'mse', 'mape', 'ece', 'brier']);
/** Per-class scores are named `f1.<class>`, `precision.<class>`, `recall.<class>`. */
const HIGHER_PREFIXES = ['f1.', 'precision.', 'recall.'];

/**
 * The good direction of a metric, or undefined when the gate does not know it.
 * @example metricDirection('log_loss') // 'lower'
 * @example metricDirection('f1.rain') // 'higher'
 */
export function metricDirection(metric: string): MetricDirection | undefined {
  if (HIGHER.has(metric) || HIGHER_PREFIXES.some((p) => metric.startsWith(p))) return 'higher';
  if (LOWER.has(metric)) return 'lower';
  return undefined;
}

/** The metrics whose direction is known, for error messages. */
export const KNOWN_DIRECTION_METRICS: readonly string[] = [...HIGHER, ...LOWER, ...HIGHER_PREFIXES.map((p) => `${p}<class>`)];
