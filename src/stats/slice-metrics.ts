// Slice metrics: any metric computed separately on the rows of each value of a categorical
// column (e.g. macro-F1 per month), for per-slice reports and maximum-gap gates.
import { ValidationError } from '../domain/errors.js';
import { compareCodePoints } from './order.js';

/** One slice: the column value (null = missing), its row count, and the metric or why it is undefined. */
export interface SliceMetric<T> {
  slice: string | null;
  n: number;
  /** The metric on the slice's rows; null when the metric is undefined there (see `error`). */
  value: T | null;
  /** The ValidationError message when the metric is undefined on this slice (e.g. ROC AUC of a one-class slice). */
  error: string | null;
}

/**
 * Row indices of each value of `column` (null, undefined and '' together as the missing slice,
 * null), values in code-point order, missing last; rows ascending within a slice.
 * @example sliceRows(['b', 'a', 'b']) // [['a', [1]], ['b', [0, 2]]]
 */
export function sliceRows(column: ArrayLike<string | null | undefined>): [string | null, Int32Array][] {
  const groups = new Map<string | null, number[]>();
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    const key = v === null || v === undefined || v === '' ? null : v;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : compareCodePoints(a, b)));
  return keys.map((k) => [k, Int32Array.from(groups.get(k)!)]);
}

/** values[rows[0]], values[rows[1]], … @example takeRows(['x', 'y', 'z'], [2, 0]) // ['z', 'x'] */
export function takeRows<T>(values: ArrayLike<T>, rows: ArrayLike<number>): T[] {
  return Array.from(rows, (r) => values[r]);
}

/** The given rows of a row-major n × k matrix. @example takeMatrixRows([1, 2, 3, 4], 2, [1]) // [3, 4] */
export function takeMatrixRows(matrix: ArrayLike<number>, k: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * k);
  for (let r = 0; r < rows.length; r++) for (let j = 0; j < k; j++) out[r * k + j] = matrix[rows[r] * k + j];
  return out;
}

/**
 * Compute `metric` on the rows of each slice of `column` (see {@link sliceRows}). A metric that
 * throws a ValidationError on a slice (undefined there) yields value null and the message;
 * other errors propagate. `column` must have one value per row.
 * @example
 *   sliceMetrics(month, (rows) => macroF1(takeRows(yTrue, rows), takeRows(yPred, rows)))
 *   // [{ slice: '01', n: 124, value: 0.41, error: null }, …]
 */
export function sliceMetrics<T>(column: ArrayLike<string | null | undefined>, metric: (rows: Int32Array) => T): SliceMetric<T>[] {
  return sliceRows(column).map(([slice, rows]) => {
    try {
      return { slice, n: rows.length, value: metric(rows), error: null };
    } catch (e) {
      if (e instanceof ValidationError) return { slice, n: rows.length, value: null, error: e.message };
      throw e;
    }
  });
}
