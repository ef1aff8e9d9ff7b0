// Reliability diagram of a binary classifier with scikit-learn's semantics
// (sklearn.calibration.calibration_curve, strategy='uniform'), and its uniform binning rule.
import { ValidationError } from '../domain/errors.js';
import { checkScores } from './class-probabilities.js';
import { sortedUnique } from './order.js';

/**
 * The bin of probability p among `nBins` uniform bins of [0, 1], as calibration_curve assigns it:
 * edges e_i = i·(1/nBins) (np.linspace), bin = #{inner edges e_1..e_{nBins−1} < p}
 * (np.searchsorted, side='left'): a p on an edge falls in the lower bin, p = 0 in bin 0, p = 1 in
 * the last. Note e_3 = 3·0.1 = 0.30000000000000004 for nBins = 10, so p = 0.3 is in bin 2.
 * @example uniformBin(0.5, 5) // 2; uniformBin(0.4, 5) // 1
 */
export function uniformBin(p: number, nBins: number): number {
  const step = 1 / nBins;
  let bin = 0;
  while (bin < nBins - 1 && (bin + 1) * step < p) bin++;
  return bin;
}

export function checkBins(nBins: number): void {
  if (!Number.isInteger(nBins) || nBins < 1) throw new ValidationError(`n_bins must be a positive integer; got ${nBins}`);
}

/** The non-empty bins of a calibration curve, lowest first. */
export interface CalibrationCurve {
  /** Fraction of positives in each non-empty bin (sklearn's prob_true). */
  probTrue: Float64Array;
  /** Mean predicted probability in each non-empty bin (sklearn's prob_pred). */
  probPred: Float64Array;
  /** Rows in each non-empty bin. */
  counts: Float64Array;
  /** Index (0..nBins−1) of each non-empty bin. */
  bins: Int32Array;
}

/**
 * sklearn.calibration.calibration_curve(y_true, y_prob, pos_label=positive, n_bins, strategy='uniform'):
 * rows are grouped by {@link uniformBin} of their probability; for each non-empty bin b,
 *   prob_true_b = #{positives in b} / n_b,  prob_pred_b = (Σ_{i ∈ b} p_i) / n_b.
 * As sklearn: probabilities must lie in [0, 1] and y_true may hold at most two labels.
 * @example calibrationCurve(['n', 'p', 'p', 'n'], [0.1, 0.9, 0.8, 0.7], 'p', 2) // probTrue [0, 2/3], probPred [0.1, 0.8]
 */
export function calibrationCurve(yTrue: ArrayLike<string>, probPositive: ArrayLike<number>, positive: string, nBins = 5): CalibrationCurve {
  checkScores(yTrue, probPositive, 'y_prob');
  checkBins(nBins);
  for (let i = 0; i < probPositive.length; i++) {
    if (probPositive[i] < 0 || probPositive[i] > 1) throw new ValidationError(`y_prob has a value outside [0, 1] at row ${i}`);
  }
  const present = sortedUnique(Array.from(yTrue));
  if (present.length > 2) throw new ValidationError(`calibration curve supports binary classification only; y_true has ${present.length} labels`);
  const sums = new Float64Array(nBins);
  const hits = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < yTrue.length; i++) {
    const b = uniformBin(probPositive[i], nBins);
    sums[b] += probPositive[i];
    if (yTrue[i] === positive) hits[b]++;
    totals[b]++;
  }
  const bins: number[] = [];
  for (let b = 0; b < nBins; b++) if (totals[b] > 0) bins.push(b);
  return {
    probTrue: Float64Array.from(bins, (b) => hits[b] / totals[b]),
    probPred: Float64Array.from(bins, (b) => sums[b] / totals[b]),
    counts: Float64Array.from(bins, (b) => totals[b]),
    bins: Int32Array.from(bins),
  };
}
