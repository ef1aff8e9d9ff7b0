// Measure a regression model on labelled rows from its predicted values: MAE, RMSE, R² and MAPE
// with scikit-learn's semantics (src/stats), and the same metric per slice of a categorical
// column. A metric undefined on the rows (R² of a single row, a value that is not finite) is
// left out rather than failing the evaluation.
import { ValidationError } from '../../domain/errors.js';
import { regressionReport, sliceRows, takeRows } from '../../stats/index.js';
import type { SliceValue } from './validation-gate.js';

/** The metrics a regression is judged by, as runs and gate reports name them. */
export const REGRESSION_METRICS = ['rmse', 'mae', 'r2', 'mape'] as const;

/**
 * rmse, mae, r2 and mape of `predicted` against `actual` (empty when there are no rows or a value
 * is not finite; r2 left out when undefined, e.g. on one row).
 * @example regressionMetrics([1, 2, 3], [1, 2, 4]) // { rmse: 0.577…, mae: 0.333…, r2: 0.5, mape: 0.111… }
 */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): Record<string, number> {
  if (actual.length === 0) return {};
  let report;
  try {
    report = regressionReport(actual, predicted);
  } catch (err) {
    if (err instanceof ValidationError) return {};
    throw err;
  }
  const metrics: Record<string, number> = {};
  for (const name of REGRESSION_METRICS) if (Number.isFinite(report[name])) metrics[name] = report[name];
  return metrics;
}

/** `metric` on the rows of each value of `column` (missing values form one slice, null). */
export function regressionSliceValues(column: ArrayLike<string | null>, actual: ArrayLike<number>, predicted: ArrayLike<number>, metric: string): SliceValue[] {
  return sliceRows(column).map(([slice, rows]) => {
    const m = regressionMetrics(takeRows(actual, rows), takeRows(predicted, rows));
    return { slice, n: rows.length, value: Number.isFinite(m[metric]) ? m[metric] : null };
  });
}
