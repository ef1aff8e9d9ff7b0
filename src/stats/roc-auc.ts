// Area under the ROC curve with scikit-learn's semantics: roc_curve (drop_intermediate=True),
// the trapezoidal area of roc_auc_score, and its one-vs-rest macro average for multiclass.
import { ValidationError } from '../domain/errors.js';
import { binaryCurve } from './binary-curve.js';
import { checkProbabilities, checkScores, checkTruthInLabels, isPositive, positiveLabelOf, probabilityColumn } from './class-probabilities.js';
import { numpySum } from './numpy-sum.js';

/** Points of the ROC curve, from (0, 0) to (1, 1). */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] = max score + 1 (the point (0, 0)), then the kept distinct scores, decreasing. */
  thresholds: Float64Array;
}

/**
 * sklearn.metrics.roc_curve(drop_intermediate=True): for each distinct score t (decreasing),
 *   FPR(t) = #{negatives with score ≥ t} / #negatives,  TPR(t) = #{positives with score ≥ t} / #positives,
 * preceded by (0, 0); points collinear with both neighbours are dropped. Throws unless y_true
 * has both a positive and a negative row.
 * @example rocCurve(['n', 'n', 'p', 'p'], [0.1, 0.4, 0.35, 0.8], 'p') // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
 */
export function rocCurve(yTrue: ArrayLike<string>, scores: ArrayLike<number>, positive: string = positiveLabelOf(yTrue)): RocCurve {
  checkScores(yTrue, scores);
  const { fps, tps, thresholds } = binaryCurve(isPositive(yTrue, positive), scores);
  const m = fps.length;
  const P = tps[m - 1];
  const N = fps[m - 1];
  if (P === 0 || N === 0) {
    throw new ValidationError(`ROC AUC needs both classes in y_true; only ${P === 0 ? 'negatives' : `"${positive}"`} found`);
  }
  // drop_intermediate: keep the ends and every point where the curve bends.
  const keep: number[] = [];
  for (let i = 0; i < m; i++) {
    if (m <= 2 || i === 0 || i === m - 1) keep.push(i);
    else if (fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0) keep.push(i);
  }
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const th = new Float64Array(keep.length + 1);
  th[0] = thresholds[0] + 1;
  keep.forEach((i, r) => {
    fpr[r + 1] = fps[i] / N;
    tpr[r + 1] = tps[i] / P;
    th[r + 1] = thresholds[i];
  });
  return { fpr, tpr, thresholds: th };
}

/** np.trapz(y, x) = Σ (x[i+1] − x[i])·(y[i+1] + y[i]) / 2, summed as numpy does. */
function trapezoid(x: Float64Array, y: Float64Array): number {
  const parts = new Float64Array(x.length - 1);
  for (let i = 0; i < parts.length; i++) parts[i] = ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2;
  return numpySum(parts);
}

/**
 * Binary ROC AUC (sklearn roc_auc_score): the trapezoidal area under {@link rocCurve}. Equals the
 * probability that a random positive scores above a random negative, ties counting ½.
 * `positive` defaults to the larger label of y_true in code-point order, as sklearn does.
 * @example rocAuc(['n', 'n', 'p', 'p'], [0.1, 0.4, 0.35, 0.8], 'p') // 0.75
 */
export function rocAuc(yTrue: ArrayLike<string>, scores: ArrayLike<number>, positive?: string): number {
  const { fpr, tpr } = rocCurve(yTrue, scores, positive);
  return trapezoid(fpr, tpr);
}

/**
 * Multiclass ROC AUC, one-vs-rest, macro average — sklearn roc_auc_score(multi_class='ovr',
 * average='macro', labels=labels): (1/k) Σ_j AUC(y = labels[j], proba[:, j]).
 * `proba` is row-major n × k, column j for labels[j]. As sklearn: every row must sum to 1
 * (np.allclose), every y_true label must be listed, and every label needs positives and negatives
 * in y_true (else the AUC of that column is undefined and this throws).
 * @example rocAucOvr(['a', 'b', 'c'], [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4], ['a', 'b', 'c']) // 1
 */
export function rocAucOvr(yTrue: ArrayLike<string>, proba: ArrayLike<number>, labels: readonly string[]): number {
  checkProbabilities(yTrue, proba, labels);
  checkTruthInLabels(yTrue, labels);
  const k = labels.length;
  for (let i = 0; i < yTrue.length; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += proba[i * k + j];
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      throw new ValidationError(`multiclass ROC AUC needs probabilities: row ${i} sums to ${s}, not 1`);
    }
  }
  const scores = labels.map((label, j) => rocAuc(yTrue, probabilityColumn(proba, k, j), label));
  return numpySum(scores) / k;
}
