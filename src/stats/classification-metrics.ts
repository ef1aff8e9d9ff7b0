// Classification metrics with scikit-learn's semantics: accuracy, confusion matrix, per-class
// precision / recall / F1 (zero_division = 0) and their macro average.
import { ValidationError } from '../domain/errors.js';
import { sortedUnique } from './order.js';

function checkLengths(yTrue: ArrayLike<string>, yPred: ArrayLike<string>): void {
  if (yTrue.length !== yPred.length) {
    throw new ValidationError(`y_true has ${yTrue.length} labels but y_pred has ${yPred.length}`);
  }
}

/**
 * The label set of sklearn's `unique_labels`: every label in y_true or y_pred, in code-point order.
 * @example labelsOf(['b', 'a'], ['c', 'a']) // ['a', 'b', 'c']
 */
export function labelsOf(yTrue: ArrayLike<string>, yPred: ArrayLike<string>): string[] {
  return sortedUnique([...Array.from(yTrue), ...Array.from(yPred)]);
}

/**
 * Share of rows whose prediction equals the truth: (1/n) Σ [y_true_i = y_pred_i]. NaN when n = 0.
 * @example accuracy(['a', 'b', 'b'], ['a', 'b', 'a']) // 2/3
 */
export function accuracy(yTrue: ArrayLike<string>, yPred: ArrayLike<string>): number {
  checkLengths(yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/** A confusion matrix: `matrix[i·k + j]` counts rows of true label `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: string[];
  /** Row-major k × k counts (rows: truth, columns: prediction), as sklearn's confusion_matrix. */
  matrix: Float64Array;
}

/**
 * sklearn.metrics.confusion_matrix: C[i][j] = #{rows with truth labels[i] and prediction labels[j]}.
 * `labels` defaults to {@link labelsOf}; rows whose truth or prediction is not in `labels` are ignored.
 * @example confusionMatrix(['a', 'b', 'b'], ['a', 'a', 'b']).matrix // [1, 0, 1, 1]
 */
export function confusionMatrix(yTrue: ArrayLike<string>, yPred: ArrayLike<string>, labels?: readonly string[]): ConfusionMatrix {
  checkLengths(yTrue, yPred);
  const ls = labels ? [...labels] : labelsOf(yTrue, yPred);
  const index = new Map(ls.map((l, i) => [l, i]));
  const k = ls.length;
  const matrix = new Float64Array(k * k);
  for (let r = 0; r < yTrue.length; r++) {
    const i = index.get(yTrue[r]);
    const j = index.get(yPred[r]);
    if (i !== undefined && j !== undefined) matrix[i * k + j]++;
  }
  return { labels: ls, matrix };
}

/** Per-class scores in the order of `labels`, and their unweighted (macro) means. */
export interface ClassificationReport {
  labels: string[];
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** Rows whose truth is the label. */
  support: Float64Array;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
}

const divide = (num: number, den: number): number => (den === 0 ? 0 : num / den); // zero_division=0

/**
 * sklearn.metrics.precision_recall_fscore_support (average=None, zero_division=0) plus the macro
 * averages. For each label: tp = hits, pred = rows predicted as it, true = rows that are it;
 *   precision = tp / pred, recall = tp / true, F1 = 2·tp / (true + pred)   (0 when a denominator is 0),
 *   macro-X = (1/k) Σ X over the labels. Labels default to every label in y_true or y_pred; a given
 *   list is used as is (absent labels score 0 and count in the macro mean).
 * @example
 *   const r = classificationReport(['a', 'a', 'b'], ['a', 'b', 'b']);
 *   // r.precision [1, 0.5], r.recall [0.5, 1], r.f1 [2/3, 2/3], r.macroF1 2/3
 */
export function classificationReport(yTrue: ArrayLike<string>, yPred: ArrayLike<string>, labels?: readonly string[]): ClassificationReport {
  checkLengths(yTrue, yPred);
  const ls = labels ? [...labels] : labelsOf(yTrue, yPred);
  const k = ls.length;
  const index = new Map(ls.map((l, i) => [l, i]));
  // Counted over every row, as sklearn does: with a given label list, a row of truth `a`
  // predicted as an unlisted label is still a false negative of `a`.
  const tp = new Float64Array(k);
  const trueSum = new Float64Array(k);
  const predSum = new Float64Array(k);
  for (let r = 0; r < yTrue.length; r++) {
    const i = index.get(yTrue[r]);
    const j = index.get(yPred[r]);
    if (i !== undefined) trueSum[i]++;
    if (j !== undefined) predSum[j]++;
    if (i !== undefined && yTrue[r] === yPred[r]) tp[i]++;
  }
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    precision[i] = divide(tp[i], predSum[i]);
    recall[i] = divide(tp[i], trueSum[i]);
    f1[i] = divide(2 * tp[i], trueSum[i] + predSum[i]);
  }
  const mean = (a: Float64Array) => (k === 0 ? 0 : a.reduce((s, v) => s + v, 0) / k);
  return {
    labels: ls,
    precision,
    recall,
    f1,
    support: trueSum,
    macroPrecision: mean(precision),
    macroRecall: mean(recall),
    macroF1: mean(f1),
    accuracy: accuracy(yTrue, yPred),
  };
}

/**
 * Macro-averaged F1 (sklearn f1_score(average='macro', zero_division=0)).
 * @example macroF1(['a', 'a', 'b'], ['a', 'b', 'b']) // 2/3
 */
export function macroF1(yTrue: ArrayLike<string>, yPred: ArrayLike<string>, labels?: readonly string[]): number {
  return classificationReport(yTrue, yPred, labels).macroF1;
}
