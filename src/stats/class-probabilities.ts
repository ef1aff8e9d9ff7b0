// Shared input checks for the score-based classification metrics: label/score arrays, the
// row-major n × k class-probability matrix, and the positive label of a binary problem.
import { ValidationError } from '../domain/errors.js';
import { sortedUnique } from './order.js';

/** Throw unless `yTrue` and the per-row `values` have the same length and the values are finite. */
export function checkScores(yTrue: ArrayLike<string>, scores: ArrayLike<number>, name = 'y_score'): void {
  if (yTrue.length !== scores.length) throw new ValidationError(`y_true has ${yTrue.length} labels but ${name} has ${scores.length} values`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new ValidationError(`${name} has a non-finite value at row ${i}`);
  }
}

/**
 * Throw unless `proba` is a finite row-major n × k matrix (n = yTrue.length, k = labels.length,
 * column j = probability of labels[j]) with distinct labels.
 */
export function checkProbabilities(yTrue: ArrayLike<string>, proba: ArrayLike<number>, labels: readonly string[]): void {
  const k = labels.length;
  if (new Set(labels).size !== k) throw new ValidationError('labels must be distinct');
  if (proba.length !== yTrue.length * k) {
    throw new ValidationError(`probabilities have ${proba.length} values; expected ${yTrue.length} rows × ${k} labels`);
  }
  for (let i = 0; i < proba.length; i++) {
    if (!Number.isFinite(proba[i])) throw new ValidationError(`probabilities have a non-finite value at row ${Math.floor(i / k)}`);
  }
}

/** Throw unless every label of yTrue is one of `labels`. */
export function checkTruthInLabels(yTrue: ArrayLike<string>, labels: readonly string[]): void {
  const known = new Set(labels);
  for (let i = 0; i < yTrue.length; i++) {
    if (!known.has(yTrue[i])) throw new ValidationError(`y_true contains label ${JSON.stringify(yTrue[i])}, which is not in labels`);
  }
}

/**
 * The positive class of a binary problem as sklearn's roc_auc_score takes it: the larger of the
 * labels present in y_true, in code-point order. Throws unless y_true has exactly two labels.
 * @example positiveLabelOf(['no', 'yes', 'no']) // 'yes'
 */
export function positiveLabelOf(yTrue: ArrayLike<string>): string {
  const present = sortedUnique(Array.from(yTrue));
  if (present.length !== 2) {
    throw new ValidationError(`a binary metric needs exactly two labels in y_true; found ${present.length} (${present.slice(0, 5).join(', ')})`);
  }
  return present[1];
}

/** 1 where yTrue[i] = positive, else 0. @example isPositive(['a', 'b'], 'b') // [0, 1] */
export function isPositive(yTrue: ArrayLike<string>, positive: string): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === positive ? 1 : 0;
  return out;
}

/** Column j of a row-major n × k matrix. @example probabilityColumn([0.2, 0.8, 0.6, 0.4], 2, 1) // [0.8, 0.4] */
export function probabilityColumn(proba: ArrayLike<number>, k: number, j: number): Float64Array {
  const n = Math.floor(proba.length / k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = proba[i * k + j];
  return out;
}

/**
 * The n × 2 matrix [1 − s, s] of a binary score s (the probability of the second label), the form
 * the reference program hands to log_loss. @example binaryProbabilities([0.25]) // [0.75, 0.25]
 */
export function binaryProbabilities(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length * 2);
  for (let i = 0; i < scores.length; i++) {
    out[2 * i] = 1 - scores[i];
    out[2 * i + 1] = scores[i];
  }
  return out;
}
