// Quantile binning of the gradient-boosted trees: every feature becomes bin codes 0..nb-1 (one
// byte a value) plus a bin of its own for missing values. Numeric bin edges are float32 values
// chosen on float32-cast data, so an ONNX tree (float32 inputs, `x <= threshold`) routes every row
// exactly as the binned training data and the in-process prediction do.
import { ValidationError } from '../domain/errors.js';
import { compareCodePoints } from '../stats/order.js';
import { categoricalCell, numericCell, type Columns, type FeatureSpec } from './feature-spec.js';

/** The bin of missing values (and, for categorical features, of categories not kept in training). */
export const MISSING_BIN = 255;
/** Bins in one feature's histogram: 255 value bins at most, plus the missing bin. */
export const HIST_BINS = 256;
/** Rows sampled to place the quantiles of numeric features (as scikit-learn's 2e5). */
export const BINNING_SAMPLE = 200_000;

/**
 * How one feature is binned, plain data stored in the model.
 * - numeric: ascending float32 `thresholds`; bin b holds x with t[b−1] < fround(x) ≤ t[b]
 *   (thresholds.length + 1 bins);
 * - categorical: `categories` in code-point order; bin = index (unknown or missing → MISSING_BIN).
 */
export type FeatureBinning = { kind: 'numeric'; thresholds: number[] } | { kind: 'categorical'; categories: string[] };

/** Number of non-missing bins of a feature. */
export function binCount(b: FeatureBinning): number {
  return b.kind === 'numeric' ? b.thresholds.length + 1 : b.categories.length;
}

/**
 * Bin edges of one numeric feature from its (float32-cast) non-missing values: midpoints between
 * consecutive distinct values when there are at most `maxBins` of them, otherwise the
 * (midpoint-interpolated) quantiles at 1/maxBins … (maxBins−1)/maxBins. Every edge is a float32
 * value a ≤ edge < b between two neighbouring data values a < b.
 * @example numericThresholds(Float32Array.of(3, 1, 2, 2), 255) // [1.5, 2.5]
 */
export function numericThresholds(values: Float32Array, maxBins: number): number[] {
  const v = sortFloat32(values);
  // Count distinct values only as far as maxBins + 1 (past it the quantiles are used).
  let nDistinct = 0;
  for (let i = 0; i < v.length && nDistinct <= maxBins; i++) if (i === 0 || v[i] !== v[i - 1]) nDistinct++;
  const out: number[] = [];
  if (nDistinct <= maxBins) {
    const distinct: number[] = [];
    for (let i = 0; i < v.length; i++) if (i === 0 || v[i] !== v[i - 1]) distinct.push(v[i]);
    for (let i = 0; i + 1 < distinct.length; i++) {
      const a = distinct[i];
      const b = distinct[i + 1];
      const mid = Math.fround((a + b) / 2);
      out.push(mid >= b ? a : mid); // adjacent float32 values: the lower one separates them
    }
    return out;
  }
  const n = v.length;
  for (let j = 1; j < maxBins; j++) {
    const pos = (j / maxBins) * (n - 1);
    const q = Math.fround((v[Math.floor(pos)] + v[Math.ceil(pos)]) / 2);
    if (out.length === 0 || q > out[out.length - 1]) out.push(q);
  }
  // An edge at the largest value would leave its last bin empty: drop it.
  while (out.length > 0 && out[out.length - 1] >= v[n - 1]) out.pop();
  return out;
}

/**
 * Non-NaN float32 values in ascending order (a copy): an LSD radix sort on their bits, mapped so
 * that unsigned order is numeric order (about three times faster than TypedArray#sort here).
 */
export function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  let src = new Uint32Array(n);
  new Float32Array(src.buffer).set(values);
  for (let i = 0; i < n; i++) {
    const b = src[i];
    src[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  let dst = new Uint32Array(n);
  const count = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & 255]++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const x = src[i];
      dst[count[(x >>> shift) & 255]++] = x;
    }
    [src, dst] = [dst, src];
  }
  for (let i = 0; i < n; i++) {
    const b = src[i];
    src[i] = b & 0x80000000 ? (b & 0x7fffffff) >>> 0 : ~b >>> 0;
  }
  return new Float32Array(src.buffer);
}

/** Index of the bin of a float32 value: the number of thresholds below it (branch-free binary search). */
export function numericBin(thresholds: ArrayLike<number>, fx: number): number {
  let base = 0;
  let len = thresholds.length;
  while (len > 1) {
    const half = len >>> 1;
    base = thresholds[base + half - 1] < fx ? base + half : base;
    len -= half;
  }
  return len === 1 && thresholds[base] < fx ? base + 1 : base;
}

/** From this many rows on, binRows looks numeric bins up through a {@link bucketStarts} table. */
const BUCKET_TABLE_MIN_ROWS = 4096;

/**
 * Order-preserving 16-bit bucket of a non-NaN float32 value (the top bits of its sign-flipped
 * bit pattern; −0 counts as +0). `scratch` is a Float32Array over `bits`' buffer.
 */
function bucketOf(fx: number, scratch: Float32Array, bits: Uint32Array): number {
  scratch[0] = fx === 0 ? 0 : fx;
  const b = bits[0];
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 16;
}

/**
 * starts[k] = the number of thresholds in buckets below k (65,537 entries): a value of bucket k
 * lies above all of those and below all thresholds past starts[k + 1], so its bin is found by a
 * binary search of thresholds[starts[k], starts[k + 1]) alone — the same bin as numericBin's.
 */
function bucketStarts(thresholds: Float64Array, scratch: Float32Array, bits: Uint32Array): Uint16Array {
  const starts = new Uint16Array(65537);
  for (let i = 0; i < thresholds.length; i++) starts[bucketOf(thresholds[i], scratch, bits) + 1]++;
  for (let k = 1; k <= 65536; k++) starts[k] += starts[k - 1];
  return starts;
}

/**
 * Fit the binning of every feature on the training rows `rows` of `columns`. `sample` (a subset of
 * `rows`, or `rows` itself) places the numeric quantiles; categorical features keep their
 * `maxBins` most frequent categories (ties in code-point order), coded in code-point order.
 */
export function fitBinning(features: readonly FeatureSpec[], columns: Columns, rows: Uint32Array, sample: Uint32Array, maxBins: number): FeatureBinning[] {
  return features.map((f) => {
    const col = columns[f.name];
    if (f.kind === 'numeric') {
      const values = new Float32Array(sample.length);
      const dense = col instanceof Float64Array || col instanceof Float32Array;
      let m = 0;
      for (let i = 0; i < sample.length; i++) {
        const x = dense ? (col as Float64Array)[sample[i]] : numericCell(col, sample[i], f.name);
        if (!Number.isNaN(x)) values[m++] = x;
      }
      return { kind: 'numeric', thresholds: numericThresholds(values.subarray(0, m), maxBins) };
    }
    const counts = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const v = categoricalCell(col, rows[i]);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let kept = [...counts.keys()];
    if (kept.length > maxBins) {
      kept.sort((a, b) => counts.get(b)! - counts.get(a)! || compareCodePoints(a, b));
      kept = kept.slice(0, maxBins);
    }
    return { kind: 'categorical', categories: kept.sort(compareCodePoints) };
  });
}

/**
 * Bin rows `rows` of `columns` into `out`, row-major: the bin of feature j of the i-th row at
 * i·F + j (F = features.length). With `rejectInfinite`, an infinite numeric value is a ValidationError naming
 * the feature and row (training data); otherwise it falls in the first or last bin, as in ONNX.
 */
export function binRows(features: readonly FeatureSpec[], binning: readonly FeatureBinning[], columns: Columns, rows: Uint32Array, out: Uint8Array, rejectInfinite: boolean): void {
  const n = rows.length;
  const F = features.length;
  features.forEach((f, j) => {
    const col = columns[f.name];
    const b = binning[j];
    if (b.kind === 'numeric') {
      const t = Float64Array.from(b.thresholds);
      const dense = col instanceof Float64Array || col instanceof Float32Array;
      const scratch = new Float32Array(1);
      const bits = new Uint32Array(scratch.buffer);
      const starts = n >= BUCKET_TABLE_MIN_ROWS && t.length > 0 ? bucketStarts(t, scratch, bits) : null;
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        const x = dense ? (col as Float64Array)[r] : numericCell(col, r, f.name);
        if (Number.isNaN(x)) {
          out[i * F + j] = MISSING_BIN;
          continue;
        }
        if (rejectInfinite && !Number.isFinite(x)) throw new ValidationError(`numeric feature '${f.name}' has an infinite value at row ${r}`, { feature: f.name, row: r });
        const fx = Math.fround(x);
        if (starts === null) {
          out[i * F + j] = numericBin(t, fx);
          continue;
        }
        const k = bucketOf(fx, scratch, bits);
        let lo = starts[k];
        let hi = starts[k + 1];
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (t[mid] < fx) lo = mid + 1;
          else hi = mid;
        }
        out[i * F + j] = lo;
      }
    } else {
      const codes = new Map(b.categories.map((c, k) => [c, k]));
      for (let i = 0; i < n; i++) {
        const v = categoricalCell(col, rows[i]);
        out[i * F + j] = v === null ? MISSING_BIN : (codes.get(v) ?? MISSING_BIN);
      }
    }
  });
}
