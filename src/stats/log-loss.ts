// Log loss (cross-entropy) with scikit-learn 1.2's semantics: probabilities clipped to
// [ε, 1 − ε], rows renormalised to sum to 1, the mean over rows.
import { ValidationError } from '../domain/errors.js';
import { checkProbabilities } from './class-probabilities.js';
import { numpySum } from './numpy-sum.js';

/** sklearn's eps='auto' for float64 input: np.finfo(np.float64).eps = 2⁻⁵². */
export const LOG_LOSS_EPS = Number.EPSILON;

/**
 * sklearn.metrics.log_loss(y_true, proba, labels=labels) as in scikit-learn 1.2:
 *   q_ij = clip(p_ij, ε, 1 − ε),  q̂_ij = q_ij / Σ_j' q_ij',  loss = −(1/n) Σ_i ln q̂_{i, y_i},
 * with ε = 2⁻⁵² — a probability of 0 on the true class costs ln(2⁵²) ≈ 36.04, not ∞, and rows
 * that do not sum to 1 are silently renormalised (later scikit-learn versions warn about such rows
 * and deprecate the eps argument; the clipping of 1.2 is kept here).
 * `proba` is row-major n × k, column j for labels[j]. Needs k ≥ 2, as sklearn does; a y_true label
 * missing from `labels` throws (sklearn would count that row as zero loss).
 * @example logLoss(['a', 'b'], [0.8, 0.2, 0.4, 0.6], ['a', 'b']) // −(ln 0.8 + ln 0.6)/2 ≈ 0.3670
 */
export function logLoss(yTrue: ArrayLike<string>, proba: ArrayLike<number>, labels: readonly string[], eps: number = LOG_LOSS_EPS): number {
  checkProbabilities(yTrue, proba, labels);
  const k = labels.length;
  if (k < 2) throw new ValidationError(`log loss needs at least two labels; got ${k}`);
  const n = yTrue.length;
  if (n === 0) throw new ValidationError('log loss needs at least one row');
  const column = new Map(labels.map((l, j) => [l, j]));
  const losses = new Float64Array(n);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const t = column.get(yTrue[i]);
    if (t === undefined) throw new ValidationError(`y_true contains label ${JSON.stringify(yTrue[i])}, which is not in labels`);
    for (let j = 0; j < k; j++) row[j] = Math.min(Math.max(proba[i * k + j], eps), 1 - eps);
    losses[i] = -Math.log(row[t] / numpySum(row));
  }
  return numpySum(losses) / n;
}
