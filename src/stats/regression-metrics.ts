// Regression metrics with scikit-learn's semantics: MAE, RMSE, R² and MAPE, summed in numpy's
// order so that they agree with sklearn to the last bits.
import { ValidationError } from '../domain/errors.js';
import { numpySum } from './numpy-sum.js';

/** sklearn's MAPE floor for |y_true|: np.finfo(np.float64).eps = 2⁻⁵². */
export const MAPE_EPSILON = Number.EPSILON;

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new ValidationError(`y_true has ${yTrue.length} values but y_pred has ${yPred.length}`);
  if (yTrue.length === 0) throw new ValidationError('a regression metric needs at least one row');
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i]) || !Number.isFinite(yPred[i])) throw new ValidationError(`non-finite value at row ${i}`);
  }
  return yTrue.length;
}

function mapRows(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, f: (t: number, p: number) => number): Float64Array {
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < out.length; i++) out[i] = f(yTrue[i], yPred[i]);
  return out;
}

/**
 * Mean absolute error (sklearn mean_absolute_error): (1/n) Σ |ŷ_i − y_i|.
 * @example meanAbsoluteError([1, 2, 4], [2, 2, 1]) // (1 + 0 + 3)/3 = 4/3
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  return numpySum(mapRows(yTrue, yPred, (t, p) => Math.abs(p - t))) / n;
}

/**
 * Root mean squared error: √((1/n) Σ (y_i − ŷ_i)²) = √(sklearn mean_squared_error).
 * @example rootMeanSquaredError([1, 2, 4], [2, 2, 1]) // √(10/3)
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  return Math.sqrt(numpySum(mapRows(yTrue, yPred, (t, p) => (t - p) * (t - p))) / n);
}

/**
 * Coefficient of determination (sklearn r2_score, force_finite=True):
 *   R² = 1 − Σ (y_i − ŷ_i)² / Σ (y_i − ȳ)².
 * When Σ (y_i − ŷ_i)² = 0 it is 1; otherwise, when y_true is constant (denominator 0), it is 0.
 * NaN for fewer than two rows (sklearn warns and returns nan). Can be negative.
 * @example r2Score([1, 2, 3], [1, 2, 4]) // 1 − 1/2 = 0.5
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  if (n < 2) return Number.NaN;
  const numerator = numpySum(mapRows(yTrue, yPred, (t, p) => (t - p) * (t - p)));
  const mean = numpySum(yTrue) / n;
  const denominator = numpySum(mapRows(yTrue, yPred, (t) => (t - mean) * (t - mean)));
  if (numerator === 0) return 1;
  if (denominator === 0) return 0;
  return 1 - numerator / denominator;
}

/**
 * Mean absolute percentage error (sklearn mean_absolute_percentage_error), as a fraction, not ×100:
 *   MAPE = (1/n) Σ |ŷ_i − y_i| / max(|y_i|, ε),  ε = 2⁻⁵².
 * A zero y_true with a non-zero prediction therefore contributes |ŷ_i|·2⁵² (≈ 4.5·10¹⁵ per unit):
 * huge but finite, as in sklearn; a zero y_true predicted exactly contributes 0.
 * @example meanAbsolutePercentageError([1, 2, 4], [2, 2, 1]) // (1 + 0 + 0.75)/3
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  return numpySum(mapRows(yTrue, yPred, (t, p) => Math.abs(p - t) / Math.max(Math.abs(t), MAPE_EPSILON))) / n;
}

/** The four regression metrics of one prediction set. */
export interface RegressionReport {
  mae: number;
  rmse: number;
  r2: number;
  mape: number;
}

/** MAE, RMSE, R² and MAPE together. @example regressionReport([1, 2, 3], [1, 2, 4]).r2 // 0.5 */
export function regressionReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionReport {
  return {
    mae: meanAbsoluteError(yTrue, yPred),
    rmse: rootMeanSquaredError(yTrue, yPred),
    r2: r2Score(yTrue, yPred),
    mape: meanAbsolutePercentageError(yTrue, yPred),
  };
}
