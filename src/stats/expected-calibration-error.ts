// Expected calibration error (Guo et al. 2017) of the top-class probability, over the uniform
// bins of calibration_curve. scikit-learn has no ECE; the definition is ours, documented below.
import { ValidationError } from '../domain/errors.js';
import { checkBins, uniformBin } from './calibration-curve.js';
import { checkProbabilities } from './class-probabilities.js';
import { numpySum } from './numpy-sum.js';

/** Default bin count (Guo et al., "On Calibration of Modern Neural Networks", 2017). */
export const ECE_BINS = 15;

/**
 * ECE = Σ_b (n_b / N) · |acc_b − conf_b| over the non-empty bins b of `nBins` uniform confidence
 * bins, where for each row i:
 *   conf_i = max_j p_ij (the top-class probability), ŷ_i = labels[argmax_j p_ij] (first on ties),
 *   acc_b = (1/n_b) Σ_{i ∈ b} [ŷ_i = y_i],  conf_b = (1/n_b) Σ_{i ∈ b} conf_i,
 * and rows are binned by conf_i exactly as sklearn's calibration_curve bins probabilities
 * ({@link uniformBin}: edges i/nBins, a value on an edge goes to the lower bin). Equivalently:
 * calibration_curve([ŷ = y], conf, n_bins) weighted by bin sizes. 0 for a perfectly calibrated model.
 * `proba` is row-major n × k, column j for labels[j]; for a binary score s use [1 − s, s].
 * @example
 *   // conf 0.9 (right) in bin [0.8, 1], 0.6 (wrong) in bin [0.4, 0.6]: ½·|1 − 0.9| + ½·|0 − 0.6| = 0.35
 *   expectedCalibrationError(['a', 'a'], [0.9, 0.1, 0.4, 0.6], ['a', 'b'], 5) // 0.35
 */
export function expectedCalibrationError(yTrue: ArrayLike<string>, proba: ArrayLike<number>, labels: readonly string[], nBins: number = ECE_BINS): number {
  checkProbabilities(yTrue, proba, labels);
  checkBins(nBins);
  const n = yTrue.length;
  const k = labels.length;
  if (n === 0 || k === 0) throw new ValidationError('expected calibration error needs at least one row and one label');
  const confSum = new Float64Array(nBins);
  const hits = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (proba[i * k + j] > proba[i * k + best]) best = j;
    const conf = proba[i * k + best];
    if (conf < 0 || conf > 1) throw new ValidationError(`probabilities must lie in [0, 1]; row ${i} has ${conf}`);
    const b = uniformBin(conf, nBins);
    confSum[b] += conf;
    if (labels[best] === yTrue[i]) hits[b]++;
    totals[b]++;
  }
  const parts: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] > 0) parts.push((totals[b] / n) * Math.abs(hits[b] / totals[b] - confSum[b] / totals[b]));
  }
  return numpySum(parts);
}
