// Measure a classifier on labelled holdout rows from its runtime outputs: accuracy, macro and
// per-class F1, macro precision and recall, log loss, ROC AUC (one-vs-rest for more than two
// classes) and expected calibration error, all with scikit-learn's semantics (src/stats); and
// the same metric per slice of a categorical column. A metric undefined on the rows (e.g. AUC
// with one class present) is left out rather than failing the evaluation.
import { ValidationError } from '../../domain/errors.js';
import type { FeatureColumn } from '../../domain/ports/model-runtime.js';
import type { ColumnData } from '../../domain/ports/data-engine.js';
import type { FeatureSpec } from '../../domain/serving.js';
import {
  classificationReport,
  expectedCalibrationError,
  logLoss,
  probabilityColumn,
  rocAuc,
  rocAucOvr,
  sliceRows,
  takeMatrixRows,
  takeRows,
} from '../../stats/index.js';
import type { SliceValue } from './validation-gate.js';

/** A classifier's outputs on n rows: predicted labels and row-major n × k probabilities (column j for classes[j]). */
export interface ClassifierOutputs {
  labels: string[];
  probabilities: ArrayLike<number>;
  classes: string[];
}

function optional(metrics: Record<string, number>, name: string, compute: () => number): void {
  try {
    const v = compute();
    if (Number.isFinite(v)) metrics[name] = v;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
  }
}

/**
 * Holdout metrics of a classifier, named as training records them (accuracy, macro_f1, f1.<class>)
 * plus macro_precision, macro_recall, log_loss, auc and ece.
 * @example classifierMetrics(['a', 'b'], { labels: ['a', 'a'], probabilities: [0.9, 0.1, 0.6, 0.4], classes: ['a', 'b'] }).accuracy // 0.5
 */
export function classifierMetrics(actual: string[], out: ClassifierOutputs): Record<string, number> {
  if (actual.length === 0) return {};
  const report = classificationReport(actual, out.labels);
  const metrics: Record<string, number> = {
    accuracy: report.accuracy,
    macro_f1: report.macroF1,
    macro_precision: report.macroPrecision,
    macro_recall: report.macroRecall,
  };
  report.labels.forEach((label, i) => (metrics[`f1.${label}`] = report.f1[i]));
  const k = out.classes.length;
  if (k >= 2) {
    optional(metrics, 'log_loss', () => logLoss(actual, out.probabilities, out.classes));
    optional(metrics, 'auc', () => (k === 2 ? rocAuc(actual, probabilityColumn(out.probabilities, 2, 1), out.classes[1]) : rocAucOvr(actual, out.probabilities, out.classes)));
    optional(metrics, 'ece', () => expectedCalibrationError(actual, out.probabilities, out.classes));
  }
  return metrics;
}

/** `metric` on the rows of each value of `column` (missing values form one slice, null). */
export function sliceValues(column: ArrayLike<string | null>, actual: string[], out: ClassifierOutputs, metric: string): SliceValue[] {
  const k = out.classes.length;
  return sliceRows(column).map(([slice, rows]) => {
    const m = classifierMetrics(takeRows(actual, rows), { labels: takeRows(out.labels, rows), probabilities: takeMatrixRows(out.probabilities, k, rows), classes: out.classes });
    return { slice, n: rows.length, value: Number.isFinite(m[metric]) ? m[metric] : null };
  });
}

/** A dataset column as slice keys: strings as they are, numbers and booleans as text, NaN/null as missing. */
export function sliceKeys(data: ColumnData): Array<string | null> {
  if (data instanceof Float64Array) return Array.from(data, (v) => (Number.isNaN(v) ? null : String(v)));
  return Array.from(data as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : String(v)));
}

/** Rows (of `n`) where every numeric feature of `features` has a number: the rows a model can be run on. */
export function completeRows(columns: Record<string, ColumnData>, features: FeatureSpec[], n: number): Uint8Array {
  const ok = new Uint8Array(n).fill(1);
  for (const f of features) {
    if (f.kind !== 'numeric') continue;
    const data = columns[f.name];
    for (let i = 0; i < n; i++) {
      const v = data instanceof Float64Array ? data[i] : Number((data as unknown[])[i] ?? NaN);
      if (!Number.isFinite(v)) ok[i] = 0;
    }
  }
  return ok;
}

/** The given rows of a dataset column, as the model runtime takes them (float32 numbers or strings). */
export function featureColumn(data: ColumnData, kind: FeatureSpec['kind'], rows: ArrayLike<number>): FeatureColumn {
  if (kind === 'numeric') {
    const out = new Float32Array(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = data instanceof Float64Array ? data[rows[r]] : Number((data as unknown[])[rows[r]]);
    return out;
  }
  return Array.from(rows, (i) => {
    const v = (data as ArrayLike<unknown>)[i];
    return v === null || v === undefined ? '' : String(v);
  });
}
