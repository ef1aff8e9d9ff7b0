// The best split of a node from its gradient histograms, as scikit-learn's HistGradientBoosting
// finds it: gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), with min_samples_leaf and a minimum
// hessian on both sides. Numeric features try missing values on either side (the learned default
// direction); categorical features split on a set of categories, found by sorting the categories
// by G/(H + 10) and scanning prefixes from both ends (LightGBM's and scikit-learn's method).
import { MISSING_BIN } from './gbdt-binning.js';
import { BIN_STRIDE, FEATURE_STRIDE } from './gbdt-histogram.js';

/** Categories with fewer rows than this in a node are not candidates for its left set (sklearn's MIN_CAT_SUPPORT). */
export const MIN_CATEGORY_SUPPORT = 10;
/** Smoothing of the category ordering ratio G / (H + CATEGORY_SMOOTH). */
export const CATEGORY_SMOOTH = 10;
/** Minimum sum of hessians in a child (sklearn's min_hessian_to_split). */
export const MIN_HESSIAN = 1e-3;

export interface SplitRules {
  l2: number;
  minSamplesLeaf: number;
}

/** A chosen split with the sums of both children. */
export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric: bins ≤ bin go left. */
  bin: number;
  /** Categorical: membership table of the left set (256 entries); null for numeric. */
  leftCategories: Uint8Array | null;
  missingLeft: boolean;
  gl: number;
  hl: number;
  cl: number;
  gr: number;
  hr: number;
  cr: number;
}

/** Per-feature facts the split search needs. */
export interface FeatureLayout {
  /** Non-missing bins of each feature. */
  nBins: Int32Array;
  /** 1 for categorical features. */
  categorical: Uint8Array;
}

interface Best {
  gain: number;
  feature: number;
  bin: number;
  cats: number[] | null;
  missingLeft: boolean;
  gl: number;
  hl: number;
  cl: number;
}

/**
 * Best split of a node with sums (G, H, C) over the features feats[0..nFeats), whose histograms
 * are in `hist` at base + feature · 768; null when no split has a positive gain. Ties keep the
 * first candidate (features in feats order, bins ascending), so the choice is deterministic.
 */
export function findBestSplit(hist: Float64Array, base: number, feats: Int32Array, nFeats: number, layout: FeatureLayout, G: number, H: number, C: number, rules: SplitRules): SplitInfo | null {
  const parent = (G * G) / (H + rules.l2);
  const best: Best = { gain: 0, feature: -1, bin: -1, cats: null, missingLeft: false, gl: 0, hl: 0, cl: 0 };
  for (let k = 0; k < nFeats; k++) {
    const f = feats[k];
    const fb = base + f * FEATURE_STRIDE;
    if (layout.categorical[f] === 1) categoricalSplit(hist, fb, f, layout.nBins[f], G, H, C, parent, rules, best);
    else numericSplit(hist, fb, f, layout.nBins[f], G, H, C, parent, rules, best);
  }
  if (best.feature < 0) return null;
  const cr = C - best.cl;
  const m = base + best.feature * FEATURE_STRIDE + MISSING_BIN * BIN_STRIDE;
  // No missing value in this node: at prediction, missing values follow the larger child.
  const missingLeft = hist[m + 2] === 0 ? best.cl >= cr : best.missingLeft;
  let leftCategories: Uint8Array | null = null;
  if (best.cats !== null) {
    leftCategories = new Uint8Array(256);
    for (const b of best.cats) if (b !== MISSING_BIN) leftCategories[b] = 1;
  }
  return {
    gain: best.gain,
    feature: best.feature,
    bin: best.bin,
    leftCategories,
    missingLeft,
    gl: best.gl,
    hl: best.hl,
    cl: best.cl,
    gr: G - best.gl,
    hr: H - best.hl,
    cr,
  };
}

function numericSplit(hist: Float64Array, fb: number, f: number, nb: number, G: number, H: number, C: number, parent: number, rules: SplitRules, best: Best): void {
  const { l2, minSamplesLeaf } = rules;
  const m = fb + MISSING_BIN * BIN_STRIDE;
  const cm = hist[m + 2];
  // Pass 0: missing values go right; pass 1 (only when the node has some): they go left.
  for (let pass = 0; pass < (cm > 0 ? 2 : 1); pass++) {
    let gl = pass === 0 ? 0 : hist[m];
    let hl = pass === 0 ? 0 : hist[m + 1];
    let cl = pass === 0 ? 0 : cm;
    for (let b = 0; b < nb - 1; b++) {
      const j = fb + b * BIN_STRIDE;
      gl += hist[j];
      hl += hist[j + 1];
      cl += hist[j + 2];
      const cr = C - cl;
      if (cr < minSamplesLeaf) break;
      if (cl < minSamplesLeaf) continue;
      const hr = H - hl;
      if (hr < MIN_HESSIAN) break;
      if (hl < MIN_HESSIAN) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.cats = null;
        best.missingLeft = pass === 1;
        best.gl = gl;
        best.hl = hl;
        best.cl = cl;
      }
    }
  }
}

function categoricalSplit(hist: Float64Array, fb: number, f: number, nb: number, G: number, H: number, C: number, parent: number, rules: SplitRules, best: Best): void {
  const { l2, minSamplesLeaf } = rules;
  const used: number[] = [];
  const ratio = new Float64Array(256);
  const consider = (b: number) => {
    const j = fb + b * BIN_STRIDE;
    if (hist[j + 2] < MIN_CATEGORY_SUPPORT) return;
    ratio[b] = hist[j] / (hist[j + 1] + CATEGORY_SMOOTH);
    used.push(b);
  };
  for (let b = 0; b < nb; b++) consider(b);
  consider(MISSING_BIN); // missing values are a category of their own here
  if (used.length <= 1) return;
  used.sort((a, b) => ratio[a] - ratio[b] || a - b);
  const maxCats = Math.min((used.length + 1) >> 1, used.length - 1);
  for (let dir = 0; dir < 2; dir++) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let i = 0; i < maxCats; i++) {
      const j = fb + (dir === 0 ? used[i] : used[used.length - 1 - i]) * BIN_STRIDE;
      gl += hist[j];
      hl += hist[j + 1];
      cl += hist[j + 2];
      const cr = C - cl;
      if (cr < minSamplesLeaf) break;
      if (cl < minSamplesLeaf) continue;
      const hr = H - hl;
      if (hr < MIN_HESSIAN) break;
      if (hl < MIN_HESSIAN) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > best.gain) {
        const cats = dir === 0 ? used.slice(0, i + 1) : used.slice(used.length - 1 - i);
        best.gain = gain;
        best.feature = f;
        best.bin = -1;
        best.cats = cats;
        best.missingLeft = cats.includes(MISSING_BIN);
        best.gl = gl;
        best.hl = hl;
        best.cl = cl;
      }
    }
  }
}
