// One fitted regression tree of the boosted ensemble, as flat arrays (node 0 is the root), and
// the two ways of walking it: on bin codes (training) and on float32 values (prediction, as ONNX).
import { MISSING_BIN } from './gbdt-binning.js';

export interface GbdtTree {
  /** Split feature of each node; −1 for a leaf. */
  feature: Int32Array;
  /** Numeric splits: rows whose bin is ≤ binThreshold go left. */
  binThreshold: Int32Array;
  /** Numeric splits: the same boundary as a float32 value: fround(x) ≤ threshold goes left. */
  threshold: Float64Array;
  /** Where a missing value (or an unknown category) goes: 1 = left. */
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf values (learning rate applied); 0 for split nodes. */
  value: Float64Array;
  /** Categorical splits: a 256-entry membership table (1 = the category code goes left); null otherwise. */
  leftCategories: (Uint8Array | null)[];
}

/** Number of nodes. */
export const treeSize = (t: GbdtTree): number => t.feature.length;

/** Leaf value of binned row i (bins row-major, `width` features a row). */
export function predictBinnedRow(t: GbdtTree, bins: Uint8Array, width: number, i: number): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node];
    if (f < 0) return t.value[node];
    const b = bins[i * width + f];
    const cats = t.leftCategories[node];
    const goLeft = b === MISSING_BIN ? t.missingLeft[node] === 1 : cats !== null ? cats[b] === 1 : b <= t.binThreshold[node];
    node = goLeft ? t.left[node] : t.right[node];
  }
}

/**
 * Leaf value of row i of a row-major value matrix X (width = features): numeric features as
 * float32 values, categorical ones as category codes; NaN is missing (or an unknown category).
 * This is what the exported ONNX graph computes.
 */
export function predictValueRow(t: GbdtTree, X: Float64Array, width: number, i: number): number {
  let node = 0;
  const row = i * width;
  for (;;) {
    const f = t.feature[node];
    if (f < 0) return t.value[node];
    const x = X[row + f];
    const cats = t.leftCategories[node];
    const goLeft = Number.isNaN(x) ? t.missingLeft[node] === 1 : cats !== null ? cats[x] === 1 : x <= t.threshold[node];
    node = goLeft ? t.left[node] : t.right[node];
  }
}
