// PR AUC as average precision, with scikit-learn's semantics: precision_recall_curve and
// average_precision_score (binary, and the one-vs-rest macro average for multiclass).
import { ValidationError } from '../domain/errors.js';
import { binaryCurve } from './binary-curve.js';
import { checkProbabilities, checkScores, checkTruthInLabels, isPositive, positiveLabelOf, probabilityColumn } from './class-probabilities.js';
import { numpySum } from './numpy-sum.js';

/** The precision-recall curve, recall decreasing; the last point is (recall 0, precision 1). */
export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** Distinct scores, increasing (one fewer than the points). */
  thresholds: Float64Array;
}

/**
 * sklearn.metrics.precision_recall_curve: for each distinct score t,
 *   precision(t) = tp(t) / (tp(t) + fp(t)),  recall(t) = tp(t) / #positives,
 * counting rows with score ≥ t; ordered by increasing t, then (recall 0, precision 1) appended.
 * Throws when y_true has no positive row (sklearn warns and sets recall to 1).
 * @example precisionRecallCurve(['n', 'n', 'p', 'p'], [0.1, 0.4, 0.35, 0.8], 'p').precision // [0.5, 2/3, 0.5, 1, 1]
 */
export function precisionRecallCurve(yTrue: ArrayLike<string>, scores: ArrayLike<number>, positive: string = positiveLabelOf(yTrue)): PrecisionRecallCurve {
  checkScores(yTrue, scores);
  const { fps, tps, thresholds } = binaryCurve(isPositive(yTrue, positive), scores);
  const m = tps.length;
  const P = m === 0 ? 0 : tps[m - 1];
  if (P === 0) throw new ValidationError(`average precision needs a positive row ("${positive}") in y_true`);
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const i = m - 1 - r;
    precision[r] = tps[i] / (tps[i] + fps[i]);
    recall[r] = tps[i] / P;
    th[r] = thresholds[i];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/**
 * Average precision (sklearn average_precision_score): AP = Σ_n (R_n − R_{n−1}) · P_n over the
 * thresholds — the step-function area under the PR curve, with no interpolation. `positive`
 * defaults to the larger label of y_true (sklearn's default pos_label=1 cannot name a string class).
 * @example averagePrecision(['n', 'n', 'p', 'p'], [0.1, 0.4, 0.35, 0.8], 'p') // 0.8333… = 0.5·1 + 0.5·(2/3)
 */
export function averagePrecision(yTrue: ArrayLike<string>, scores: ArrayLike<number>, positive?: string): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, positive);
  const parts = new Float64Array(recall.length - 1);
  for (let i = 0; i < parts.length; i++) parts[i] = (recall[i + 1] - recall[i]) * precision[i];
  return -numpySum(parts);
}

/**
 * Multiclass average precision, one-vs-rest, macro: (1/k) Σ_j AP(y = labels[j], proba[:, j]) —
 * sklearn ≥ 1.3 average_precision_score(average='macro') on multiclass y_true, equal to 1.2's
 * average_precision_score(label_binarize(y_true, classes=labels), proba). `proba` is row-major
 * n × k. Every y_true label must be listed and every listed label must occur in y_true.
 * @example averagePrecisionOvr(['a', 'b'], [0.9, 0.1, 0.3, 0.7], ['a', 'b']) // 1
 */
export function averagePrecisionOvr(yTrue: ArrayLike<string>, proba: ArrayLike<number>, labels: readonly string[]): number {
  checkProbabilities(yTrue, proba, labels);
  checkTruthInLabels(yTrue, labels);
  const k = labels.length;
  const scores = labels.map((label, j) => averagePrecision(yTrue, probabilityColumn(proba, k, j), label));
  return numpySum(scores) / k;
}
