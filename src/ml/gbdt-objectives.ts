// The losses the trees are boosted on, on raw scores laid out class-major (score of class k for
// row i at k·n + i): binary log loss (sigmoid), multiclass cross-entropy (softmax, one tree per
// class and round) and half squared error. Each gives its starting score, gradients and hessians,
// its mean loss, and the probabilities (or values) of raw scores.
import type { GbdtObjective } from './gbdt-params.js';

/** Probabilities are clipped to [EPS, 1 − EPS] for the starting scores (float64 machine epsilon, as sklearn). */
const EPS = 2.220446049250313e-16;

/** Number of raw scores per row (trees per round). */
export function scoreCount(objective: GbdtObjective, classes: number): number {
  return objective === 'multiclass' ? classes : 1;
}

/**
 * Starting raw scores: log-odds of the positive rate (binary), log class priors (multiclass),
 * the mean (regression). `y` holds class indices (classification) or targets (regression).
 */
export function baselineScores(objective: GbdtObjective, y: Float64Array, classes: number): Float64Array {
  const n = y.length;
  if (objective === 'regression') {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i];
    return Float64Array.of(s / n);
  }
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) counts[y[i]]++;
  const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
  if (objective === 'binary') {
    const p = clip(counts[1] / n);
    return Float64Array.of(Math.log(p / (1 - p)));
  }
  return Float64Array.from(counts, (c) => Math.log(clip(c / n)));
}

/** Objective codes of {@link gradientRows} (it runs in worker threads, which get no enums). */
export const GRADIENT_KIND: Record<GbdtObjective, number> = { regression: 0, binary: 1, multiclass: 2 };

/**
 * Gradients and hessians of the loss at `raw`, interleaved: score j's (j = k·n + i, as in raw)
 * gradient at gh[2j] and hessian at gh[2j + 1], so one row's pair shares a cache line.
 */
export function gradients(objective: GbdtObjective, y: Float64Array, raw: Float64Array, K: number, gh: Float64Array): void {
  gradientRows(GRADIENT_KIND[objective], y, raw, K, gh, 0, y.length);
}

/**
 * {@link gradients} of rows [from, to) only (kind: {@link GRADIENT_KIND}); each row's values
 * depend on that row alone, so threads may share the rows. Also the kernel of the training
 * worker threads (its source is sent to them): self-contained, no imports or outer constants.
 */
export function gradientRows(kind: number, y: Float64Array, raw: Float64Array, K: number, gh: Float64Array, from: number, to: number): void {
  const n = y.length;
  if (kind === 0) {
    for (let i = from; i < to; i++) {
      gh[2 * i] = raw[i] - y[i];
      gh[2 * i + 1] = 1;
    }
  } else if (kind === 1) {
    for (let i = from; i < to; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]));
      gh[2 * i] = p - y[i];
      gh[2 * i + 1] = p * (1 - p);
    }
  } else {
    for (let i = from; i < to; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[k * n + i]);
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(raw[k * n + i] - max);
        gh[2 * (k * n + i)] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) {
        const j = 2 * (k * n + i);
        const p = gh[j] / sum;
        gh[j] = p - (y[i] === k ? 1 : 0);
        gh[j + 1] = p * (1 - p);
      }
    }
  }
}

/** Mean loss: log loss (classification) or half squared error (regression). */
export function meanLoss(objective: GbdtObjective, y: Float64Array, raw: Float64Array, K: number): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  if (objective === 'regression') {
    for (let i = 0; i < n; i++) s += 0.5 * (raw[i] - y[i]) ** 2;
  } else if (objective === 'binary') {
    // log(1 + e^z) − y·z, computed without overflow.
    for (let i = 0; i < n; i++) {
      const z = raw[i];
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[k * n + i]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(raw[k * n + i] - max);
      s += max + Math.log(sum) - raw[y[i] * n + i];
    }
  }
  return s / n;
}

/**
 * Class probabilities, row-major n × C, from class-major raw scores (C = 2 for binary, whose one
 * score is the log-odds of the second class).
 */
export function probabilities(objective: GbdtObjective, raw: Float64Array, n: number, classes: number): Float64Array {
  const out = new Float64Array(n * classes);
  if (objective === 'binary') {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, raw[k * n + i]);
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(raw[k * n + i] - max);
      out[i * classes + k] = e;
      sum += e;
    }
    for (let k = 0; k < classes; k++) out[i * classes + k] /= sum;
  }
  return out;
}
