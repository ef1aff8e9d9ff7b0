// The counting step shared by ROC and precision-recall curves (sklearn's _binary_clf_curve):
// true and false positives at each distinct score threshold, highest threshold first.

/** Cumulative counts at each distinct threshold, in decreasing threshold order. */
export interface BinaryCurveCounts {
  /** Negatives scored ≥ thresholds[i]. */
  fps: Float64Array;
  /** Positives scored ≥ thresholds[i]. */
  tps: Float64Array;
  /** The distinct scores, decreasing. */
  thresholds: Float64Array;
}

/**
 * Sort rows by score (descending) and, at the last row of each run of equal scores, record how
 * many positives (tps) and negatives (fps) score at least that much. Tied scores therefore move
 * the curve in one diagonal step. `positive[i]` is 1 for a positive row. Scores must be finite.
 * @example binaryCurve([0, 1, 1], [0.1, 0.4, 0.4]) // tps [2, 2], fps [0, 1], thresholds [0.4, 0.1]
 */
export function binaryCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurveCounts {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (positive[i]) tp++;
    if (r === n - 1 || scores[order[r + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(r + 1 - tp);
      thresholds.push(scores[i]);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}
